import { describe, expect, it } from 'vitest';
import { DEFAULT_METHODOLOGY } from '../default-methodology.js';
import { scoreMonth } from '../score.js';
import { cleanTown, dumping, transportCase } from './month-builder.js';

const score = (...towns: Parameters<typeof cleanTown>[2][]) =>
  scoreMonth('2026-11', towns.map((o, i) => cleanTown(`T${i}`, `T${i}`, o)), DEFAULT_METHODOLOGY, { blackListStreak: {} }).towns.sort((a, b) => a.townCode.localeCompare(b.townCode));

// 金山镇 had no construction traffic this month: transport management cannot be judged, so it is
// left out rather than scored 0 or 20.
describe('a town with no trips', () => {
  it('has no data for B, which drops out of both earned and available', () => {
    const [town] = score({ trips: 0, dumpingCases: [dumping('d1')] });
    expect(town!.items.find((i) => i.code === 'B')).toEqual({ code: 'B', max: 20, earned: null, lines: [] });
    // 77 earned (C lost 3) of 80 available → 96.25 of 100
    expect(town).toMatchObject({ earned: 77, available: 80, normalised: 96.25, total: 96.25 });
  });

  it('is judged on B after all when a transport case was raised in it, without the trips discount', () => {
    const [town] = score({ trips: 0, transportCases: [transportCase('t1')] });
    const b = town!.items.find((i) => i.code === 'B')!;
    expect(b.earned).toBe(18);
    expect(b.lines).toEqual([{ code: 'B.case', points: -2, params: { count: 1, finder: 'district', perCase: 2, weight: 1, trips: 0, tripsFactor: 1 }, refs: [{ kind: 'violation', id: 't1' }] }]);
  });

  it('shrinks B deductions for a busy town in proportion to its trips above the reference', () => {
    const [quiet, busy] = score({ trips: 50, transportCases: [transportCase('t1'), transportCase('t2')] }, { trips: 400, transportCases: [transportCase('t3'), transportCase('t4')] });
    expect(quiet!.items[1]!.earned).toBe(16); // 2 × 2, no discount below 100 trips
    expect(busy!.items[1]!.earned).toBe(19); // 2 × 2 × 100/400
  });
});
