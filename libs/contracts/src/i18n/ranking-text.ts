/**
 * The monthly assessment in words (考核、排名、通报): item, grade, veto, finder and adjustment names,
 * and a sentence for every deduction line the scorer (libs/domain/src/assessment/score.ts) writes,
 * so the console, the xlsx export and the printed bulletin read the same. zh-CN first, English
 * beside it. Methodology: docs/ranking.md.
 */
import type { AssessmentItem, FinderLevel, RankingAdjustmentKind, RankingGrade, RankingScoreLine, RankingVetoGround } from '../api/rankings.js';
import type { UiLocale } from './case-text.js';

type Labels<K extends string> = Record<UiLocale, Record<K, string>>;

export const ASSESSMENT_ITEM_LABELS: Labels<AssessmentItem> = {
  'zh-CN': { A: '源头管控', B: '运输管理', C: '违规倾倒/消纳', D: '路面污染', E: '案件办结', F: '台账管理' },
  en: { A: 'Source control', B: 'Transport', C: 'Illegal dumping and disposal', D: 'Road pollution', E: 'Case closure', F: 'Ledgers' },
};

export const RANKING_GRADE_LABELS: Labels<RankingGrade> = {
  'zh-CN': { excellent: '优秀', good: '良好', fair: '一般' },
  en: { excellent: 'Excellent', good: 'Good', fair: 'Fair' },
};

export const VETO_GROUND_LABELS: Labels<RankingVetoGround> = {
  'zh-CN': {
    serious_accident: '因违规倾倒引发重大安全事故',
    pollution_incident: '因违规倾倒引发环境污染事件',
    inspector_notification: '被中央或省级督察公开通报',
    falsified_data: '弄虚作假',
  },
  en: {
    serious_accident: 'Serious accident caused by dumping',
    pollution_incident: 'Pollution incident caused by dumping',
    inspector_notification: 'Public notification by central or provincial inspectors',
    falsified_data: 'Falsified data',
  },
};

/** Who found a problem; `FINDER_PHRASES` is the same in a sentence (区级发现). */
export const FINDER_LABELS: Labels<FinderLevel> = {
  'zh-CN': { town: '自查', district: '区级', city: '市级', higher: '上级督查' },
  en: { town: 'Self-reported', district: 'District', city: 'City', higher: 'Higher-level inspection' },
};

const FINDER_PHRASES: Labels<FinderLevel> = {
  'zh-CN': { town: '自查发现', district: '区级发现', city: '市级发现', higher: '上级督查发现' },
  en: { town: 'self-reported', district: 'found by the district', city: 'found by the city', higher: 'found by a higher-level inspection' },
};

export const RANKING_ADJUSTMENT_LABELS: Labels<RankingAdjustmentKind> = {
  'zh-CN': { bonus: '加分', city_notification: '市级通报', province_notification: '省级通报', veto: '一票否决' },
  en: { bonus: 'Bonus', city_notification: 'City notification', province_notification: 'Provincial notification', veto: 'Veto' },
};

export const RANKING_LIST_LABELS: Labels<'redList' | 'blackList' | 'interview' | 'tied'> = {
  'zh-CN': { redList: '红榜', blackList: '黑榜', interview: '约谈', tied: '并列' },
  en: { redList: 'Red list', blackList: 'Black list', interview: 'Interview', tied: 'Tied' },
};

/**
 * Every line code the scorer emits (kept equal to SCORE_LINE_CODES in libs/domain, which contracts
 * may not import; tests/assessment/ranking-text.spec.ts checks the two lists match).
 */
export const RANKING_LINE_CODES = [
  'A.unapproved_sites',
  'B.case',
  'C.case',
  'C.not_cleared',
  'C.recurrence',
  'D.finding',
  'D.area',
  'E.below_target',
  'F.ledger',
  'F.coverage',
  'F.daily_clearance',
  'adj.bonus',
  'adj.bonus_cap',
  'adj.city_notification',
  'adj.province_notification',
  'adj.notification_cap',
] as const;
export type RankingLineCode = (typeof RANKING_LINE_CODES)[number];

/**
 * Templates: `{name}` is a param of the line, `{finder}` the finder phrase, `{points}` the points
 * without sign, `{verb}` 扣/加 (deduct/add) from the sign.
 */
