import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunningApi } from '@muckwatch/api';
import { decodeTrack, officeDayStart, unpackReplayState, type ReplayTrackResponse } from '@muckwatch/contracts';
import { signInAdmin, type ApiClient } from '../support/api-client.js';
import { startTestApi, uniqueTag } from '../support/test-api.js';
import { insertFixes, scriptedRun, seedReplayTruck, type ReplayTruckSeed, type ScriptedFix } from './replay-fixtures.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The month's overview stores each past office day once it is computed (replay_overviews) and
 * reuses it while the day holds the same fixes: a fix arriving late for a stored day shows in the
 * very next overview, and what is stored equals what is computed afresh.
 */
describe('track replay overview, stored per past day', () => {
  let api: RunningApi;
  let db: pg.Pool;
  let admin: ApiClient;
  let seed: ReplayTruckSeed;
  let fixes: ScriptedFix[];
  const tag = uniqueTag();
  // Two days ago, on the minute; the period is the two whole office days from the one it starts in.
  const start = Math.floor((Date.now() - 48 * HOUR) / 60_000) * 60_000;
  const dayStart = Date.parse(officeDayStart(start));
  const period = `from=${encodeURIComponent(new Date(dayStart).toISOString())}&to=${encodeURIComponent(new Date(dayStart + 2 * DAY).toISOString())}`;
  const track = async (zoom: number): Promise<ReplayTrackResponse> => {
    const res = await admin.get<ReplayTrackResponse>(`/api/v1/replay/${seed.terminalId}/track?${period}&zoom=${zoom}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const stored = async (): Promise<Array<{ day_start: Date; fix_count: number; kept: number }>> =>
    (await db.query<{ day_start: Date; fix_count: number; kept: number }>(
      `SELECT day_start, fix_count, cardinality(kept) AS kept FROM replay_overviews WHERE terminal_id = $1 ORDER BY day_start, tolerance_deg`,
      [seed.terminalId],
    )).rows;

  beforeAll(async () => {
    api = await startTestApi();
    admin = await signInAdmin(api);
    db = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
    seed = await seedReplayTruck(db, tag, new Date(dayStart - DAY));
    fixes = scriptedRun(start);
    await insertFixes(db, seed.terminalId, fixes);
  });

  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  it('stores each whole past day and answers the same from it as computed afresh', async () => {
    const first = await track(12);
    expect(first.totalFixes).toBe(fixes.length);
    const days = await stored();
    expect(days.map((d) => d.day_start.getTime())).toEqual([dayStart, dayStart + DAY]);
    expect(days.reduce((sum, d) => sum + d.fix_count, 0)).toBe(fixes.length);
    expect(days.reduce((sum, d) => sum + d.kept, 0)).toBe(first.track.count);

    // From the stored days now; then computed again with nothing stored: the same overview.
    expect(await track(12)).toEqual(first);
    await db.query(`DELETE FROM replay_overviews WHERE terminal_id = $1`, [seed.terminalId]);
    expect(await track(12)).toEqual(first);

    // A closer zoom is stored apart and keeps more.
    const close = await track(20);
    expect(close.track.count).toBeGreaterThan(first.track.count);
    expect(await stored()).toHaveLength(4);
  });

  it('shows a fix that arrives late for a stored day in the next overview', async () => {
    const before = await track(12);
    expect((await stored()).length).toBeGreaterThan(0);
    // Five seconds after a fix while driving loaded, closed and down: this one has the body raised.
    const base = fixes[20 * 6]!;
    const late: ScriptedFix = { ...base, timeMs: base.timeMs + 5_000, body: 'raised' };
    await insertFixes(db, seed.terminalId, [late]);

    const after = await track(12);
    expect(after.totalFixes).toBe(before.totalFixes + 1);
    const decoded = decodeTrack(after.track);
    const i = Array.from(decoded.t).indexOf(late.timeMs);
    expect(i, 'the late fix is kept').toBeGreaterThanOrEqual(0);
    expect(unpackReplayState(decoded.state[i]!)).toMatchObject({ body: 'raised', load: 'full', cover: 'closed' });
    // The fix after it is where the body is down again: a state change, kept too.
    expect(Array.from(decoded.t)).toContain(fixes[20 * 6 + 1]!.timeMs);

    // And the overview stored again for that day is the one computed afresh.
    await db.query(`DELETE FROM replay_overviews WHERE terminal_id = $1`, [seed.terminalId]);
    expect(await track(12)).toEqual(after);
  });
});
