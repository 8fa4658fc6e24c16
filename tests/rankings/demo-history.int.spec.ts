import type pg from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoHistoryMonths, MonthCloseJob, PG_POOL, seedDemoAssessmentHistory, seedDemoCases, type DemoHistoryCounts } from '@muckwatch/api';
import type { AfterCloseChange, LedgerPage, Ranking, RankingTrend, TownLedgerCoverage, WastePile, WastePileDetail } from '@muckwatch/contracts';
import { towns } from '@muckwatch/linzi';
import { signInAs } from '../support/api-client.js';
import { demoDatabase } from '../support/demo-database.js';
import { startTestApi } from '../support/test-api.js';

// `npm start` seeds twelve months of history so the ranking, its trend and the bulletin show
// something real on a fresh demo: written into the real tables, once, and read back by the API.
describe('demo assessment history', () => {
  let api: Awaited<ReturnType<typeof startTestApi>>;
  let database: Awaited<ReturnType<typeof demoDatabase>>;
  let pool: pg.Pool;
  let seeded: DemoHistoryCounts;
  const nowMs = Date.now();
  const months = demoHistoryMonths(nowMs);

  beforeAll(async () => {
    database = await demoDatabase();
    api = await startTestApi({ ...database.env, SEED_DEMO: 'true' });
    pool = api.app.get<pg.Pool>(PG_POOL);
    // As scripts/demo.ts does: the month of cases first, then the history.
    await seedDemoCases(api.app.get(DataSource), nowMs);
    const started = performance.now();
    seeded = await seedDemoAssessmentHistory(pool, nowMs);
    console.log(`seeded the demo history in ${Math.round(performance.now() - started)} ms: ${JSON.stringify(seeded)}`);
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  it('writes twelve months for every town into the real tables', async () => {
    expect(months).toHaveLength(12);
    expect(seeded.trips).toBeGreaterThan(1000);
    expect(seeded.cases).toBeGreaterThan(100);
    expect(seeded.findings).toBeGreaterThan(50);
    expect(seeded.piles).toBeGreaterThan(14);
    expect(seeded.points).toBeGreaterThan(300);
    expect(seeded.requests).toBeGreaterThan(100);
    expect(seeded.adjustments).toBeGreaterThanOrEqual(4);
    const { rows } = await pool.query<{ town_code: string; months: number }>(
      `SELECT town_code, count(DISTINCT to_char(started_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM'))::int AS months
         FROM trips WHERE started_at >= $1 AND started_at < $2 GROUP BY town_code`,
      [new Date(months[0]!.fromMs).toISOString(), new Date(months[11]!.fromMs).toISOString()],
    );
    // Every town has trips in each of the eleven closed months (the current one may be minutes old).
    expect(rows.map((r) => r.town_code).sort()).toEqual(towns.map((t) => t.code).sort());
    for (const r of rows) expect(r.months, r.town_code).toBe(11);
    // Every case has its timeline; every fulfilled request and transport case points at a seeded trip.
    const [check] = (
      await pool.query<{ no_timeline: number; dangling: number; events: number }>(
        `SELECT (SELECT count(*)::int FROM violations v WHERE v.case_state <> 'new'
                   AND NOT EXISTS (SELECT 1 FROM violation_case_events e WHERE e.violation_id = v.id)) AS no_timeline,
                (SELECT count(*)::int FROM collection_requests q WHERE q.state = 'fulfilled'
                   AND NOT EXISTS (SELECT 1 FROM trips t WHERE t.id = q.trip_id))
                  + (SELECT count(*)::int FROM violations v WHERE v.trip_id IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM trips t WHERE t.id = v.trip_id)) AS dangling,
                (SELECT count(*)::int FROM waste_pile_events) + (SELECT count(*)::int FROM finding_events)
                  + (SELECT count(*)::int FROM collection_request_events) AS events`,
      )
    ).rows;
    expect(check).toEqual({ no_timeline: 0, dangling: 0, events: expect.any(Number) as number });
    expect(check!.events).toBeGreaterThan(seeded.findings + seeded.piles + seeded.requests);
  });

  it('the month-close job freezes the eleven past months; every town is ranked in all twelve, with red and black lists', async () => {
    const frozen = await api.app.get(MonthCloseJob).run(nowMs);
    expect(frozen).toEqual(expect.arrayContaining(months.slice(0, 11).map((m) => m.month)));
    const official = await signInAs(api, 'dispatcher');
    const codes = towns.map((t) => t.code).sort();
    for (const [i, { month }] of months.entries()) {
      const ranking = await official.get<Ranking>(`/api/v1/rankings/${month}`);
      expect(ranking.status, month).toBe(200);
      const past = i < months.length - 1;
      expect(ranking.body.provisional, month).toBe(!past);
      if (past) expect(ranking.body.revision).toBe(1);
      expect(ranking.body.rows.map((r) => r.townCode).sort()).toEqual(codes);
      for (const row of ranking.body.rows) expect(row.rank).toBeGreaterThanOrEqual(1);
      // A closed month tells the towns apart (the current one may be hours old: nothing to judge yet).
      if (!past) continue;
      expect(ranking.body.rows.some((r) => r.redList), `${month} red list`).toBe(true);
      expect(ranking.body.rows.some((r) => r.blackList), `${month} black list`).toBe(true);
      const spread = Math.max(...ranking.body.rows.map((r) => r.total)) - Math.min(...ranking.body.rows.map((r) => r.total));
      expect(spread, month).toBeGreaterThan(5);
    }
    // The vetoed month puts its town last, below all others.
    const vetoed = await official.get<Ranking>(`/api/v1/rankings/${months[months.length - 8]!.month}`);
    const last = vetoed.body.rows.find((r) => r.veto.length > 0);
    expect(last?.blackList).toBe(true);
    expect(last?.rank).toBe(Math.max(...vetoed.body.rows.map((r) => r.rank)));

    const trend = await official.get<RankingTrend>('/api/v1/rankings/trend?months=12');
    expect(trend.status).toBe(200);
    expect(trend.body.months).toEqual(months.map((m) => m.month));
    expect(trend.body.towns).toHaveLength(14);
    for (const town of trend.body.towns) {
      expect(town.totals.filter((t) => t !== null), town.townName).toHaveLength(12);
      expect(town.ranks.filter((r) => r !== null), town.townName).toHaveLength(12);
    }
  });

  it("the ledgers' API serves the seeded records, a town official only their own", async () => {
    const official = await signInAs(api, 'dispatcher');
    const coverage = await official.get<TownLedgerCoverage[]>('/api/v1/ledgers/coverage');
    expect(coverage.status).toBe(200);
    expect(coverage.body).toHaveLength(14);
    for (const town of coverage.body.filter((t) => t.villages > 0)) {
      expect(town.coverageRate, town.townName).toBeGreaterThan(0.4);
      expect(town.sameDayRate, town.townName).toBeGreaterThan(0.5);
    }
    const town = await signInAs(api, 'town_official', { townCode: '370305104' });
    const piles = await town.get<LedgerPage<WastePile>>('/api/v1/ledgers/piles?pageSize=100');
    expect(piles.status).toBe(200);
    expect(piles.body.total).toBeGreaterThan(0);
    for (const pile of piles.body.items) expect(pile.townCode).toBe('370305104');
    const detail = await town.get<WastePileDetail>(`/api/v1/ledgers/piles/${piles.body.items[0]!.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.history[0]?.action).toBe('create');
  });

  it('seeding twice changes nothing', async () => {
    const snapshot = async (): Promise<unknown> =>
      (
        await pool.query(
          `SELECT (SELECT count(*) FROM trips) AS trips, (SELECT count(*) FROM violations) AS violations,
                  (SELECT count(*) FROM violation_case_events) AS case_events, (SELECT count(*) FROM findings) AS findings,
                  (SELECT count(*) FROM finding_events) AS finding_events, (SELECT count(*) FROM waste_piles) AS piles,
                  (SELECT count(*) FROM waste_pile_events) AS pile_events, (SELECT count(*) FROM collection_points) AS points,
                  (SELECT count(*) FROM collection_requests) AS requests, (SELECT count(*) FROM collection_request_events) AS request_events,
                  (SELECT count(*) FROM ranking_adjustments) AS adjustments`,
        )
      ).rows[0];
    const before = await snapshot();
    expect(await seedDemoAssessmentHistory(pool, nowMs)).toEqual({ trips: 0, cases: 0, findings: 0, piles: 0, points: 0, requests: 0, adjustments: 0 });
    expect(await snapshot()).toEqual(before);
    // Nor does it touch the frozen months: nothing changed after their close.
    const official = await signInAs(api, 'dispatcher');
    const after = await official.get<AfterCloseChange[]>(`/api/v1/rankings/${months[months.length - 2]!.month}/after-close`);
    expect(after.status).toBe(200);
    expect(after.body).toEqual([]);
  });

  it('a demo restarted a month later adds the new days, never to a frozen month', async () => {
    const later = await seedDemoAssessmentHistory(pool, nowMs + 35 * 86_400_000);
    expect(later.trips).toBeGreaterThan(0);
    const official = await signInAs(api, 'dispatcher');
    for (const { month } of months.slice(1, 11)) {
      const after = await official.get<AfterCloseChange[]>(`/api/v1/rankings/${month}/after-close`);
      expect(after.body, month).toEqual([]);
    }
  });
});
