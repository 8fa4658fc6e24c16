import { describe, expect, it } from 'vitest';
import { DEFAULT_METHODOLOGY } from '../default-methodology.js';
import { scoreMonth } from '../score.js';
import { LINZI_UNITS, emptyTown } from './month-builder.js';

// The first morning of a month (or a quiet one): nothing recorded anywhere yet.
describe('a month with no data at all', () => {
  it('scores nothing when there are no towns', () => {
    expect(scoreMonth('2026-12', [], DEFAULT_METHODOLOGY, { blackListStreak: {} })).toEqual({ month: '2026-12', methodologyVersion: 1, towns: [] });
  });

  const ranking = scoreMonth('2026-12', LINZI_UNITS.map(([code, name]) => emptyTown(code, name)), DEFAULT_METHODOLOGY, { blackListStreak: {} });

  it('judges each town only on what cannot be missing — no dumping, no road pollution — and normalises to 100', () => {
    for (const town of ranking.towns) {
      expect(town.items.map((i) => [i.code, i.earned])).toEqual([
        ['A', null],
        ['B', null],
        ['C', 25],
        ['D', 15],
        ['E', null],
        ['F', null],
      ]);
      expect(town).toMatchObject({ earned: 40, available: 40, normalised: 100, total: 100, grade: 'excellent' });
    }
  });

  it('ranks all fourteen units 并列 first; all share the red list and nobody is black-listed', () => {
    expect(ranking.towns).toHaveLength(14);
    expect(new Set(ranking.towns.map((t) => t.rank))).toEqual(new Set([1]));
    expect(ranking.towns.every((t) => t.tied && t.redList && !t.blackList && !t.interview)).toBe(true);
  });

  it('normalises to the base when a methodology leaves nothing available', () => {
    const onlyA = { ...DEFAULT_METHODOLOGY, items: { ...DEFAULT_METHODOLOGY.items, A: { max: 100, perPointBelow: 1 }, B: { ...DEFAULT_METHODOLOGY.items.B, max: 0 }, C: { ...DEFAULT_METHODOLOGY.items.C, max: 0 }, D: { ...DEFAULT_METHODOLOGY.items.D, max: 0 }, E: { ...DEFAULT_METHODOLOGY.items.E, max: 0 }, F: { ...DEFAULT_METHODOLOGY.items.F, max: 0 } } };
    const [town] = scoreMonth('2026-12', [emptyTown('370305001')], onlyA, { blackListStreak: {} }).towns;
    expect(town).toMatchObject({ earned: 0, available: 0, normalised: 100, total: 100 });
  });
});
