import { describe, expect, it } from 'vitest';
import { DEFAULT_METHODOLOGY } from '../default-methodology.js';
import type { Finder } from '../model.js';
import { scoreMonth } from '../score.js';
import { cleanTown, dumping, finding, transportCase } from './month-builder.js';

const one = (town: ReturnType<typeof cleanTown>) => scoreMonth('2026-11', [town], DEFAULT_METHODOLOGY, { blackListStreak: {} }).towns[0]!;
const item = (town: ReturnType<typeof one>, code: string) => town.items.find((i) => i.code === code)!;

// The same dumping case costs a town less when its own patrol found and reported it than when the
// district, the city or a provincial inspection did.
describe('who found it', () => {
  const finders: Finder[] = ['town', 'district', 'city', 'higher'];

  it('weighs the per-case deduction of a dumping case 0.5 / 1 / 1.5 / 2', () => {
    expect(finders.map((finder) => item(one(cleanTown('370305005', '齐陵街道', { dumpingCases: [dumping('d', { finder })] })), 'C').earned)).toEqual([23.5, 22, 20.5, 19]);
  });

  it('does not weigh the 48-hour clearance penalty: waste left lying is the same whoever found it', () => {
    const selfReported = one(cleanTown('370305005', '齐陵街道', { dumpingCases: [dumping('d', { finder: 'town', clearedAfterHours: 60 })] }));
    expect(item(selfReported, 'C').lines.map((l) => [l.code, l.points, l.params])).toEqual([
      ['C.case', -1.5, { count: 1, finder: 'town', perCase: 3, weight: 0.5 }],
      ['C.not_cleared', -2, { count: 1, hours: 48, each: 2 }],
    ]);
    expect(item(one(cleanTown('x', 'x', { dumpingCases: [dumping('d', { clearedAfterHours: null })] })), 'C').earned).toBe(20);
  });

  it('weighs transport cases, road findings and their area alike', () => {
    const town = one(cleanTown('370305102', '皇城镇', { transportCases: [transportCase('t1', 'higher')], roadFindings: [finding('f1', 'city', 1200)] }));
    expect(item(town, 'B').earned).toBe(16); // 2 × 2
    expect(item(town, 'D').lines.map((l) => [l.code, l.points])).toEqual([
      ['D.finding', -1.5],
      ['D.area', -3], // two steps of 500 m² × 1.5
    ]);
    expect(item(town, 'D').earned).toBe(10.5);
  });

  it('groups the lines by finder so each can be read on its own', () => {
    const town = one(cleanTown('370305001', '闻韶街道', { dumpingCases: [dumping('d1', { finder: 'town' }), dumping('d2', { finder: 'city', place: { lon: 118.4, lat: 36.9 } }), dumping('d3', { finder: 'town', place: { lon: 118.2, lat: 36.9 } })] }));
    expect(item(town, 'C').lines.map((l) => [l.code, l.params.finder, l.params.count, l.points, l.refs.map((r) => r.id)])).toEqual([
      ['C.case', 'town', 2, -3, ['d1', 'd3']],
      ['C.case', 'city', 1, -4.5, ['d2']],
    ]);
  });
});
