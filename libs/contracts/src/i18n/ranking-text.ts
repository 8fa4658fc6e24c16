/**
 * Names of the assessment's items, adjustments, veto grounds, grades and ledger finding kinds in
 * both UI languages: the console's ranking pages, the drill-down titles and the xlsx export read
 * them here.
 */
import type { UiLocale } from './case-text.js';
import type { AssessmentItem, RankingAdjustmentKind, RankingGrade, RankingVetoGround } from '../api/rankings.js';

type Labels<K extends string> = Record<UiLocale, Record<K, string>>;

export const ASSESSMENT_ITEM_LABELS: Labels<AssessmentItem> = {
  'zh-CN': { A: '源头管控', B: '运输管理', C: '违规倾倒/消纳', D: '路面污染', E: '案件办结', F: '台账管理' },
  en: { A: 'Source control', B: 'Transport', C: 'Illegal dumping', D: 'Road pollution', E: 'Case closure', F: 'Ledgers' },
};

export const RANKING_ADJUSTMENT_KIND_LABELS: Labels<RankingAdjustmentKind> = {
  'zh-CN': { bonus: '加分', city_notification: '市级通报', province_notification: '省级通报', veto: '一票否决' },
  en: { bonus: 'Bonus', city_notification: 'City notification', province_notification: 'Province notification', veto: 'Veto' },
};

export const RANKING_VETO_GROUND_LABELS: Labels<RankingVetoGround> = {
  'zh-CN': { serious_accident: '发生重大安全事故', pollution_incident: '因倾倒造成环境污染事件', inspector_notification: '被中央或省级督察公开通报', falsified_data: '数据弄虚作假' },
  en: { serious_accident: 'Serious accident', pollution_incident: 'Pollution incident from dumping', inspector_notification: 'Public notification by central or provincial inspectors', falsified_data: 'Falsified data' },
};

export const RANKING_GRADE_LABELS: Labels<RankingGrade> = {
  'zh-CN': { excellent: '优秀', good: '良好', fair: '一般' },
  en: { excellent: 'Excellent', good: 'Good', fair: 'Fair' },
};

export const FINDING_KIND_LABELS: Labels<'road_pollution' | 'unwashed_exit' | 'dumping_point' | 'complaint_12345'> = {
  'zh-CN': { road_pollution: '路面污染', unwashed_exit: '工地出口未冲洗', dumping_point: '倾倒点', complaint_12345: '12345投诉' },
  en: { road_pollution: 'Road pollution', unwashed_exit: 'Unwashed site exit', dumping_point: 'Dumping point', complaint_12345: '12345 complaint' },
};
