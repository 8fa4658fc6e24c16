import type { Pool, PoolClient } from 'pg';

/** Month partitions of `positions`, named positions_yYYYYmMM, bounds in UTC. */
export function monthStartUtc(timeMs: number): Date {
  const d = new Date(timeMs);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
}

export function partitionName(monthStart: Date): string {
  const month = String(monthStart.getUTCMonth() + 1).padStart(2, '0');
  return `positions_y${monthStart.getUTCFullYear()}m${month}`;
}

/** The first day of the month `months` before `nowMs` (UTC): positions before it are past retention. */
export function retentionCutoff(months: number, nowMs: number): Date {
  const now = new Date(nowMs);
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1));
}

function nextMonth(monthStart: Date): Date {
  return new Date(Date.UTC(monthStart.getUTCFullYear(), monthStart.getUTCMonth() + 1, 1));
}

/**
 * Creates month partitions on demand and drops whole ones for retention (never DELETE row by
 * row). Knows which partitions exist, so the hot path costs nothing once a month is there.
 */
export class PositionPartitions {
  /** [start, end) in epoch ms of the partitions known to exist: the per-fix check allocates nothing. */
  private knownRanges: Array<[number, number]> = [];

  /**
   * Makes sure a partition exists for the month of each time. A missing month is created as a plain
   * table and then ATTACHed: ATTACH takes SHARE UPDATE EXCLUSIVE on positions, which neither inserts
   * nor reads wait for or hold up, where `CREATE TABLE … PARTITION OF` takes ACCESS EXCLUSIVE — it
   * queues behind any long read of positions (a month's replay, a report) and every insert then
   * queues behind it: ingest stalls for as long as that read runs. Safe with several instances at once.
   */
  async ensureFor(client: PoolClient | Pool, fixTimesMs: Iterable<number>): Promise<void> {
    const months = new Map<string, Date>();
    for (const t of fixTimesMs) {
      if (this.knownRanges.some(([start, end]) => t >= start && t < end)) continue;
      const start = monthStartUtc(t);
      months.set(partitionName(start), start);
    }
    for (const [name, start] of months) {
      await this.createAndAttach(client, name, start);
      this.knownRanges.push([start.getTime(), nextMonth(start).getTime()]);
    }
  }

  /**
   * The month of `nowMs` and the `ahead` months after it (UTC): run by the retention job at boot and
   * daily, so the first fix of a month never waits for its partition.
   */
  async ensureAhead(client: PoolClient | Pool, nowMs: number, ahead = 2): Promise<void> {
    const first = monthStartUtc(nowMs);
    const months = Array.from({ length: ahead + 1 }, (_, i) => Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + i, 15));
    await this.ensureFor(client, months);
  }

  private async createAndAttach(client: PoolClient | Pool, name: string, start: Date): Promise<void> {
    const { rows } = await client.query<{ attached: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass($1) AND inhparent = 'positions'::regclass) AS attached`,
      [name],
    );
    if (rows[0]?.attached) return;
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS ${name} (LIKE positions INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMPRESSION)`);
    } catch (error) {
      // Another instance created it between our check and our CREATE (the name, or its row type).
      if (!['42P07', '23505'].includes((error as { code?: string }).code ?? '')) throw error;
    }
    try {
      // The table is new and empty: the check of its rows against the bounds reads nothing.
      await client.query(`ALTER TABLE positions ATTACH PARTITION ${name} FOR VALUES FROM ('${start.toISOString()}') TO ('${nextMonth(start).toISOString()}')`);
    } catch (error) {
      // Another instance attached it first.
      if ((error as { code?: string }).code !== '42809') throw error;
    }
  }

  /**
   * Drops every partition that ends before the first day of the month `months` ago: detached
   * CONCURRENTLY first (SHARE UPDATE EXCLUSIVE on positions, which inserts do not wait for; a plain
   * DROP of a partition takes ACCESS EXCLUSIVE on positions and would hold ingest up behind every
   * long query), then dropped. `db` must not be inside a transaction.
   */
  async dropOlderThan(db: PoolClient | Pool, months: number, nowMs = Date.now()): Promise<string[]> {
    const pool = db;
    const cutoff = retentionCutoff(months, nowMs);
    const { rows } = await pool.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i
         JOIN pg_class c ON c.oid = i.inhrelid
         JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname = 'positions'`,
    );
    const dropped: string[] = [];
    for (const { name } of rows) {
      const match = /^positions_y(\d{4})m(\d{2})$/.exec(name);
      if (!match) continue;
      const end = nextMonth(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1)));
      if (end <= cutoff) {
        // A detach interrupted earlier (connection lost) leaves the partition "detach pending": FINALIZE ends it.
        const { rows: pending } = await pool.query<{ pending: boolean }>(`SELECT inhdetachpending AS pending FROM pg_inherits WHERE inhrelid = $1::regclass`, [name]);
        await pool.query(`ALTER TABLE positions DETACH PARTITION ${name} ${pending[0]?.pending ? 'FINALIZE' : 'CONCURRENTLY'}`);
        await pool.query(`DROP TABLE ${name}`);
        this.knownRanges = this.knownRanges.filter(([start]) => start >= end.getTime());
        dropped.push(name);
      }
    }
    return dropped;
  }
}
