import { describe, expect, it } from 'vitest';
import { DEFAULT_METHODOLOGY } from '../default-methodology.js';
import { scoreMonth } from '../score.js';
import { adjustment, cleanTown, dumping, east, finding, onTimeCases, transportCase } from './month-builder.js';

// docs/ranking.md, "Worked example" / 计算示例: 辛店街道 in November 2026. If this spec changes,
// the document must change with it.
describe('the worked example of docs/ranking.md', () => {
  const xindian = cleanTown('370305003', '辛店街道', {
    sites: { active: 0, approved: 0, unapprovedIds: [] },
    trips: 250,
    transportCases: [transportCase('t1', 'district'), transportCase('t2', 'district'), transportCase('t3', 'town')],
    dumpingCases: [
      dumping('d1', { finder: 'city', at: '2026-11-08T14:00:00.000Z', clearedAfterHours: 72 }),
      dumping('d2', { finder: 'town', at: '2026-11-21T03:00:00.000Z', place: east(3000), clearedAfterHours: 10 }),
    ],
    priorDumpingPlaces: [{ id: 'd0', at: '2026-09-29T09:00:00.000Z', ...east(150) }],
    roadFindings: [finding('f1', 'district', 1200), finding('f2', 'district', null)],
    assignedCases: onTimeCases('xd', 16, 2),
    ledger: { piles: 0, pilesCurrent: 0, staleIds: [], villages: 20, villagesCovered: 18, uncoveredVillageCodes: ['v1', 'v2'], requests: 10, requestsClearedWithin24h: 8, lateRequestIds: ['r1', 'r2'] },
    adjustments: [adjustment('j1', 'bonus', 1), adjustment('j2', 'city_notification')],
  });
  const town = scoreMonth('2026-11', [xindian], DEFAULT_METHODOLOGY, { blackListStreak: {} }).towns[0]!;
  const lines = (code: string) => town.items.find((i) => i.code === code)!.lines.map((l) => [l.code, l.points]);

  it('scores each item as the document shows', () => {
    expect(town.items.map((i) => [i.code, i.earned])).toEqual([
      ['A', null],
      ['B', 18],
      ['C', 12],
      ['D', 11],
      ['E', 11.25],
      ['F', 4.25],
    ]);
    expect(lines('B')).toEqual([
      ['B.case', -0.4],
      ['B.case', -1.6],
    ]);
    expect(lines('C')).toEqual([
      ['C.case', -1.5],
      ['C.case', -4.5],
      ['C.not_cleared', -2],
      ['C.recurrence', -5],
    ]);
    expect(lines('D')).toEqual([
      ['D.finding', -2],
      ['D.area', -2],
    ]);
    expect(lines('E')).toEqual([['E.below_target', -3.75]]);
    expect(lines('F')).toEqual([
      ['F.coverage', -0.25],
      ['F.daily_clearance', -0.5],
    ]);
  });

  it('normalises over the 80 points available and adds the adjustments', () => {
    expect(town).toMatchObject({ earned: 56.5, available: 80, normalised: 70.63, bonus: 1, notificationDeduction: 2, total: 69.63, grade: 'fair' });
  });
});
