import { describe, expect, it } from 'vitest';
import { DEFAULT_METHODOLOGY } from '../default-methodology.js';
import { scoreMonth } from '../score.js';
import { adjustment, cleanTown, dumping, finding, onTimeCases, transportCase } from './month-builder.js';

const one = (town: ReturnType<typeof cleanTown>) => scoreMonth('2026-11', [town], DEFAULT_METHODOLOGY, { blackListStreak: {} }).towns[0]!;

describe('caps and floors', () => {
  it('caps the bonus at 3 however many commendations a town collects, and shows the cut', () => {
    const town = one(cleanTown('370305109', '凤凰镇', { roadFindings: [finding('f1'), finding('f2'), finding('f3'), finding('f4'), finding('f5')], adjustments: [adjustment('b1', 'bonus', 2), adjustment('b2', 'bonus', 2)] }));
    expect(town).toMatchObject({ normalised: 95, bonus: 3, total: 98 });
    expect(town.adjustmentLines).toEqual([
      { code: 'adj.bonus', points: 4, params: { count: 2 }, refs: [{ kind: 'adjustment', id: 'b1' }, { kind: 'adjustment', id: 'b2' }] },
      { code: 'adj.bonus_cap', points: -1, params: { cap: 3 }, refs: [] },
    ]);
  });

  it('caps higher-level notifications at 10, using the methodology points when none are given', () => {
    const town = one(cleanTown('370305107', '金岭回族镇', { adjustments: [adjustment('p1', 'province_notification'), adjustment('p2', 'province_notification'), adjustment('c1', 'city_notification')] }));
    expect(town).toMatchObject({ notificationDeduction: 10, total: 90, grade: 'excellent', tieBreak: { notifications: 3 } });
    expect(town.adjustmentLines.map((l) => [l.code, l.points])).toEqual([
      ['adj.city_notification', -2],
      ['adj.province_notification', -10],
      ['adj.notification_cap', 2],
    ]);
  });

  it('floors every item at 0 however many deductions it collects', () => {
    const town = one(
      cleanTown('370305104', '朱台镇', {
        sites: { active: 10, approved: 0, unapprovedIds: ['s1'] },
        transportCases: Array.from({ length: 12 }, (_, i) => transportCase(`t${i}`)),
        dumpingCases: Array.from({ length: 9 }, (_, i) => dumping(`d${i}`, { at: `2026-11-0${i + 1}T00:00:00.000Z`, place: { lon: 118.2 + i * 0.01, lat: 36.9 } })),
        roadFindings: Array.from({ length: 16 }, (_, i) => finding(`f${i}`)),
        assignedCases: onTimeCases('late', 10, 10),
        ledger: { piles: 4, pilesCurrent: 0, staleIds: ['p1'], villages: 10, villagesCovered: 0, uncoveredVillageCodes: ['v1'], requests: 3, requestsClearedWithin24h: 0, lateRequestIds: ['r1'] },
      }),
    );
    expect(town.items.map((i) => [i.code, i.earned, i.lines.reduce((s, l) => s + l.points, 0) < -i.max || i.code === 'F'])).toEqual([
      ['A', 0, true],
      ['B', 0, true],
      ['C', 0, true],
      ['D', 0, true],
      ['E', 0, true],
      ['F', 0, true],
    ]);
    expect(town).toMatchObject({ earned: 0, available: 100, normalised: 0, total: 0, grade: 'fair' });
  });

  it('floors the total at 0 when notifications outweigh what is left', () => {
    const town = one(
      cleanTown('370305111', '金山镇', {
        sites: { active: 10, approved: 0, unapprovedIds: [] },
        transportCases: Array.from({ length: 10 }, (_, i) => transportCase(`t${i}`)),
        dumpingCases: Array.from({ length: 9 }, (_, i) => dumping(`d${i}`, { place: { lon: 118.2 + i * 0.01, lat: 36.9 } })),
        roadFindings: Array.from({ length: 15 }, (_, i) => finding(`f${i}`)),
        assignedCases: onTimeCases('late', 10, 10),
        ledger: { piles: 1, pilesCurrent: 0, staleIds: [], villages: 1, villagesCovered: 0, uncoveredVillageCodes: [], requests: 0, requestsClearedWithin24h: 0, lateRequestIds: [] },
        adjustments: [adjustment('b', 'bonus', 3), adjustment('p', 'province_notification', 8)],
      }),
    );
    expect(town).toMatchObject({ normalised: 0, bonus: 3, notificationDeduction: 8, total: 0 });
  });
});
