import { describe, expect, it } from 'vitest';
import { DEFAULT_METHODOLOGY } from '../default-methodology.js';
import { scoreMonth } from '../score.js';
import { LINZI_UNITS, adjustment, cleanTown, finding } from './month-builder.js';

// 一票否决: a serious pollution incident from dumping in 辛店, and falsified ledgers in 齐鲁石化. Their
// points are still shown, but they rank below every other unit.
describe('a vetoed town', () => {
  const facts = LINZI_UNITS.map(([code, name], i) => cleanTown(code, name, { roadFindings: Array.from({ length: i }, (_, k) => finding(`${code}-f${k}`)) }));
  const veto = (code: string, ...adjustments: ReturnType<typeof adjustment>[]) => {
    const f = facts.find((t) => t.townCode === code)!;
    f.adjustments = adjustments;
    f.roadFindings = [];
  };
  veto('370305003', adjustment('v1', 'veto', null, 'pollution_incident'));
  veto('E37030501', adjustment('v2', 'veto', null, 'falsified_data'), adjustment('v3', 'veto', null, 'inspector_notification'));
  facts.find((t) => t.townCode === 'E37030501')!.roadFindings = [finding('qlsh-f1')];
  const ranking = scoreMonth('2026-11', facts, DEFAULT_METHODOLOGY, { blackListStreak: {} });
  const town = (code: string) => ranking.towns.find((t) => t.townCode === code)!;

  it('keeps its points but ranks it below every town that was not vetoed', () => {
    expect(town('370305003')).toMatchObject({ total: 100, rank: 13, grade: 'fair', blackList: true, redList: false });
    expect(town('E37030501')).toMatchObject({ total: 99, rank: 14, grade: 'fair', blackList: true, redList: false });
    expect(ranking.towns.slice(-2).map((t) => t.townName)).toEqual(['辛店街道', '齐鲁石化']);
  });

  it('names every ground and the adjustment behind it', () => {
    expect(town('E37030501').veto).toEqual([
      { ground: 'falsified_data', adjustmentId: 'v2', reason: 'veto v2' },
      { ground: 'inspector_notification', adjustmentId: 'v3', reason: 'veto v3' },
    ]);
  });

  it('black-lists the vetoed towns as the bottom of the list, and the worst non-vetoed town with them', () => {
    expect(ranking.towns.filter((t) => t.blackList).map((t) => t.townName)).toEqual(['十化建', '辛店街道', '齐鲁石化']);
    expect(ranking.towns.filter((t) => t.redList).map((t) => t.townName)).toEqual(['闻韶街道', '雪宫街道', '稷下街道']);
  });

  it('black-lists every vetoed town even beyond the list size', () => {
    const allVetoed = facts.map((f) => ({ ...f, adjustments: [adjustment(`v-${f.townCode}`, 'veto', null, 'serious_accident')] }));
    const result = scoreMonth('2026-11', allVetoed, DEFAULT_METHODOLOGY, { blackListStreak: {} });
    expect(result.towns.every((t) => t.blackList && !t.redList && t.grade === 'fair')).toBe(true);
  });

  it('does not count a veto entered without a ground', () => {
    const result = scoreMonth('2026-11', [cleanTown('A', 'A', { adjustments: [adjustment('v', 'veto')] }), cleanTown('B', 'B', { roadFindings: [finding('f')] })], DEFAULT_METHODOLOGY, { blackListStreak: {} });
    expect(result.towns.map((t) => [t.townCode, t.veto.length, t.rank])).toEqual([
      ['A', 0, 1],
      ['B', 0, 2],
    ]);
  });
});
