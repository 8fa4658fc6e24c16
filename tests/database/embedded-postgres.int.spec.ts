import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@muckwatch/api';

/**
 * The embedded PostgreSQL serves several `pg` connections over one PGlite session. Each
 * connection's request (Parse … Sync) must run as a unit, or one client's statement is bound with
 * another's parameters — seen as a failed transaction on one connection breaking its neighbours.
 */
describe('embedded PostgreSQL: several connections over one PGlite session', () => {
  let embedded: EmbeddedPostgres;
  const clients: pg.Client[] = [];

  beforeAll(async () => {
    embedded = await startEmbeddedPostgres({ dataDir: 'memory://', port: 0 });
    for (let i = 0; i < 3; i++) {
      const client = new pg.Client({ connectionString: embedded.url });
      await client.connect();
      clients.push(client);
    }
    await clients[0]!.query('CREATE TABLE t (v text PRIMARY KEY)');
    await clients[0]!.query(`INSERT INTO t VALUES ('taken')`);
  });

  afterAll(async () => {
    for (const client of clients) await client.end();
    await embedded?.stop();
  });

  it("keeps other connections' statements whole while one transaction has failed", async () => {
    const [a, b, c] = clients as [pg.Client, pg.Client, pg.Client];
    await a.query('BEGIN');
    await a.query('INSERT INTO t VALUES ($1)', ['rolled-back']);
    await expect(a.query('INSERT INTO t VALUES ($1)', ['taken'])).rejects.toThrow(/duplicate key/);
    // Queued behind the failed transaction, answered once it ends.
    const insert = b.query('INSERT INTO t VALUES ($1)', ['from-b']);
    const count = c.query<{ n: number }>('SELECT count(*)::int AS n FROM t WHERE v = $1', ['taken']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await a.query('ROLLBACK');
    await expect(insert).resolves.toBeDefined();
    expect((await count).rows[0]!.n).toBe(1);
    const { rows } = await a.query<{ v: string }>('SELECT v FROM t ORDER BY v');
    expect(rows.map((r) => r.v)).toEqual(['from-b', 'taken']);
  });

  it('answers concurrent parameterised queries from a pool each with its own statement', async () => {
    const pool = new pg.Pool({ connectionString: embedded.url, max: 6 });
    try {
      const answers = await Promise.all(
        Array.from({ length: 300 }, async (_, i) => {
          const { rows } = await pool.query<{ n?: number; m?: number }>(
            i % 2 ? 'SELECT $1::int AS n' : 'SELECT $1::int - 1000000 AS m',
            [i],
          );
          return i % 2 ? rows[0]!.n === i : rows[0]!.m === i - 1_000_000;
        }),
      );
      expect(answers.every(Boolean)).toBe(true);
    } finally {
      await pool.end();
    }
  });

  it("answers a connection's next query with its own rows right after a failed one", async () => {
    const [a] = clients as [pg.Client];
    for (let i = 0; i < 20; i++) {
      // Queued on the same connection before the failure's answer arrives: a second
      // ReadyForQuery in that answer used to end this query with no rows.
      const failing = a.query('INSERT INTO t VALUES ($1)', ['taken']);
      const next = a.query<{ n: number }>('SELECT $1::int AS n', [i]);
      await expect(failing).rejects.toThrow(/duplicate key/);
      expect((await next).rows).toEqual([{ n: i }]);
    }
    await a.query('BEGIN');
    const failing = a.query('INSERT INTO t VALUES ($1)', ['taken']);
    const rollback = a.query('ROLLBACK');
    const after = a.query<{ v: string }>('SELECT v FROM t WHERE v = $1', ['taken']);
    await expect(failing).rejects.toThrow(/duplicate key/);
    expect((await rollback).command).toBe('ROLLBACK');
    expect((await after).rows).toEqual([{ v: 'taken' }]);
  });

  it('stays whole after thousands of failed statements (each used to leak the stack of its error)', async () => {
    const [a, b] = clients as [pg.Client, pg.Client];
    await a.query('CREATE TABLE parent (id int PRIMARY KEY); CREATE TABLE child (id int PRIMARY KEY, parent int REFERENCES parent (id))');
    await a.query('INSERT INTO parent VALUES (1), (2); INSERT INTO child VALUES (1, 1)');
    // Without the fix the backend answered "stack depth limit exceeded" after about 2,800 of these.
    const failures = 4_000;
    let refused = 0;
    let emptyReads = 0;
    const reader = (async () => {
      while (refused < failures) {
        const { rows } = await b.query<{ id: number }>('SELECT id FROM parent WHERE id = $1', [2]);
        if (rows[0]?.id !== 2) emptyReads++;
      }
    })();
    for (let i = 0; i < failures; i++) {
      await a.query('BEGIN');
      await a.query('DELETE FROM parent WHERE id = $1', [1]).then(
        () => undefined,
        (error: Error) => {
          if (/foreign key/.test(error.message)) refused++;
        },
      );
      await a.query('ROLLBACK');
    }
    await reader;
    expect(refused).toBe(failures);
    expect(emptyReads).toBe(0);
    const { rows } = await a.query<{ n: number }>('SELECT count(*)::int AS n FROM parent');
    expect(rows[0]!.n).toBe(2);
  });
});
