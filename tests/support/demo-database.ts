import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';

/**
 * A database of its own for a spec that needs the demo registry: SEED_DEMO seeds only an empty
 * registry, and other specs add trucks to the shared database. On a real server a fresh database
 * (with PostGIS) next to the shared one; otherwise an embedded PGlite kept in a temporary folder
 * (it survives an API restart within the spec). `drop()` removes it.
 */
export async function demoDatabase(): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  if (inject('databaseKind') === 'postgresql') {
    const shared = new URL(inject('databaseUrl'));
    const name = `muckwatch_demo_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: shared.toString() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(shared.toString());
    url.pathname = `/${name}`;
    const db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
    await db.query('CREATE EXTENSION IF NOT EXISTS postgis');
    await db.end();
    return {
      env: { DATABASE_URL: url.toString() },
      async drop() {
        const client = new pg.Client({ connectionString: shared.toString() });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
      },
    };
  }
  const dir = join(tmpdir(), `muckwatch-demo-${process.pid}-${randomBytes(3).toString('hex')}`);
  return {
    env: { DATABASE_URL: '', EMBEDDED_DB_DIR: dir },
    async drop() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}
