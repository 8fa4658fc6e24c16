import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ReplayOverviewJob, type RunningApi } from '@muckwatch/api';
import { REPLAY_LIMITS, officeDayOf, officeDayStart, type ReplayTrackResponse } from '@muckwatch/contracts';
import { signInAdmin, type ApiClient } from '../support/api-client.js';
import { startTestApi, uniqueTag } from '../support/test-api.js';
import { insertFixes, scriptedRun, seedReplayTruck, type ReplayTruckSeed, type ScriptedFix } from './replay-fixtures.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const tolerance = (zoom: number): number => 360 / (256 * 2 ** zoom) / 2;

/**
 * The overview job (apps/api/src/replay/replay-overview.job.ts) stores each closed office day's
 * overview ahead, at the console's zoom and the default one, so the month's first replay reads them;
 * a day whose advisory lock another instance holds is left to it and tried again on the next run.
 */
describe('track replay overview job', () => {
  let api: RunningApi;
  let db: pg.Pool;
  let admin: ApiClient;
  let seed: ReplayTruckSeed;
  let fixes: ScriptedFix[];
  const tag = uniqueTag();
  // Two office days ago, 40 minutes before its midnight: the run crosses into the next day.
  const dayStart = Date.parse(officeDayStart(Date.now() - 2 * DAY));
  const start = dayStart + DAY - 40 * 60_000;
  const period = `from=${encodeURIComponent(new Date(dayStart).toISOString())}&to=${encodeURIComponent(new Date(dayStart + 2 * DAY).toISOString())}`;
  const stored = async (): Promise<Array<{ day: number; tolerance: number; fixCount: number; computedAt: number }>> =>
    (await db.query<{ day_start: Date; tolerance_deg: number; fix_count: number; computed_at: Date }>(
      `SELECT day_start, tolerance_deg, fix_count, computed_at FROM replay_overviews WHERE terminal_id = $1 ORDER BY day_start, tolerance_deg DESC`,
      [seed.terminalId],
    )).rows.map((r) => ({ day: r.day_start.getTime(), tolerance: r.tolerance_deg, fixCount: r.fix_count, computedAt: r.computed_at.getTime() }));

  beforeAll(async () => {
    api = await startTestApi();
    admin = await signInAdmin(api);
    db = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
    seed = await seedReplayTruck(db, tag, new Date(dayStart - DAY));
    fixes = scriptedRun(start);
    await insertFixes(db, seed.terminalId, fixes);
  });

  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  it('stores both closed days at the stored zooms, and the replay answers from them as computed afresh', async () => {
    const job = api.app.get(ReplayOverviewJob);
    await job.run(Date.now(), 3);
    const days = await stored();
    const zooms = [...REPLAY_LIMITS.storedZooms].sort((a, b) => a - b);
    expect(days.map((d) => [d.day, d.tolerance])).toEqual([dayStart, dayStart + DAY].flatMap((day) => zooms.map((z) => [day, tolerance(z)])));
    const beforeMidnight = fixes.filter((f) => f.timeMs < dayStart + DAY).length;
    expect(days.filter((d) => d.day === dayStart).every((d) => d.fixCount === beforeMidnight)).toBe(true);
    expect(days.filter((d) => d.day === dayStart + DAY).every((d) => d.fixCount === fixes.length - beforeMidnight)).toBe(true);

    const fromStore = await admin.get<ReplayTrackResponse>(`/api/v1/replay/${seed.terminalId}/track?${period}&zoom=${REPLAY_LIMITS.consoleZoom}`);
    expect(fromStore.status).toBe(200);
    expect(fromStore.body.totalFixes).toBe(fixes.length);
    // The request used the stored days: it stored nothing again.
    expect((await stored()).map((d) => d.computedAt)).toEqual(days.map((d) => d.computedAt));
    await db.query(`DELETE FROM replay_overviews WHERE terminal_id = $1`, [seed.terminalId]);
    const afresh = await admin.get<ReplayTrackResponse>(`/api/v1/replay/${seed.terminalId}/track?${period}&zoom=${REPLAY_LIMITS.consoleZoom}`);
    expect(afresh.body).toEqual(fromStore.body);
  });

  // Another instance means another database session: PGlite (the embedded path) is one session
  // behind a multiplexer, where a lock held "elsewhere" would hold the API's own queries.
  it.skipIf(inject('databaseKind') !== 'postgresql')('leaves a day whose lock another instance holds, and stores it on its next run', async () => {
    await db.query(`DELETE FROM replay_overviews WHERE terminal_id = $1`, [seed.terminalId]);
    // A fresh job: this process's job already counts both days as done.
    const job = Object.create(api.app.get(ReplayOverviewJob), { done: { value: new Set<string>() } }) as ReplayOverviewJob;
    const other = await db.connect();
    try {
      await other.query('BEGIN');
      await other.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`replay.overviews:${officeDayOf(dayStart)}`]);
      await job.run(Date.now(), 3);
      expect(new Set((await stored()).map((d) => d.day))).toEqual(new Set([dayStart + DAY]));
    } finally {
      await other.query('ROLLBACK');
      other.release();
    }
    await job.run(Date.now(), 3);
    expect(new Set((await stored()).map((d) => d.day))).toEqual(new Set([dayStart, dayStart + DAY]));
  });
});
