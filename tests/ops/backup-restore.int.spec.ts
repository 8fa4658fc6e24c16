import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { CreateUserRequest, ViolationDetail } from '@muckwatch/contracts';
import { buildScenario, publishScenario } from '@muckwatch/fleet';
import { signInAdmin, type ApiClient } from '../support/api-client.js';
import { demoDatabase } from '../support/demo-database.js';
import { connectTerminal, publishFixes } from '../support/mqtt.js';
import { startTestApi, uniqueTag, waitFor } from '../support/test-api.js';

const run = promisify(execFile);

/** Every committed row's identity in the three tables a restore must not lose. */
interface Keys {
  fixes: Set<string>;
  violations: Set<string>;
  audit: Set<string>;
}

async function keysOf(url: string): Promise<Keys> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    // One snapshot for the three reads: a row counted here was committed before this moment.
    await db.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const fixes = await db.query<{ k: string }>(`SELECT terminal_id || '@' || to_char(fix_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS k FROM positions`);
    const violations = await db.query<{ k: string }>('SELECT id AS k FROM violations');
    const audit = await db.query<{ k: string }>('SELECT id::text AS k FROM audit_log');
    await db.query('COMMIT');
    return {
      fixes: new Set(fixes.rows.map((r) => r.k)),
      violations: new Set(violations.rows.map((r) => r.k)),
      audit: new Set(audit.rows.map((r) => r.k)),
    };
  } finally {
    await db.end();
  }
}

const missing = (expected: Set<string>, actual: Set<string>): string[] => [...expected].filter((k) => !actual.has(k));