export const RANKING_LINE_TEMPLATES: Record<UiLocale, Record<RankingLineCode, string>> = {
  'zh-CN': {
    'A.unapproved_sites': '在建工地 {active} 个，持有效处置核准 {approved} 个（核准率 {percent}%），{verb} {points} 分',
    'B.case': '运输违规 {count} 起（{finder}，按运次折算系数 {tripsFactor}），{verb} {points} 分',
    'C.case': '违规倾倒 {count} 起（{finder}），{verb} {points} 分',
    'C.not_cleared': '{count} 起倾倒未在 {hours} 小时内清理，{verb} {points} 分',
    'C.recurrence': '{count} 起在 {days} 天内同一地点（{radiusM} 米内）重复倾倒，{verb} {points} 分',
    'D.finding': '路面污染、车辆带泥上路 {count} 处（{finder}），{verb} {points} 分',
    'D.area': '污染面积 {areaM2} 平方米，计 {steps} 个 {stepM2} 平方米（{finder}），{verb} {points} 分',
    'E.below_target': '交办案件 {assigned} 件，按期办结 {onTime} 件（{percent}%，低于 {target}%），{verb} {points} 分',
    'F.ledger': '建筑垃圾堆台账 {piles} 处，按期更新 {current} 处（{percent}%），{verb} {points} 分',
    'F.coverage': '村居 {villages} 个，已设收集点 {covered} 个（覆盖率 {percent}%），{verb} {points} 分',
    'F.daily_clearance': '收集申请 {requests} 件，日产日清 {cleared} 件（{percent}%），{verb} {points} 分',
    'adj.bonus': '加分事项 {count} 项，{verb} {points} 分',
    'adj.bonus_cap': '加分超过上限 {cap} 分，超出的 {points} 分不计',
    'adj.city_notification': '被市级通报 {count} 次，{verb} {points} 分',
    'adj.province_notification': '被省级通报 {count} 次，{verb} {points} 分',
    'adj.notification_cap': '通报扣分超过上限 {cap} 分，超出的 {points} 分不计',
  },
  en: {
    'A.unapproved_sites': '{approved} of {active} active sites hold a valid disposal approval ({percent} %): {verb} {points}',
    'B.case': '{count} transport case(s), {finder} (trips factor {tripsFactor}): {verb} {points}',
    'C.case': '{count} illegal dumping case(s), {finder}: {verb} {points}',
    'C.not_cleared': '{count} dumping case(s) not cleared within {hours} h: {verb} {points}',
    'C.recurrence': '{count} dumping case(s) within {radiusM} m of another in the last {days} days: {verb} {points}',
    'D.finding': '{count} road pollution finding(s), {finder}: {verb} {points}',
    'D.area': '{areaM2} m² polluted, {steps} step(s) of {stepM2} m², {finder}: {verb} {points}',
    'E.below_target': '{onTime} of {assigned} assigned cases handled on time ({percent} %, target {target} %): {verb} {points}',
    'F.ledger': '{current} of {piles} waste piles kept current ({percent} %): {verb} {points}',
    'F.coverage': '{covered} of {villages} villages covered by a collection point ({percent} %): {verb} {points}',
    'F.daily_clearance': '{cleared} of {requests} collection requests cleared the same day ({percent} %): {verb} {points}',
    'adj.bonus': '{count} bonus item(s): {verb} {points}',
    'adj.bonus_cap': 'bonus above the cap of {cap}: {points} not counted',
    'adj.city_notification': '{count} city notification(s): {verb} {points}',
    'adj.province_notification': '{count} provincial notification(s): {verb} {points}',
    'adj.notification_cap': 'notification deductions above the cap of {cap}: {points} not counted',
  },
};

const VERBS: Record<UiLocale, { minus: string; plus: string }> = {
  'zh-CN': { minus: '扣', plus: '加' },
  en: { minus: 'minus', plus: 'plus' },
};

/** Points as people write them: up to 2 decimals, no trailing zeros, no sign. */
export function formatPoints(points: number): string {
  const abs = Math.abs(points);
  return String(Math.round(abs * 100) / 100);
}

const isFinder = (x: unknown): x is FinderLevel => x === 'town' || x === 'district' || x === 'city' || x === 'higher';

/**
 * One line in words, e.g. `违规倾倒 3 起（区级发现），扣 9 分`. An unknown code (written by a later
 * version) falls back to the code and the points.
 */
export function renderScoreLine(line: Pick<RankingScoreLine, 'code' | 'points' | 'params'>, locale: UiLocale): string {
  const verb = line.points < 0 ? VERBS[locale].minus : VERBS[locale].plus;
  const template = (RANKING_LINE_TEMPLATES[locale] as Record<string, string>)[line.code];
  if (!template) return `${line.code} ${line.points < 0 ? '−' : '+'}${formatPoints(line.points)}`;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name === 'points') return formatPoints(line.points);
    if (name === 'verb') return verb;
    const value = line.params[name];
    if (name === 'finder' && isFinder(value)) return FINDER_PHRASES[locale][value];
    return value === undefined ? '' : String(value);
  });
}
