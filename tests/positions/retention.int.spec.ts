import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApi } from '../support/test-api.js';
import { PositionPartitions, runExclusiveSession, type RunningApi } from '@muckwatch/api';

const month = (year: number, monthIndex: number, day = 15) => Date.UTC(year, monthIndex, day);

describe('positions retention drops whole month partitions', () => {
  let api: RunningApi;
  let pool: pg.Pool;
  const partitionNames = async (): Promise<string[]> =>
    (
      await pool.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'positions' ORDER BY 1`,
      )
    ).rows.map((r) => r.name);

  beforeAll(async () => {
    api = await startTestApi(); // applies the migrations
    pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
  });

  afterAll(async () => {
    await pool?.end();
    await api?.close();
  });

  it('creates a partition per month on demand and, six months on, drops the ones past retention', async () => {
    const partitions = new PositionPartitions();
    await partitions.ensureFor(pool, [month(2020, 0), month(2020, 1), month(2020, 2), month(2020, 2, 20)]);
    expect(await partitionNames()).toEqual(expect.arrayContaining(['positions_y2020m01', 'positions_y2020m02', 'positions_y2020m03']));

    await pool.query(
      `INSERT INTO positions (terminal_id, fix_time, received_at, geom, speed_kmh, heading_deg, valid)
       VALUES ('retention-probe', '2020-03-10T00:00:00Z', now(), ST_SetSRID(ST_MakePoint(118.3, 36.8), 4326), 0, 0, true)`,
    );
    // On 2020-08-15 with 6 months kept, everything before 2020-02-01 goes.
    const dropped = await partitions.dropOlderThan(pool, 6, month(2020, 7));
    expect(dropped).toEqual(['positions_y2020m01']);
    const names = await partitionNames();
    expect(names).not.toContain('positions_y2020m01');
    expect(names).toEqual(expect.arrayContaining(['positions_y2020m02', 'positions_y2020m03']));
    const { rows } = await pool.query(`SELECT 1 FROM positions WHERE terminal_id = 'retention-probe'`);
    expect(rows).toHaveLength(1);

    // A month dropped is recreated when a fix for it comes again (the known-range cache forgets it).
    await partitions.ensureFor(pool, [month(2020, 0)]);
    expect(await partitionNames()).toContain('positions_y2020m01');

    for (const name of ['positions_y2020m01', 'positions_y2020m02', 'positions_y2020m03']) {
      await pool.query(`DROP TABLE IF EXISTS ${name}`);
    }
  });

  // Locks between sessions: the embedded database is one session behind a multiplexer.
  it.skipIf(inject('databaseKind') !== 'postgresql')('drops a month without holding up ingest, even behind a long read, and runs once across instances', async () => {
    const partitions = new PositionPartitions();
    await partitions.ensureFor(pool, [month(2019, 0), Date.now()]);
    const reader = new pg.Client({ connectionString: inject('databaseUrl') });
    const writer = new pg.Client({ connectionString: inject('databaseUrl') });
    const other = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
    await reader.connect();
    await writer.connect();
    try {
      // A dispatcher's long report holds positions (and every partition) for reading.
      await reader.query('BEGIN');
      await reader.query('SELECT count(*) FROM positions');
      const drop = partitions.dropOlderThan(other, 6, month(2019, 8));
      let dropped = false;
      void drop.then(() => (dropped = true));
      await new Promise((resolve) => setTimeout(resolve, 500));
      // The drop waits for the report; ingest does not wait for the drop (a plain DROP would queue it behind).
      await writer.query(`SET statement_timeout = '5s'`);
      await writer.query(
        `INSERT INTO positions (terminal_id, fix_time, received_at, geom, speed_kmh, heading_deg, valid)
         VALUES ('retention-ingest', now(), now(), ST_SetSRID(ST_MakePoint(118.3, 36.8), 4326), 0, 0, true)`,
      );
      expect(dropped).toBe(false);
      await reader.query('COMMIT');
      expect(await drop).toContain('positions_y2019m01');
      expect(await partitionNames()).not.toContain('positions_y2019m01');

      // Two instances' retention at once: one runs, the other finds the lock held and skips.
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      const first = runExclusiveSession(other, 'muckwatch:retention', async () => {
        await held;
        return 'ran';
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await runExclusiveSession(other, 'muckwatch:retention', () => Promise.resolve('ran too'))).toEqual({ ran: false });
      release();
      expect(await first).toEqual({ ran: true, value: 'ran' });
    } finally {
      await reader.end().catch(() => undefined);
      await writer.query(`DELETE FROM positions WHERE terminal_id = 'retention-ingest'`).catch(() => undefined);
      await writer.end().catch(() => undefined);
      await other.end();
    }
  });
});
