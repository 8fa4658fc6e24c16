import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_DATABASE_ROLE } from '../config/api-config.js';
import { MIGRATIONS } from './migrations/index.js';

/**
 * Boot with DATABASE_OWNER_URL (README "Configuration"): the owner runs the pending migrations
 * (which create `muckwatch_app`, migrations/1765200000000-AppRole.ts), lets `muckwatch_app` log in
 * with the password of DATABASE_URL, and hands it the `positions` partitions another role created
 * (retention drops them as their owner). The API's pools then connect as `muckwatch_app` only.
 *
 * The password reaches the server as a SCRAM-SHA-256 verifier, never in clear text, so it does
 * not appear in the server's statement log. The owner needs CREATEROLE (or be a superuser).
 */
export async function migrateAsOwner(ownerUrl: string, appUrl: string, applicationName: string): Promise<void> {
  await migrateOnce(ownerUrl, applicationName, async (owner) => {
    const password = decodeURIComponent(new URL(appUrl).password);
    const login = password === '' ? 'LOGIN' : `LOGIN PASSWORD '${scramVerifier(password)}'`;
    await owner.query(`ALTER ROLE ${APP_DATABASE_ROLE} ${login}`);
    const partitions = await owner.query<Array<{ name: string }>>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'positions'::regclass AND pg_get_userbyid(c.relowner) <> $1`,
      [APP_DATABASE_ROLE],
    );
    for (const { name } of partitions) {
      await owner.query(`ALTER TABLE "${name.replace(/"/g, '""')}" OWNER TO ${APP_DATABASE_ROLE}`);
    }
  });
}

/**
 * Runs the pending migrations once however many instances start together: under a session-level
 * advisory lock, so a second instance waits for the first and then finds nothing pending (two
 * running them at once on a fresh database would both create the same tables, and one would fail).
 * `after` runs under the same lock.
 */
export async function migrateOnce(url: string, applicationName: string, after?: (db: DataSource) => Promise<void>): Promise<void> {
  const db = new DataSource({ type: 'postgres', url, migrations: MIGRATIONS, synchronize: false, applicationName });
  await db.initialize();
  const lock = db.createQueryRunner();
  try {
    await lock.connect();
    await lock.query(`SELECT pg_advisory_lock(hashtext('muckwatch:migrations'))`);
    await db.runMigrations({ transaction: 'all' });
    await after?.(db);
    await lock.query(`SELECT pg_advisory_unlock(hashtext('muckwatch:migrations'))`);
  } finally {
    // Closing the pool ends the session, which releases the lock whatever happened.
    await lock.release().catch(() => undefined);
    await db.destroy();
  }
}

/** PostgreSQL's stored form of a SCRAM-SHA-256 password (RFC 5802, RFC 7677; 4096 iterations as the server's default). */
export function scramVerifier(password: string, salt: Buffer = randomBytes(16), iterations = 4096): string {
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
