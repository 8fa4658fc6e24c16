import { describe, expect, it } from 'vitest';
import { DEFAULT_METHODOLOGY, methodologyForMonth } from '../default-methodology.js';
import type { Methodology } from '../model.js';
import { scoreMonth } from '../score.js';
import { cleanTown, dumping, finding } from './month-builder.js';

// From July the office weighs dumping heavier (C 30, 5 a case) and road pollution lighter (D 10).
// Months before July keep the version they were scored with.
const v2: Methodology = {
  ...DEFAULT_METHODOLOGY,
  version: 2,
  effectiveFrom: '2026-07',
  items: { ...DEFAULT_METHODOLOGY.items, C: { ...DEFAULT_METHODOLOGY.items.C, max: 30, perCase: 5 }, D: { ...DEFAULT_METHODOLOGY.items.D, max: 10 } },
};

const facts = [cleanTown('370305001', '闻韶街道', { dumpingCases: [dumping('d1')] }), cleanTown('370305002', '雪宫街道', { roadFindings: [finding('f1'), finding('f2'), finding('f3'), finding('f4')] })];

describe('changed weights', () => {
  it('picks the version in force for each month', () => {
    expect(methodologyForMonth('2026-06', [v2, DEFAULT_METHODOLOGY])?.version).toBe(1);
    expect(methodologyForMonth('2026-07', [v2, DEFAULT_METHODOLOGY])?.version).toBe(2);
    expect(methodologyForMonth('2025-12', [v2, DEFAULT_METHODOLOGY])).toBeUndefined();
  });

  it('changes the result when the same facts are scored under the new version', () => {
    const underV1 = scoreMonth('2026-07', facts, DEFAULT_METHODOLOGY, { blackListStreak: {} });
    const underV2 = scoreMonth('2026-07', facts, v2, { blackListStreak: {} });
    expect(underV1.towns.map((t) => [t.townName, t.total])).toEqual([
      ['闻韶街道', 97],
      ['雪宫街道', 96],
    ]);
    expect(underV2.methodologyVersion).toBe(2);
    expect(underV2.towns.map((t) => [t.townName, t.total])).toEqual([
      ['雪宫街道', 96],
      ['闻韶街道', 95],
    ]);
  });

  it('leaves an old month exactly as it was scored with its own version', () => {
    const june = (versions: Methodology[]) => scoreMonth('2026-06', facts, methodologyForMonth('2026-06', versions)!, { blackListStreak: {} });
    expect(JSON.stringify(june([DEFAULT_METHODOLOGY, v2]))).toBe(JSON.stringify(june([DEFAULT_METHODOLOGY])));
  });
});
