import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { CreateUserRequest } from '@muckwatch/contracts';
import { PositionPartitions, scramVerifier } from '@muckwatch/api';
import { signInAdmin } from '../support/api-client.js';
import { demoDatabase } from '../support/demo-database.js';
import { connectTerminal, lineOfFixes, publishFixes } from '../support/mqtt.js';
import { startTestApi, uniqueTag, waitFor } from '../support/test-api.js';

// DATABASE_OWNER_URL: the owner migrates, the API runs as muckwatch_app, which cannot touch the
// append-only tables' triggers (migrations/1765200000000-AppRole.ts, database/app-role.ts).
describe.skipIf(inject('databaseKind') !== 'postgresql')('the API as muckwatch_app (PostgreSQL only: the embedded PGlite has one user)', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it('ingests, audits and keeps retention working, while its own credentials cannot alter the audit log or the frozen rankings', async () => {
    const tag = uniqueTag();
    const database = await demoDatabase();
    cleanup.push(() => database.drop());
    const ownerUrl = database.env['DATABASE_URL']!;
    const appUrl = new URL(ownerUrl);
    appUrl.username = 'muckwatch_app';
    appUrl.password = `App-${randomBytes(12).toString('base64url')}`;
    const api = await startTestApi({ DATABASE_URL: appUrl.toString(), DATABASE_OWNER_URL: ownerUrl });
    cleanup.push(() => api.close());

    const owner = new pg.Client({ connectionString: ownerUrl });
    await owner.connect();
    cleanup.push(() => owner.end());
    const { rows: sessions } = await owner.query<{ usename: string }>(
      `SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'muckwatch-api'`,
    );
    expect(sessions.map((s) => s.usename)).toEqual(['muckwatch_app']);

    // Normal operation: fixes are stored (into a partition the app created), a user is created and audited.
    const terminalId = `ROLE${tag}`.toUpperCase();
    const client = await connectTerminal(inject('mqttUrl'), `role-${tag}`);
    cleanup.push(() => client.endAsync());
    await publishFixes(client, terminalId, lineOfFixes(Date.now() - 120_000, 5));
    await waitFor(async () => {
      const { rows } = await owner.query<{ n: number }>('SELECT count(*)::int AS n FROM positions WHERE terminal_id = $1', [terminalId]);
      return rows[0]!.n === 5;
    }, 30_000, 'the fixes stored by the app role');
    const admin = await signInAdmin(api);
    const request: CreateUserRequest = {
      username: `role-${tag}`,
      displayName: '角色测试',
      password: `Pw-${randomBytes(9).toString('base64url')}-9a`,
      role: 'auditor',
      townCode: null,
      department: null,
    };
    expect((await admin.post('/api/v1/users', request)).status).toBe(201);
    const { rows: audited } = await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'user.create' AND after->>'username' = $1`, [request.username]);
    expect(audited[0]!.n).toBe(1);

    const app = new pg.Client({ connectionString: appUrl.toString() });
    await app.connect();
    cleanup.push(() => app.end());
    const countOf = async (table: string): Promise<number> => (await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
    // A frozen month to attack (inserting is what the app may do).
    await app.query(
      `INSERT INTO ranking_snapshots (month, revision, methodology_version, inputs, inputs_sha256, result) VALUES ('2001-01', 1, 1, '{}', repeat('0', 64), '{}')`,
    );
    const before = { audit: await countOf('audit_log'), snapshots: await countOf('ranking_snapshots') };

    const refused = async (sql: string): Promise<string> => {
      const error = await app.query(sql).then(() => null, (e: Error) => e);
      expect(error, `${sql} must be refused`).not.toBeNull();
      return error!.message;
    };
    for (const [table, fn] of [
      ['audit_log', 'audit_log_refuse_change'],
      ['ranking_snapshots', 'ranking_snapshots_refuse_change'],
    ] as const) {
      expect(await refused(`ALTER TABLE ${table} DISABLE TRIGGER ${table}_append_only`)).toMatch(/must be owner/);
      expect(await refused(`ALTER TABLE ${table} DISABLE TRIGGER ALL`)).toMatch(/must be owner/);
      expect(await refused(`DROP TRIGGER ${table}_append_only ON ${table}`)).toMatch(/must be owner/);
      expect(await refused(`ALTER TABLE ${table} OWNER TO muckwatch_app`)).toMatch(/must be owner/);
      expect(await refused(`DROP TABLE ${table}`)).toMatch(/must be owner/);
      expect(await refused(`CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$`)).toMatch(/must be owner/);
      // Granting itself more: PostgreSQL answers with a warning ("no privileges were granted") and grants nothing.
      await app.query(`GRANT UPDATE, DELETE, TRUNCATE ON ${table} TO muckwatch_app`);
      const column = table === 'audit_log' ? 'action' : 'created_by';
      expect(await refused(`UPDATE ${table} SET ${column} = ${column}`)).toMatch(/permission denied/);
      expect(await refused(`DELETE FROM ${table}`)).toMatch(/permission denied/);
      expect(await refused(`TRUNCATE ${table}`)).toMatch(/permission denied/);
    }
    // Triggers off for the session: superuser only.
    expect(await refused(`SET session_replication_role = replica`)).toMatch(/permission denied/);
    expect({ audit: await countOf('audit_log'), snapshots: await countOf('ranking_snapshots') }).toEqual(before);
    const { rows: triggers } = await owner.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_trigger WHERE tgenabled = 'O' AND tgname IN ('audit_log_append_only', 'audit_log_no_truncate', 'ranking_snapshots_append_only', 'ranking_snapshots_no_truncate')`,
    );
    expect(triggers[0]!.n).toBe(4);

    // Retention as the app role: it creates a month partition ahead and drops an expired one.
    const pool = new pg.Pool({ connectionString: appUrl.toString(), max: 1 });
    cleanup.push(() => pool.end());
    const partitions = new PositionPartitions();
    await partitions.ensureFor(pool, [Date.UTC(2001, 0, 15)]);
    expect(await partitions.dropOlderThan(pool, 6)).toEqual(['positions_y2001m01']);
    const { rows: owners } = await owner.query<{ owner: string }>(
      `SELECT DISTINCT pg_get_userbyid(c.relowner) AS owner FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'positions'::regclass`,
    );
    expect(owners).toEqual([{ owner: 'muckwatch_app' }]);
  });

  it("sends the app role's password as the same SCRAM-SHA-256 verifier PostgreSQL makes from it", async () => {
    // The test server admits by `trust`, so a login proves nothing about the password: compare with the server's own hashing.
    const db = new pg.Client({ connectionString: inject('databaseUrl') });
    await db.connect();
    cleanup.push(() => db.end());
    const role = `scram_check_${uniqueTag()}`;
    const password = `Pw ${randomBytes(9).toString('base64url')} 密码`;
    await db.query(`SET password_encryption = 'scram-sha-256'`);
    await db.query(`CREATE ROLE ${role} NOLOGIN PASSWORD ${db.escapeLiteral(password)}`);
    cleanup.push(async () => void (await db.query(`DROP ROLE IF EXISTS ${role}`)));
    const { rows } = await db.query<{ verifier: string }>('SELECT rolpassword AS verifier FROM pg_authid WHERE rolname = $1', [role]);
    const match = /^SCRAM-SHA-256\$(\d+):([^$]+)\$/.exec(rows[0]!.verifier)!;
    expect(scramVerifier(password, Buffer.from(match[2]!, 'base64'), Number(match[1]))).toBe(rows[0]!.verifier);
  });
});
