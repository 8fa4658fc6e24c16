import pg from 'pg';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LIVE_NAMESPACE, LiveEvent, type AuditPage, type TokenResponse, type TruckPosition, type UserSummary } from '@muckwatch/contracts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, type RunningApi } from '@muckwatch/api';
import { login, signInAdmin, signInAs, TEST_ADMIN, type ApiClient } from '../support/api-client.js';
import { connectTerminal, publishFixes } from '../support/mqtt.js';
import { startTestApi, uniqueTag, waitFor } from '../support/test-api.js';

/** RFC 4180 CSV (quoted fields with "" escapes, CRLF or LF rows) into rows of cells. */
function parseCsv(text: string): string[][] {
  const cells = /("(?:[^"]|"")*"|[^",\r\n]*)(,|\r?\n|$)/g;
  const rows: string[][] = [];
  let row: string[] = [];
  for (const match of text.matchAll(cells)) {
    const [whole, raw = '', end = ''] = match;
    if (whole === '' && row.length === 0) break;
    row.push(raw.startsWith('"') ? raw.slice(1, -1).replaceAll('""', '"') : raw);
    if (end !== ',') {
      rows.push(row);
      row = [];
    }
    if (end === '') break;
  }
  return rows;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

describe('accounts: sign-in, sessions, roles and the audit log', () => {
  let api: RunningApi;
  let admin: ApiClient;
  let db: pg.Pool;

  beforeAll(async () => {
    api = await startTestApi({ LOGIN_MAX_FAILURES: '3', LOGIN_LOCKOUT_MINUTES: '1', ACCESS_TOKEN_SECONDS: '60' });
    admin = await signInAdmin(api);
    db = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
  });

  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  it('refuses every API route without a token, and with a forged one', async () => {
    for (const path of ['/api/v1/trucks', '/api/v1/towns', '/api/v1/rejections', '/api/v1/users', '/api/v1/audit', '/api/v1/auth/me']) {
      expect({ path, status: (await fetch(`${api.url}${path}`)).status }).toEqual({ path, status: 401 });
    }
    const forged = `${admin.token.split('.').slice(0, 2).join('.')}.c2lnbmF0dXJl`;
    expect((await fetch(`${api.url}/api/v1/trucks`, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
    expect((await fetch(`${api.url}/api/health`)).status).toBe(200);
    expect((await fetch(`${api.url}/api/v1/console-config`)).status).toBe(200);
  });

  it('signs in with an httpOnly refresh cookie, rotates it, and refuses a reused one', async () => {
    const res = await post(`${api.url}/api/v1/auth/login`, TEST_ADMIN);
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^muckwatch_refresh=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/api\/v1\/auth/);
    const first = cookie.split(';')[0]!;

    const refreshed = await post(`${api.url}/api/v1/auth/refresh`, {}, { cookie: first });
    expect(refreshed.status).toBe(200);
    const body = (await refreshed.json()) as TokenResponse;
    expect(body.user.username).toBe(TEST_ADMIN.username);
    const second = (refreshed.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect(second).not.toBe(first);

    // The first cookie again: someone copied it. The whole session ends, for both holders.
    expect((await post(`${api.url}/api/v1/auth/refresh`, {}, { cookie: first })).status).toBe(401);
    expect((await post(`${api.url}/api/v1/auth/refresh`, {}, { cookie: second })).status).toBe(401);
    expect((await fetch(`${api.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${body.accessToken}` } })).status).toBe(401);
  });

  it("ends no session for a forged refresh cookie: only a secret the session really had counts as reuse", async () => {
    const victim = await signInAs(api, 'dispatcher');
    const signedIn = await post(`${api.url}/api/v1/auth/login`, { username: victim.user.username, password: victim.password });
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    const sessionId = decodeURIComponent(cookie.split('=')[1]!).split('.')[0]!;
    const { accessToken } = (await signedIn.json()) as TokenResponse;

    // The victim's session id with secrets it never had: 401, and nothing happens to the session.
    for (const garbage of ['garbage', 'A'.repeat(43), `${'x'.repeat(42)}.`]) {
      expect((await post(`${api.url}/api/v1/auth/refresh`, {}, { cookie: `muckwatch_refresh=${sessionId}.${garbage}` })).status).toBe(401);
    }
    expect((await fetch(`${api.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${accessToken}` } })).status).toBe(200);
    const rotated = await post(`${api.url}/api/v1/auth/refresh`, {}, { cookie });
    expect(rotated.status).toBe(200);
    const next = (rotated.headers.get('set-cookie') ?? '').split(';')[0]!;

    // The secret it rotated away from is proof of a copy: that ends the session.
    expect((await post(`${api.url}/api/v1/auth/refresh`, {}, { cookie })).status).toBe(401);
    expect((await post(`${api.url}/api/v1/auth/refresh`, {}, { cookie: next })).status).toBe(401);
    const log = await admin.get<AuditPage>(`/api/v1/audit?action=auth.refresh&actor=${victim.user.username}`);
    expect(log.body.entries.map((e) => [e.outcome, (e.detail as { reason: string }).reason])).toEqual([
      ['denied', 'refresh token reused'],
      ['failure', 'unknown refresh token'],
      ['failure', 'unknown refresh token'],
      ['failure', 'unknown refresh token'],
    ]);
  });

  it("shows the auditor no session id, in the log or its export (an opaque reference instead)", async () => {
    const user = await signInAs(api, 'dispatcher');
    const signedIn = await post(`${api.url}/api/v1/auth/login`, { username: user.user.username, password: user.password });
    const sessionId = decodeURIComponent((signedIn.headers.get('set-cookie') ?? '').split(';')[0]!.split('=')[1]!).split('.')[0]!;
    const { accessToken } = (await signedIn.json()) as TokenResponse;
    await fetch(`${api.url}/api/v1/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}` } });
    // A row as the API wrote them before: the session id itself. Shown as the same reference.
    await db.query(`INSERT INTO audit_log (actor_username, action, outcome, resource_type, resource_id) VALUES ($1, 'auth.legacy', 'success', 'session', $2)`, [
      user.user.username,
      sessionId,
    ]);

    const auditor = await signInAs(api, 'auditor');
    const page = await auditor.get<AuditPage>(`/api/v1/audit?actor=${user.user.username}`);
    const sessions = page.body.entries.filter((e) => e.resourceType === 'session');
    expect(sessions.map((e) => e.action).sort()).toEqual(['auth.legacy', 'auth.login', 'auth.login', 'auth.logout']);
    expect(sessions.every((e) => /^s-[0-9a-f]{24}$/.test(e.resourceId ?? ''))).toBe(true);
    // One session's sign-in, sign-out and the old row still read as one session.
    const ref = sessions.find((e) => e.action === 'auth.logout')!.resourceId;
    expect(sessions.filter((e) => e.resourceId === ref).map((e) => e.action).sort()).toEqual(['auth.legacy', 'auth.login', 'auth.logout']);
    expect(JSON.stringify(page.body)).not.toContain(sessionId);
    const csv = await auditor.get<string>(`/api/v1/audit/export?actor=${user.user.username}`);
    expect(csv.status).toBe(200);
    expect(csv.body).not.toContain(sessionId);
    expect(csv.body).toContain(sessions[0]!.resourceId!);
  });

  it('answers a wrong password and an unknown user alike, then locks the account with Retry-After', async () => {
    const victim = await signInAs(api, 'auditor');
    const unknown = await post(`${api.url}/api/v1/auth/login`, { username: 'nobody-here', password: 'whatever-Pass1' });
    const wrong = await post(`${api.url}/api/v1/auth/login`, { username: victim.user.username, password: 'wrong-Password1' });
    expect([unknown.status, wrong.status]).toEqual([401, 401]);
    expect(await unknown.json()).toEqual(await wrong.json());
    await post(`${api.url}/api/v1/auth/login`, { username: victim.user.username, password: 'wrong-Password2' });
    const third = await post(`${api.url}/api/v1/auth/login`, { username: victim.user.username, password: 'wrong-Password3' });
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    // Locked: even the right password is refused until the lock ends.
    const right = await post(`${api.url}/api/v1/auth/login`, { username: victim.user.username, password: victim.password });
    expect(right.status).toBe(429);

    const log = await admin.get<AuditPage>(`/api/v1/audit?action=auth.login&actor=${victim.user.username}`);
    expect(log.body.entries.map((e) => e.outcome)).toEqual(['denied', 'failure', 'failure', 'failure', 'success']);
    const unknownLog = await admin.get<AuditPage>('/api/v1/audit?action=auth.login&actor=nobody-here');
    expect(unknownLog.body.entries[0]).toMatchObject({ outcome: 'failure', detail: { reason: 'unknown user' } });
  });

  it('locks an unknown name exactly as it locks a real one, so the lock-out tells no one which names exist', async () => {
    const real = await signInAs(api, 'auditor');
    const ghost = `ghost-${uniqueTag()}`;
    const answers = async (username: string, lastPassword: string) => {
      const out: Array<{ status: number; retryAfter: string | null; body: unknown }> = [];
      for (let i = 0; i <= 3; i++) {
        const res = await post(`${api.url}/api/v1/auth/login`, { username, password: i < 3 ? `Wrong-Password-${i}` : lastPassword });
        out.push({ status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() });
      }
      return out;
    };
    // LOGIN_MAX_FAILURES=3 here: three wrong passwords, then a fourth try (the right password, for the real user).
    const ofReal = await answers(real.user.username, real.password);
    const ofGhost = await answers(ghost.toUpperCase(), 'Any-Password-123');
    expect(ofReal.map((a) => a.status)).toEqual([401, 401, 429, 429]);
    expect(ofGhost.map((a) => a.status)).toEqual(ofReal.map((a) => a.status));
    expect(ofGhost.map((a) => a.body)).toEqual(ofReal.map((a) => a.body));
    expect(ofGhost.map((a) => a.retryAfter === null)).toEqual(ofReal.map((a) => a.retryAfter === null));
    expect(Number(ofGhost[3]!.retryAfter)).toBeGreaterThan(0);

    // The counters are rows in the database, per name, with what it takes to sweep them.
    const { rows } = await db.query<{ name: string; failures: number }>(`SELECT name, failures FROM login_failures WHERE name = ANY($1)`, [
      [ghost, real.user.username.toLowerCase()],
    ]);
    expect(rows.map((r) => r.failures)).toEqual([3, 3]);
  });

  it('enforces the password policy with a 400 naming the field', async () => {
    const res = await admin.post<{ field: string; message: string }>('/api/v1/users', {
      username: 'weak-pass',
      displayName: 'Weak',
      password: 'short',
      role: 'dispatcher',
    });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('password');
    const scope = await admin.post<{ field: string }>('/api/v1/users', {
      username: 'no-town',
      displayName: 'No town',
      password: 'Long-enough-passw0rd',
      role: 'town_official',
    });
    expect([scope.status, scope.body.field]).toEqual([400, 'townCode']);
    const unknownField = await admin.post<{ field: string }>('/api/v1/users', { username: 'x1x', displayName: 'x', password: 'Long-enough-passw0rd', role: 'admin', isRoot: true });
    expect([unknownField.status, unknownField.body.field]).toEqual([400, 'isRoot']);
  });

  it('lets only admins manage users, and audits the refusal', async () => {
    const dispatcher = await signInAs(api, 'dispatcher');
    expect((await dispatcher.get('/api/v1/users')).status).toBe(403);
    expect((await dispatcher.get('/api/v1/audit')).status).toBe(403);
    const auditor = await signInAs(api, 'auditor');
    expect((await auditor.get('/api/v1/audit')).status).toBe(200);
    expect((await auditor.post('/api/v1/users', {})).status).toBe(403);
    const denied = await admin.get<AuditPage>(`/api/v1/audit?action=authz.denied&actor=${dispatcher.user.username}`);
    expect(denied.body.entries.map((e) => e.resourceId)).toEqual(['GET /api/v1/audit', 'GET /api/v1/users']);
  });

  it('applies a role change and a disabled account on the very next request', async () => {
    const user = await signInAs(api, 'dispatcher');
    expect((await user.get('/api/v1/rejections')).status).toBe(200);

    const demoted = await admin.patch<UserSummary>(`/api/v1/users/${user.user.id}`, { role: 'town_official', townCode: 'E37030502' });
    expect(demoted.body).toMatchObject({ role: 'town_official', townCode: 'E37030502' });
    expect((await user.get('/api/v1/rejections')).status).toBe(403);
    expect((await user.get<UserSummary>('/api/v1/auth/me')).body.role).toBe('town_official');

    await admin.patch(`/api/v1/users/${user.user.id}`, { disabled: true });
    expect((await user.get('/api/v1/auth/me')).status).toBe(401);
    expect((await post(`${api.url}/api/v1/auth/login`, { username: user.user.username, password: user.password })).status).toBe(401);

    const log = await admin.get<AuditPage>(`/api/v1/audit?action=user.update`);
    const change = log.body.entries.find((e) => e.resourceId === user.user.id && (e.before as { role: string }).role === 'dispatcher');
    expect(change?.before).toMatchObject({ role: 'dispatcher', town_code: null });
    expect(change?.after).toMatchObject({ role: 'town_official', town_code: 'E37030502' });
    expect(JSON.stringify(change)).not.toContain('argon2');
  });

  it('keeps at least one active admin', async () => {
    const { rows } = await db.query<{ id: string }>(`SELECT id FROM users WHERE role = 'admin' AND NOT disabled`);
    // Disable every other admin first so the test admin is the last one.
    for (const row of rows) if (row.id !== admin.user.id) await admin.patch(`/api/v1/users/${row.id}`, { disabled: true });
    const res = await admin.patch<{ field: string }>(`/api/v1/users/${admin.user.id}`, { disabled: true });
    expect(res.status).toBe(409);
    for (const row of rows) if (row.id !== admin.user.id) await admin.patch(`/api/v1/users/${row.id}`, { disabled: false });
  });

  it('refuses to change or delete audit rows, in the database itself', async () => {
    await expect(db.query(`UPDATE audit_log SET action = 'nothing'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
  });

  it('exports the audit log as CSV with zh-CN headers, and audits the export', async () => {
    const auditor = await signInAs(api, 'auditor');
    const res = await auditor.get<string>('/api/v1/audit/export?action=user');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = res.body.replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines[0]).toBe('时间,用户,角色,操作,对象类型,对象,结果,来源IP,详情');
    // Asia/Shanghai wall-clock times, actions by their Chinese names.
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},/);
    expect(res.body).toContain('创建用户');
    expect(lines.length).toBeGreaterThan(2);
    const log = await admin.get<AuditPage>(`/api/v1/audit?action=audit.export&actor=${auditor.user.username}`);
    expect(log.body.total).toBe(1);
  });

  it('neutralises spreadsheet formulas an attacker typed, in the CSV export', async () => {
    const formula = '=HYPERLINK("http://x","y")';
    expect((await post(`${api.url}/api/v1/auth/login`, { username: formula, password: 'whatever-Pass1' })).status).toBe(401);
    const auditor = await signInAs(api, 'auditor');
    const res = await auditor.get<string>('/api/v1/audit/export?action=auth.login&outcome=failure');
    expect(res.status).toBe(200);
    const rows = parseCsv(res.body.replace(/^\uFEFF/, ''));
    const actors = rows.slice(1).map((row) => row[1]);
    expect(actors).toContain(`'${formula}`);
    // No cell of the export starts a formula.
    expect(rows.flat().filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
  });

  it('signs out: the session ends and its token stops working', async () => {
    const user = await login(api.url, TEST_ADMIN.username, TEST_ADMIN.password);
    expect((await user.post('/api/v1/auth/logout')).status).toBe(204);
    expect((await user.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('lets only signed-in users onto the live socket, and ends the socket of a revoked session', async () => {
    const refused = io(`${api.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], reconnection: false });
    const error = await new Promise<Error>((resolve) => refused.once('connect_error', resolve));
    refused.close();
    expect(error.message).toBe('unauthorized');

    const user = await signInAs(api, 'dispatcher');
    const socket = io(`${api.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], auth: { token: user.token }, reconnection: false });
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    let ended = false;
    socket.once('disconnect', () => (ended = true));
    await user.post('/api/v1/auth/logout');
    await waitFor(() => ended, 5_000, 'socket ended at sign-out');
    socket.close();
  });

  it('sends security headers and never a stack trace', async () => {
    const res = await fetch(`${api.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body['stack']).toBeUndefined();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const big = await fetch(`${api.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'x', password: 'y'.repeat(6 * 1024 * 1024) }),
    });
    expect(big.status).toBe(413);
    expect(await big.text()).not.toMatch(/at .*\.js/);
  });
});

describe('accounts: rate limit on sign-in', () => {
  it('answers 429 with Retry-After past the per-minute limit', async () => {
    const api = await startTestApi({ LOGIN_RATE_PER_MINUTE: '5' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        // A new name each time: the lock-out counts per name, and this is about the per-address limit.
        const res = await post(`${api.url}/api/v1/auth/login`, { username: `nobody-${i}-${uniqueTag()}`, password: 'Nothing-at-all-1' });
        statuses.push(res.status);
        if (res.status === 429) expect(res.headers.get('retry-after')).toBeTruthy();
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    } finally {
      await api.close();
    }
  });
});

describe("accounts: a town official's live map", () => {
  it('shows only the trucks inside their own town', async () => {
    const api = await startTestApi({ LIVE_BATCH_MS: '200' });
    const terminal = await connectTerminal(inject('mqttUrl'), `scope-${uniqueTag()}`);
    try {
      const official = await signInAs(api, 'town_official', { townCode: 'E37030501' });
      const db = new pg.Client({ connectionString: inject('databaseUrl') });
      await db.connect();
      const { rows } = await db.query<{ code: string; lon: number; lat: number }>(
        `SELECT code, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat
           FROM towns WHERE code IN ('E37030501', 'E37030502') ORDER BY code`,
      );
      await db.end();
      const [inside, outside] = rows;
      const tag = uniqueTag();
      const batches: TruckPosition[][] = [];
      const socket = io(`${api.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], auth: { token: official.token }, reconnection: false });
      socket.on(LiveEvent.Positions, (positions: TruckPosition[]) => batches.push(positions));
      await new Promise<void>((resolve) => socket.once(LiveEvent.Snapshot, () => resolve()));
      const ts = Date.now() - 1000;
      await publishFixes(terminal, `in-${tag}`, { ts, lat: inside!.lat, lon: inside!.lon, speedKmh: 10, headingDeg: 0 });
      await publishFixes(terminal, `out-${tag}`, { ts, lat: outside!.lat, lon: outside!.lon, speedKmh: 10, headingDeg: 0 });
      await publishFixes(terminal, `in2-${tag}`, { ts, lat: inside!.lat, lon: inside!.lon, speedKmh: 10, headingDeg: 0 });
      await waitFor(() => batches.flat().some((p) => p.terminalId === `in2-${tag}`), 10_000, 'the second inside truck');
      const seen = batches.flat().map((p) => p.terminalId);
      expect(seen).toContain(`in-${tag}`);
      expect(seen).not.toContain(`out-${tag}`);
      socket.close();
    } finally {
      await terminal.endAsync();
      await api.close();
    }
  });
});

describe('accounts: the demo on a fresh database', () => {
  it('seeds one documented account per role, each able to sign in', async () => {
    // Its own empty embedded database, as `npm start` on a fresh clone has.
    const api = await startTestApi({ DATABASE_URL: '', EMBEDDED_DB_DIR: 'memory://', SEED_DEMO: 'true' });
    try {
      for (const account of DEMO_ACCOUNTS) {
        const client = await login(api.url, account.username, DEMO_PASSWORD);
        expect(client.user).toMatchObject({ username: account.username, role: account.role });
      }
    } finally {
      await api.close();
    }
  });
});
