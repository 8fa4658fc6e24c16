/**
 * Names of the ledger findings a ranking's drill-down and export list (巡查发现的类型), in both
 * UI languages.
 */
import type { UiLocale } from './case-text.js';

export const FINDING_KIND_LABELS: Record<UiLocale, Record<'road_pollution' | 'unwashed_exit' | 'dumping_point' | 'complaint_12345', string>> = {
  'zh-CN': { road_pollution: '路面污染', unwashed_exit: '工地出口未冲洗', dumping_point: '倾倒点', complaint_12345: '12345投诉' },
  en: { road_pollution: 'Road pollution', unwashed_exit: 'Unwashed site exit', dumping_point: 'Dumping point', complaint_12345: '12345 complaint' },
};
