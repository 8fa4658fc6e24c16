import { describe, expect, it } from 'vitest';
import { DEFAULT_METHODOLOGY } from '../default-methodology.js';
import { findRecurrences, scoreMonth } from '../score.js';
import { XINDIAN, cleanTown, dumping, east } from './month-builder.js';

const at = '2026-11-10T02:00:00.000Z';
const daysBefore = (days: number) => new Date(Date.parse(at) - days * 86_400_000).toISOString();

// Muck dumped at the roadside in 辛店 where a truck already dumped weeks ago: the place was never
// watched, so the town loses 5 more points.
describe('dumping again at the same place', () => {
  it('finds an earlier case within 200 m in the last 90 days', () => {
    const cases = [dumping('d1', { at })];
    expect(findRecurrences(cases, [{ id: 'old', at: daysBefore(30), ...east(150) }], 200, 90)).toEqual([{ caseId: 'd1', earlierId: 'old', distanceM: 150 }]);
    expect(findRecurrences(cases, [{ id: 'far', at: daysBefore(30), ...east(250) }], 200, 90)).toEqual([]);
    expect(findRecurrences(cases, [{ id: 'long-ago', at: daysBefore(91), ...XINDIAN }], 200, 90)).toEqual([]);
  });

  it('counts the second of two cases at one place in the same month, not the first', () => {
    const cases = [dumping('d2', { at: '2026-11-20T00:00:00.000Z', place: east(50) }), dumping('d1', { at })];
    expect(findRecurrences(cases, [], 200, 90)).toEqual([{ caseId: 'd2', earlierId: 'd1', distanceM: 50 }]);
  });

  it('takes 5 points on top of the case itself, and refers to both cases', () => {
    const town = scoreMonth('2026-11', [cleanTown('370305003', '辛店街道', { dumpingCases: [dumping('d1', { at })], priorDumpingPlaces: [{ id: 'old', at: daysBefore(30), ...east(150) }] })], DEFAULT_METHODOLOGY, { blackListStreak: {} }).towns[0]!;
    const c = town.items.find((i) => i.code === 'C')!;
    expect(c.earned).toBe(17);
    expect(c.lines[1]).toEqual({
      code: 'C.recurrence',
      points: -5,
      params: { count: 1, radiusM: 200, days: 90, each: 5 },
      refs: [
        { kind: 'violation', id: 'd1' },
        { kind: 'violation', id: 'old' },
      ],
    });
  });
});
