import { describe, expect, it } from 'vitest';
import { DEFAULT_METHODOLOGY } from '../default-methodology.js';
import { scoreMonth } from '../score.js';
import { LINZI_UNITS, cleanTown, finding } from './month-builder.js';

const withFindings = (counts: number[]) => LINZI_UNITS.map(([code, name], i) => cleanTown(code, name, { roadFindings: Array.from({ length: counts[i] ?? 0 }, (_, k) => finding(`${code}-${k}`)) }));

// Fourteen units, the enterprise zones among them; each a different number of road findings.
describe('red and black lists, and 约谈', () => {
  it('lists the top three and the bottom three, enterprise zones like any town', () => {
    const ranking = scoreMonth('2026-11', withFindings([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]), DEFAULT_METHODOLOGY, { blackListStreak: {} });
    expect(ranking.towns.filter((t) => t.redList).map((t) => t.townName)).toEqual(['闻韶街道', '雪宫街道', '辛店街道']);
    expect(ranking.towns.filter((t) => t.blackList).map((t) => t.townName)).toEqual(['金山镇', '齐鲁石化', '十化建']);
    expect(ranking.towns.map((t) => t.grade)).toEqual(['excellent', 'excellent', 'excellent', 'excellent', 'excellent', 'excellent', 'excellent', 'excellent', 'excellent', 'excellent', 'excellent', 'good', 'good', 'good']);
  });

  it('includes everyone tied at the boundary of a list', () => {
    // 3rd and 4th tied; 11th and 12th tied from the bottom
    const ranking = scoreMonth('2026-11', withFindings([0, 1, 2, 2, 4, 5, 6, 7, 8, 9, 10, 10, 12, 13]), DEFAULT_METHODOLOGY, { blackListStreak: {} });
    expect(ranking.towns.filter((t) => t.redList).map((t) => [t.townName, t.rank])).toEqual([
      ['闻韶街道', 1],
      ['雪宫街道', 2],
      ['辛店街道', 3],
      ['稷下街道', 3],
    ]);
    expect(ranking.towns.filter((t) => t.blackList).map((t) => [t.townName, t.rank])).toEqual([
      ['凤凰镇', 11],
      ['金山镇', 11],
      ['齐鲁石化', 13],
      ['十化建', 14],
    ]);
  });

  it('calls a town to 约谈 in its second month running on the black list', () => {
    const ranking = scoreMonth('2026-11', withFindings([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]), DEFAULT_METHODOLOGY, {
      blackListStreak: { E37030501: 1, E37030502: 0, '370305001': 3 },
    });
    expect(ranking.towns.filter((t) => t.interview).map((t) => t.townName)).toEqual(['齐鲁石化']);
  });
});
