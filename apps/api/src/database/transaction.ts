import type pg from 'pg';

/**
 * Runs `work` in one transaction on a client of the pool: COMMIT when it resolves, ROLLBACK when
 * it throws. A checked-out client has no error listener of the pool's: a connection dropped
 * between two statements (database restarted, network cut) would emit an unhandled 'error' and
 * end the process. Here that error is caught, fails the transaction's next statement, and the
 * broken connection is destroyed on release instead of going back to the pool.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error): void => {
    broken = error;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken ??= rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