// scripts/backup.sh under ingest, scripts/restore.sh into a fresh database (docs/operations.md);
// the API runs as muckwatch_app, the owner (DATABASE_OWNER_URL) takes the backup.
describe.skipIf(inject('databaseKind') !== 'postgresql')('backup and restore (PostgreSQL only: the embedded PGlite has no pg_dump)', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it('a backup taken during ingest restores every fix, violation and audit row committed before it, and the append-only triggers still hold', async () => {
    const tag = uniqueTag();
    const database = await demoDatabase();
    cleanup.push(() => database.drop());
    const liveUrl = database.env['DATABASE_URL']!;
    // As in production: the owner migrates, the API runs as muckwatch_app (docs/operations.md).
    const appUrl = new URL(liveUrl);
    appUrl.username = 'muckwatch_app';
    appUrl.password = `App-${randomBytes(12).toString('base64url')}`;
    const api = await startTestApi({ SEED_DEMO: 'true', FIX_MAX_FUTURE_SECONDS: '7200', DATABASE_URL: appUrl.toString(), DATABASE_OWNER_URL: liveUrl });
    let apiOpen = true;
    const closeApi = async (): Promise<void> => {
      if (apiOpen) await api.close();
      apiOpen = false;
    };
    cleanup.push(closeApi);
    const admin: ApiClient = await signInAdmin(api);
    const mqttUrl = inject('mqttUrl');

    // A violation from the demo fleet before the backup (an unsealed truck).
    const unsealed = buildScenario('unsealed_transport', { startMs: Date.now(), variant: 3 });
    await publishScenario(unsealed, { url: mqttUrl, mode: 'backlog' });

    // Ingest that never pauses: unregistered terminals (each raises an unregistered_terminal
    // violation) report a fix after another, and the admin keeps creating users (audited).
    let stop = false;
    const terminalIds = Array.from({ length: 4 }, (_, i) => `BK${tag}${i}`.toUpperCase());
    const client = await connectTerminal(mqttUrl, `backup-${tag}`);
    cleanup.push(() => client.endAsync());
    const startMs = Date.now() - 600_000;
    let published = 0;
    const ingest = (async () => {
      for (let n = 0; !stop && n < 100_000; n += 1) {
        const ts = new Date(startMs + n * 1000).toISOString();
        await Promise.all(
          terminalIds.map((terminalId, i) =>
            publishFixes(client, terminalId, { ts, lat: 36.82 + i * 0.01, lon: 118.3 + n * 0.00005, speedKmh: 20, headingDeg: 90, seq: n }),
          ),
        );
        published += terminalIds.length;
      }
    })();
    let usersCreated = 0;
    const audited = (async () => {
      for (let n = 0; !stop && n < 10_000; n += 1) {
        const request: CreateUserRequest = {
          username: `bk-${tag}-${n}`,
          displayName: `备份测试 ${n}`,
          password: `Pw-${randomBytes(9).toString('base64url')}-9a`,
          role: 'auditor',
          townCode: null,
          department: null,
        };
        expect((await admin.post('/api/v1/users', request)).status).toBe(201);
        usersCreated += 1;
      }
    })();

    const liveDb = new pg.Client({ connectionString: liveUrl });
    await liveDb.connect();
    cleanup.push(() => liveDb.end());
    const violationsOf = async (terminals: string[]): Promise<Array<{ id: string; terminal_id: string }>> =>
      (await liveDb.query<{ id: string; terminal_id: string }>('SELECT id, terminal_id FROM violations WHERE terminal_id = ANY($1)', [terminals])).rows;
    await waitFor(async () => {
      const found = new Set((await violationsOf([unsealed.terminalId, ...terminalIds])).map((v) => v.terminal_id));
      const { rows } = await liveDb.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
      return rows[0]!.n > 3 && found.size === terminalIds.length + 1;
    }, 60_000, 'violations of every terminal and audit rows committed');
    const unsealedRows = await violationsOf([unsealed.terminalId]);

    // Everything committed before the backup starts: the restore must hold all of it.
    const before = await keysOf(liveUrl);
    const publishedAtStart = published;
    const dir = await mkdtemp(join(tmpdir(), 'muckwatch-backup-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const backup = await run('bash', ['scripts/backup.sh', dir], { env: { ...process.env, BACKUP_DATABASE_URL: '', DATABASE_URL: appUrl.toString(), DATABASE_OWNER_URL: liveUrl } });
    const dumpFile = backup.stdout.trim().split('\n').pop()!;
    expect(dumpFile).toMatch(/muckwatch-muckwatch_demo_[0-9a-f]+-\d{8}T\d{6}\+0800\.dump$/);
    const publishedAtEnd = published;

    // Ingest went on while pg_dump ran (acknowledged fixes are committed fixes).
    await waitFor(() => published > publishedAtStart + terminalIds.length, 30_000, 'ingest continues after the backup');
    stop = true;
    await Promise.all([ingest, audited]);
    const after = await keysOf(liveUrl);
    expect(after.fixes.size).toBeGreaterThan(before.fixes.size);
    expect(after.audit.size).toBeGreaterThan(before.audit.size);

    // Restore into a database that does not exist yet.
    const restoredName = `muckwatch_restore_${randomBytes(4).toString('hex')}`;
    const restoredUrl = new URL(liveUrl);
    restoredUrl.pathname = `/${restoredName}`;
    cleanup.push(async () => {
      const db = new pg.Client({ connectionString: liveUrl });
      await db.connect();
      await db.query(`DROP DATABASE IF EXISTS ${restoredName} WITH (FORCE)`);
      await db.end();
    });
    const restore = await run('bash', ['scripts/restore.sh', dumpFile, restoredUrl.toString()], { env: { ...process.env, RESTORE_MAINTENANCE_DB: new URL(liveUrl).pathname.slice(1) } });
    expect(restore.stderr).toMatch(/restored: \d+ migrations, \d+ fixes, \d+ violations, \d+ audit rows/);
    // A second restore into the same name is refused: a restore never overwrites.
    const again = await run('bash', ['scripts/restore.sh', dumpFile, restoredUrl.toString()], { env: { ...process.env, RESTORE_MAINTENANCE_DB: new URL(liveUrl).pathname.slice(1) } }).catch((e: { code: number }) => e);
    expect((again as { code: number }).code).toBe(3);

    const restored = await keysOf(restoredUrl.toString());
    expect(missing(before.fixes, restored.fixes)).toEqual([]);
    expect(missing(before.violations, restored.violations)).toEqual([]);
    expect(missing(before.audit, restored.audit)).toEqual([]);
    // Nothing in the restore that the live database never committed.
    expect(missing(restored.fixes, after.fixes)).toEqual([]);
    expect(missing(restored.violations, after.violations)).toEqual([]);
    expect(missing(restored.audit, after.audit)).toEqual([]);
    console.log(
      `backup under ingest: ${publishedAtEnd - publishedAtStart} fixes acknowledged while pg_dump ran; ` +
        `restored ${restored.fixes.size} fixes (${before.fixes.size} committed before the dump, ${restored.fixes.size - before.fixes.size} during it, ${after.fixes.size - restored.fixes.size} after its snapshot), ` +
        `${restored.violations.size} violations (${before.violations.size} before, ${after.violations.size - restored.violations.size} after), ` +
        `${restored.audit.size} audit rows (${before.audit.size} before, ${after.audit.size - restored.audit.size} after); ${usersCreated} users created`,
    );

    // Audit rows come back byte for byte.
    const db = new pg.Client({ connectionString: restoredUrl.toString() });
    await db.connect();
    cleanup.push(() => db.end());
    const auditText = async (c: pg.Client): Promise<string[]> =>
      (await c.query<{ r: string }>('SELECT a::text AS r FROM audit_log a WHERE id = ANY($1::bigint[]) ORDER BY id', [[...before.audit]])).rows.map((r) => r.r);
    expect(await auditText(db)).toEqual(await auditText(liveDb));

    // The append-only triggers hold in the restored database, even for its superuser.
    const refused = async (sql: string): Promise<string> => {
      const error = await db.query(sql).then(() => null, (e: Error) => e);
      expect(error, sql).not.toBeNull();
      return error!.message;
    };
    expect(await refused('UPDATE audit_log SET action = action')).toMatch(/append-only/);
    expect(await refused('DELETE FROM audit_log')).toMatch(/append-only/);
    expect(await refused('TRUNCATE audit_log')).toMatch(/append-only/);
    await db.query(
      `INSERT INTO ranking_snapshots (month, revision, methodology_version, inputs, inputs_sha256, result)
       VALUES ('2001-01', 1, 1, '{}', repeat('0', 64), '{}')`,
    );
    expect(await refused(`UPDATE ranking_snapshots SET reason = 'x'`)).toMatch(/append-only/);
    expect(await refused('DELETE FROM ranking_snapshots')).toMatch(/append-only/);
    expect(await refused('TRUNCATE ranking_snapshots')).toMatch(/append-only/);

    // The API runs on the restored database, as muckwatch_app again: no migration pending, the violation is served.
    await closeApi();
    const restoredAppUrl = new URL(restoredUrl.toString());
    restoredAppUrl.username = appUrl.username;
    restoredAppUrl.password = appUrl.password;
    const restoredApi = await startTestApi({ DATABASE_URL: restoredAppUrl.toString(), DATABASE_OWNER_URL: restoredUrl.toString() });
    cleanup.push(() => restoredApi.close());
    const restoredAdmin = await signInAdmin(restoredApi);
    const violationId = unsealedRows.find((v) => before.violations.has(v.id))!.id;
    const detail = await restoredAdmin.get<ViolationDetail>(`/api/v1/violations/${encodeURIComponent(violationId)}`);
    expect(detail.status).toBe(200);
    expect(detail.body.terminalId).toBe(unsealed.terminalId);
  });
});
