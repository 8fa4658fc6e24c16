import { describe, expect, it } from 'vitest';
import { DEFAULT_METHODOLOGY } from '../default-methodology.js';
import { scoreMonth } from '../score.js';
import { adjustment, cleanTown, dumping, finding, onTimeCases } from './month-builder.js';

const noHistory = { blackListStreak: {} };
const rankOf = (ranking: ReturnType<typeof scoreMonth>, code: string) => ranking.towns.find((t) => t.townCode === code)!;

// Two towns end the month on the same total; the office still has to say who is ahead.
describe('towns on the same total', () => {
  it('puts the town with fewer illegal dumping cases first', () => {
    // 雪宫: one dumping case the district found (−3 on C); 闻韶: three road findings (−3 on D).
    const ranking = scoreMonth(
      '2026-11',
      [cleanTown('370305002', '雪宫街道', { dumpingCases: [dumping('d1')] }), cleanTown('370305001', '闻韶街道', { roadFindings: [finding('f1'), finding('f2'), finding('f3')] })],
      DEFAULT_METHODOLOGY,
      noHistory,
    );
    expect(ranking.towns.map((t) => [t.townName, t.total, t.rank, t.tied])).toEqual([
      ['闻韶街道', 97, 1, false],
      ['雪宫街道', 97, 2, false],
    ]);
  });

  it('then puts the town that closed more of its cases on time first', () => {
    // 辛店: 18 of 20 cases on time (90 %, −2.5 on E); 稷下: 39 of 40 sites approved (97.5 %, −2.5 on A).
    const ranking = scoreMonth(
      '2026-11',
      [
        cleanTown('370305003', '辛店街道', { assignedCases: onTimeCases('x', 20, 2) }),
        cleanTown('370305004', '稷下街道', { sites: { active: 40, approved: 39, unapprovedIds: ['s1'] } }),
      ],
      DEFAULT_METHODOLOGY,
      noHistory,
    );
    expect(rankOf(ranking, '370305004')).toMatchObject({ total: 97.5, rank: 1, tieBreak: { onTimePercent: 100 } });
    expect(rankOf(ranking, '370305003')).toMatchObject({ total: 97.5, rank: 2, tieBreak: { onTimePercent: 90 } });
  });

  it('counts a town with no assigned cases as 100 % on time, ahead of 90 %', () => {
    // 辛店: 90 % on time (−2.5) and a 2.5 bonus = 100; 齐陵: no assigned cases, E left out, 100.
    const tiedTowns = scoreMonth(
      '2026-11',
      [cleanTown('370305003', '辛店街道', { assignedCases: onTimeCases('x', 20, 2), adjustments: [adjustment('b1', 'bonus', 2.5)] }), cleanTown('370305005', '齐陵街道', { assignedCases: [] })],
      DEFAULT_METHODOLOGY,
      noHistory,
    );
    expect(tiedTowns.towns.map((t) => [t.townCode, t.total, t.rank, t.tieBreak.onTimePercent])).toEqual([
      ['370305005', 100, 1, null],
      ['370305003', 100, 2, 90],
    ]);
  });

  it('then puts the town with fewer higher-level notifications first', () => {
    // 齐都: a city notification (−2) and a bonus (+2) = 100; 皇城: a clean 100.
    const ranking = scoreMonth(
      '2026-11',
      [cleanTown('370305100', '齐都镇', { adjustments: [adjustment('n1', 'city_notification'), adjustment('b1', 'bonus', 2)] }), cleanTown('370305102', '皇城镇')],
      DEFAULT_METHODOLOGY,
      noHistory,
    );
    expect(ranking.towns.map((t) => [t.townName, t.total, t.rank, t.tieBreak.notifications])).toEqual([
      ['皇城镇', 100, 1, 0],
      ['齐都镇', 100, 2, 1],
    ]);
  });
});
