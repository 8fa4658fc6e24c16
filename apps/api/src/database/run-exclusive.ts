import type pg from 'pg';
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
