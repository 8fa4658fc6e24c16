import pg from 'pg';
import { inTransaction } from './transaction.js';

export type ExclusiveResult<T> = { ran: true; value: T } | { ran: false };

/**
 * Scheduled work that must run once however many API instances run it (month close, retention):
 * `work` runs inside one transaction that holds the PostgreSQL advisory lock named `lockName`
 * (pg_try_advisory_xact_lock: not waiting; released at COMMIT or ROLLBACK). When another session
 * holds it, nothing runs and `{ ran: false }` comes back. `work` should re-check, inside the same
 * transaction, that its job is still to be done: the other holder may just have done it.
 */
export async function runExclusive<T>(pool: pg.Pool, lockName: string, work: (db: pg.PoolClient) => Promise<T>): Promise<ExclusiveResult<T>> {
  return inTransaction(pool, async (db) => {
    const { rows } = await db.query<{ locked: boolean }>(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`, [lockName]);
    if (!rows[0]?.locked) return { ran: false };
    return { ran: true, value: await work(db) };
  });
}

/**
 * As runExclusive, for work that must not sit in one transaction (ALTER TABLE … DETACH PARTITION
 * CONCURRENTLY refuses a transaction block): a session-level advisory lock on one pooled
 * connection, released when the work ends. `work` must use that connection only (the embedded
 * database has one).
 */
export async function runExclusiveSession<T>(pool: pg.Pool, lockName: string, work: (db: pg.PoolClient) => Promise<T>): Promise<ExclusiveResult<T>> {
  const db = await pool.connect();
  let broken = false;
  try {
    const { rows } = await db.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [lockName]);
    if (!rows[0]?.locked) return { ran: false };
    try {
      return { ran: true, value: await work(db) };
    } finally {
      await db.query(`SELECT pg_advisory_unlock(hashtext($1))`, [lockName]).catch(() => {
        // The lock goes with the session: a connection that cannot unlock is not reused.
        broken = true;
      });
    }
  } finally {
    db.release(broken);
  }
}

/**
 * Boot work every instance runs but no two at once (seeding the towns, the demo registry, the first
 * admin): waits for the advisory lock `lockName` on a connection of its own, then runs `work`,
 * which must check what is already done (the instance before may have done it). With the embedded
 * database there is one session, so nothing ever waits.
 */
export async function runSerialized<T>(databaseUrl: string, lockName: string, work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'muckwatch-api-boot' });
  await client.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(hashtext($1))`, [lockName]);
    return await work();
  } finally {
    // Ending the session releases the lock.
    await client.end().catch(() => undefined);
  }
}
