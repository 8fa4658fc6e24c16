import type { MqttClient } from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PositionPartitions, RetentionService, type RunningApi } from '@muckwatch/api';
import { connectTerminal, lineOfFixes, publishFixes } from '../support/mqtt.js';
import { startTestApi, uniqueTag, waitFor } from '../support/test-api.js';

const DAY = 86_400_000;

/**
 * Ingest at full rate across a month boundary and a retention drop, behind a dispatcher's long read
 * of positions: the read holds every partition for reading, the drop waits for it, and ingest waits
 * for neither. Real PostgreSQL only: locks between sessions (the embedded database is one session
 * behind a multiplexer). Rates are printed, not asserted; what is asserted is the order of events:
 * every fix stored while the read and the drop are still waiting.
 */
describe.skipIf(inject('databaseKind') !== 'postgresql')('positions across a month boundary and a retention drop', () => {
  let api: RunningApi;
  let pool: pg.Pool;
  let terminal: MqttClient;
  const tag = uniqueTag();
  const TERMINALS = 20;
  const FIXES_EACH = 240;

  const partitionNames = async (): Promise<string[]> =>
    (await pool.query<{ name: string }>(`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'positions'::regclass`)).rows.map((r) => r.name);
  const stored = async (prefix: string): Promise<number> =>
    Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM positions WHERE terminal_id LIKE $1`, [`${prefix}%`])).rows[0]!.n);

  const nameOf = (timeMs: number): string => {
    const d = new Date(timeMs);
    return `positions_y${d.getUTCFullYear()}m${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  };
  /** A month partition this test made (now empty), detached and dropped. */
  async function dropIfEmpty(name: string): Promise<void> {
    if (!(await partitionNames()).includes(name)) return;
    if ((await pool.query(`SELECT 1 FROM ${name} LIMIT 1`)).rowCount) return;
    await pool.query(`ALTER TABLE positions DETACH PARTITION ${name}`);
    await pool.query(`DROP TABLE ${name}`);
  }

  /** Publishes TERMINALS × FIXES_EACH fixes from `startMs` (one each 10 s per terminal, 20 a message); resolves with fixes/s stored. */
  async function ingest(prefix: string, startMs: number): Promise<number> {
    const t0 = performance.now();
    for (let k = 0; k < TERMINALS; k += 1) {
      const fixes = lineOfFixes(startMs, FIXES_EACH, 10);
      for (let i = 0; i < fixes.length; i += 20) await publishFixes(terminal, `${prefix}${k}`, fixes.slice(i, i + 20));
    }
    await waitFor(async () => (await stored(prefix)) === TERMINALS * FIXES_EACH, 60_000, `${prefix}: every fix stored`, 50);
    return (TERMINALS * FIXES_EACH) / ((performance.now() - t0) / 1000);
  }

  beforeAll(async () => {
    // Fixes up to 160 days old are accepted (the months below are one and five back).
    api = await startTestApi({ FIX_MAX_AGE_HOURS: String(160 * 24) });
    pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 3 });
    terminal = await connectTerminal(inject('mqttUrl'), `boundary-${tag}`);
  });

  afterAll(async () => {
    await terminal?.endAsync();
    await pool?.end();
    await api?.close();
  });

  it('makes this month’s partition and the next two ahead, at boot', async () => {
    const now = new Date();
    const names = [0, 1, 2].map((i) => nameOf(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + i, 15)));
    expect(await partitionNames()).toEqual(expect.arrayContaining(names));
  });

  it('stores every fix across a month boundary while a long read holds positions and a retention drop waits behind it', async () => {
    const now = Date.now();
    let missing = '';
    // The boundary between last month and the one before (its partitions made ahead, as the job
    // did in its day), and a month long past retention for the drop.
    const thisMonth = new Date(now);
    const boundary = Date.UTC(thisMonth.getUTCFullYear(), thisMonth.getUTCMonth() - 1, 1);
    const partitions = new PositionPartitions();
    await partitions.ensureAhead(pool, boundary - 15 * DAY, 2);
    await partitions.ensureFor(pool, [Date.UTC(2018, 0, 15)]);
    await ingest(`warm-${tag}-`, now - FIXES_EACH * 10_000 - 60_000);
    const baseline = await ingest(`base-${tag}-`, now - FIXES_EACH * 10_000 - 60_000);

    const reader = new pg.Client({ connectionString: inject('databaseUrl') });
    await reader.connect();
    try {
      // A dispatcher's long report holds positions (and every partition) for reading.
      await reader.query('BEGIN');
      await reader.query('SELECT count(*) FROM positions');
      // The retention job of a day long after 2018 (once, under its lock): its drop of 2018-01 waits for the read.
      let dropped: string[] | null | undefined;
      const retention = api.app.get(RetentionService).run(Date.UTC(2018, 8, 15)).then((names) => (dropped = names));
      await waitFor(async () => (await pool.query(`SELECT 1 FROM pg_stat_activity WHERE query LIKE 'ALTER TABLE positions DETACH PARTITION positions_y2018m01%' AND wait_event_type = 'Lock'`)).rowCount === 1, 10_000, 'the drop waiting behind the read');

      // Twenty minutes of fixes each side of midnight UTC at the month's turn.
      const across = await ingest(`turn-${tag}-`, boundary - (FIXES_EACH / 2) * 10_000);
      expect(dropped, 'the drop still waits for the read').toBeUndefined();
      const { rows } = await pool.query<{ partition: string; n: string }>(
        `SELECT tableoid::regclass::text AS partition, count(*) AS n FROM positions WHERE terminal_id LIKE $1 GROUP BY 1 ORDER BY 1`,
        [`turn-${tag}-%`],
      );
      expect(rows.map((r) => r.partition)).toHaveLength(2);
      expect(rows.reduce((s, r) => s + Number(r.n), 0)).toBe(TERMINALS * FIXES_EACH);

      // A month nobody made ahead (five back) is made on the fly as its first fixes come, still
      // behind the read (the drop done first: it and a new month's attach take turns).
      await reader.query('COMMIT');
      expect(await retention).toContain('positions_y2018m01');
      expect(dropped).toContain('positions_y2018m01');
      const older = Date.UTC(thisMonth.getUTCFullYear(), thisMonth.getUTCMonth() - 5, 20);
      missing = nameOf(older);
      await dropIfEmpty(missing);
      expect(await partitionNames()).not.toContain(missing);
      await reader.query('BEGIN');
      await reader.query('SELECT count(*) FROM positions');
      const onTheFly = await ingest(`fly-${tag}-`, older);
      expect(await partitionNames()).toContain(missing);
      console.log(
        `month boundary: ${TERMINALS * FIXES_EACH} fixes each — baseline ${baseline.toFixed(0)} fixes/s; across the turn, behind a long read and a waiting drop, ${across.toFixed(0)} fixes/s; ` +
          `into ${missing}, made on the fly behind a long read, ${onTheFly.toFixed(0)} fixes/s`,
      );
    } finally {
      await reader.query('ROLLBACK').catch(() => undefined);
      await reader.end().catch(() => undefined);
      await pool.query(`DELETE FROM positions WHERE terminal_id LIKE ANY($1)`, [[`warm-${tag}-%`, `base-${tag}-%`, `turn-${tag}-%`, `fly-${tag}-%`]]).catch(() => undefined);
      // The months this test made out of nothing go again (the retention job's 2018 ones, and the one made on the fly).
      for (const name of ['positions_y2018m09', 'positions_y2018m10', 'positions_y2018m11', missing]) if (name) await dropIfEmpty(name).catch(() => undefined);
    }
  });
});
