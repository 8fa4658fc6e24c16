/**
 * The first methodology (version 1) and the checks any admin-entered version must pass.
 * docs/ranking.md explains every number in zh-CN and English.
 */
import { ASSESSMENT_ITEMS, FINDERS, type Methodology } from './model.js';

export const DEFAULT_METHODOLOGY: Methodology = {
  version: 1,
  effectiveFrom: '2026-01',
  base: 100,
  items: {
    A: { max: 20, perPointBelow: 1 },
    B: { max: 20, perCase: 2, tripsReference: 100 },
    C: { max: 25, perCase: 3, clearHours: 48, notClearedExtra: 2, recurrenceExtra: 5, recurrenceRadiusM: 200, recurrenceLookbackDays: 90 },
    D: { max: 15, perFinding: 1, areaStepM2: 500, perAreaStep: 1 },
    E: { max: 15, fullAtPercent: 95, perPointBelow: 0.5 },
    F: { max: 5, ledgerWeight: 2, coverageWeight: 1.5, dailyClearanceWeight: 1.5 },
  },
  finderWeights: { town: 0.5, district: 1, city: 1.5, higher: 2 },
  bonusCap: 3,
  notificationPoints: { city: 2, province: 5, cap: 10 },
  grades: { excellent: 90, good: 80 },
  redListSize: 3,
  blackListSize: 3,
  interviewAfterBlackMonths: 2,
};

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Equal to 2 decimals: item maxima like 0.1 + 0.2 must still sum to a base of 0.3. */
const sameTo2 = (a: number, b: number) => Math.abs(a - b) < 0.005;

/**
 * Problems with a methodology as stable codes (empty when it is usable). A code names the rule and,
 * after a colon, the field: `negative:items.C.perCase`, `not_finite:bonusCap`, `effective_from_format`,
 * `items_sum_not_base`, `finder_weights_zero`, `f_weights_zero`, `not_positive:items.D.areaStepM2`,
 * `not_integer:redListSize`, `grades_order`, `percent_range:items.E.fullAtPercent`, `version_not_positive`.
 */
export function validateMethodology(m: Methodology): string[] {
  const problems: string[] = [];
  const numbers: [string, number][] = [
    ['base', m.base],
    ['bonusCap', m.bonusCap],
    ['notificationPoints.city', m.notificationPoints.city],
    ['notificationPoints.province', m.notificationPoints.province],
    ['notificationPoints.cap', m.notificationPoints.cap],
    ['grades.excellent', m.grades.excellent],
    ['grades.good', m.grades.good],
    ['redListSize', m.redListSize],
    ['blackListSize', m.blackListSize],
    ['interviewAfterBlackMonths', m.interviewAfterBlackMonths],
  ];
  for (const item of ASSESSMENT_ITEMS) {
    for (const [key, value] of Object.entries<number>(m.items[item])) numbers.push([`items.${item}.${key}`, value]);
  }
  for (const finder of FINDERS) numbers.push([`finderWeights.${finder}`, m.finderWeights[finder]]);

  for (const [path, value] of numbers) {
    if (typeof value !== 'number' || !Number.isFinite(value)) problems.push(`not_finite:${path}`);
    else if (value < 0) problems.push(`negative:${path}`);
  }
  if (problems.length > 0) return problems;

  if (!Number.isInteger(m.version) || m.version < 1) problems.push('version_not_positive');
  if (typeof m.effectiveFrom !== 'string' || !MONTH.test(m.effectiveFrom)) problems.push('effective_from_format');
  if (m.base <= 0) problems.push('not_positive:base');
  const itemsSum = ASSESSMENT_ITEMS.reduce((sum, item) => sum + m.items[item].max, 0);
  if (!sameTo2(itemsSum, m.base)) problems.push('items_sum_not_base');
  if (FINDERS.every((finder) => m.finderWeights[finder] === 0)) problems.push('finder_weights_zero');
  const f = m.items.F;
  if (f.max > 0 && f.ledgerWeight + f.coverageWeight + f.dailyClearanceWeight === 0) problems.push('f_weights_zero');
  if (m.items.B.tripsReference <= 0) problems.push('not_positive:items.B.tripsReference');
  if (m.items.D.areaStepM2 <= 0) problems.push('not_positive:items.D.areaStepM2');
  if (m.items.E.fullAtPercent > 100) problems.push('percent_range:items.E.fullAtPercent');
  if (m.grades.good > m.grades.excellent) problems.push('grades_order');
  for (const path of ['redListSize', 'blackListSize', 'interviewAfterBlackMonths', 'items.C.recurrenceLookbackDays'] as const) {
    const value = path === 'items.C.recurrenceLookbackDays' ? m.items.C.recurrenceLookbackDays : m[path];
    if (!Number.isInteger(value)) problems.push(`not_integer:${path}`);
  }
  if (m.interviewAfterBlackMonths < 1) problems.push('not_positive:interviewAfterBlackMonths');
  return problems;
}

/**
 * The version that applies to a month: the newest whose `effectiveFrom` is not after it (the
 * highest version wins when two start the same month). Undefined when none applies yet.
 */
export function methodologyForMonth<M extends Pick<Methodology, 'version' | 'effectiveFrom'>>(month: string, versions: readonly M[]): M | undefined {
  let best: M | undefined;
  for (const v of versions) {
    if (v.effectiveFrom > month) continue;
    if (!best || v.effectiveFrom > best.effectiveFrom || (v.effectiveFrom === best.effectiveFrom && v.version > best.version)) best = v;
  }
  return best;
}
