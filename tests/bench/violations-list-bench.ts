/**
 * Violation case list benchmark: 100,000 cases over 90 days (towns, companies, trucks, types,
 * severities, states, departments, deadlines) in a fresh database with the real migrations, then
 * the list endpoint timed per filter, sort, deep page, count and scope, and a 10,000-row xlsx
 * export. Prints medians of N runs as a table, and whether PostgreSQL's plan for the page query
 * reads the violations table sequentially. Needs PostgreSQL with PostGIS (DATABASE_URL of a
 * server where a database may be created, default postgres://postgres@127.0.0.1:5432/postgres).
 *
 *   npm run bench:violations -- --cases 100000 --runs 7
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { CasesRepository, loadApiConfig, parseCaseFilter, parseCasePaging, startApi } from '@muckwatch/api';
import { VIOLATION_TYPE_NAMES } from '@muckwatch/contracts';
import { TEST_ADMIN, login } from '../support/api-client.js';

const { values: args } = parseArgs({
  options: { cases: { type: 'string', default: '100000' }, runs: { type: 'string', default: '7' }, keep: { type: 'boolean', default: false } },
});
const CASES = Number(args.cases);
const RUNS = Number(args.runs);
const SERVER = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DAY = 86_400_000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Whether a plan (EXPLAIN FORMAT JSON) reads `relation` with a sequential scan anywhere. */
function seqScans(plan: unknown, relation: string): boolean {
  if (Array.isArray(plan)) return plan.some((p) => seqScans(p, relation));
  if (plan === null || typeof plan !== 'object') return false;
  const node = plan as Record<string, unknown>;
  if (node['Node Type'] === 'Seq Scan' && node['Relation Name'] === relation) return true;
  return Object.values(node).some((v) => seqScans(v, relation));
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function seed(db: pg.Client): Promise<{ companyId: string; truckId: string; plate: string; townCode: string }> {
  const t0 = Date.now();
  await db.query(`
    INSERT INTO transport_companies (id, name, credit_code)
    SELECT gen_random_uuid(), '基准运输' || g, lpad(g::text, 18, '9') FROM generate_series(1, 40) g`);
  await db.query(`
    INSERT INTO trucks (id, plate, company_id)
    SELECT gen_random_uuid(), '鲁C' || lpad(g::text, 5, '0'), c.id
      FROM generate_series(1, 800) g
      JOIN (SELECT id, row_number() OVER (ORDER BY name) AS n FROM transport_companies) c ON c.n = 1 + g % 40`);
  const towns = (await db.query<{ code: string }>(`SELECT code FROM towns ORDER BY code`)).rows.map((r) => r.code);
  const departments = ['traffic-police', 'urban-management', 'transport', 'ecology'];
  // States by share: new 30%, confirmed 10%, dismissed 10%, assigned 20%, handled 10%, returned 5%, closed 15%.
  await db.query(
    `WITH trucks_n AS (SELECT id, plate, row_number() OVER (ORDER BY plate) AS n FROM trucks),
          g AS (SELECT g, random() AS r, now() - (random() * interval '90 days') AS started FROM generate_series(1, $1) g)
     INSERT INTO violations (id, type, severity, status, terminal_id, truck_id, plate, started_at, start_geom, ended_at, end_geom,
                             town_code, reasons, case_state, version, department_code, assigned_at, deadline, handled_at, closed_at,
                             dismiss_reason, outcome, updated_at)
     SELECT 'B' || lpad((1 + g.g % 800)::text, 6, '0') || '/' || ($2::text[])[1 + g.g % 12] || '/' || g.g,
            ($2::text[])[1 + g.g % 12],
            (ARRAY['low','medium','high','critical'])[1 + (g.g / 12) % 4],
            CASE WHEN g.g % 50 = 0 THEN 'open' ELSE 'closed' END,
            'B' || lpad((1 + g.g % 800)::text, 6, '0'), t.id, t.plate, g.started,
            ST_SetSRID(ST_MakePoint(118.2 + random() * 0.2, 36.75 + random() * 0.15), 4326),
            CASE WHEN g.g % 50 = 0 THEN NULL ELSE g.started + interval '10 minutes' END,
            CASE WHEN g.g % 50 = 0 THEN NULL ELSE ST_SetSRID(ST_MakePoint(118.3, 36.8), 4326) END,
            ($3::text[])[1 + g.g % array_length($3::text[], 1)],
            '[{"code":"bench","detail":"基准数据"}]'::jsonb,
            s.state, CASE s.state WHEN 'new' THEN 1 ELSE 3 END,
            CASE WHEN s.state IN ('assigned','handled','returned','closed') THEN ($4::text[])[1 + g.g % 4] END,
            CASE WHEN s.state IN ('assigned','handled','returned','closed') THEN g.started + interval '2 hours' END,
            CASE WHEN s.state IN ('assigned','handled','returned','closed') THEN g.started + interval '74 hours' END,
            CASE WHEN s.state IN ('handled','closed') THEN g.started + (random() * interval '96 hours') END,
            CASE WHEN s.state = 'closed' THEN g.started + interval '100 hours' END,
            CASE WHEN s.state = 'dismissed' THEN 'gps_drift' END,
            CASE WHEN s.state IN ('handled','closed') THEN '{"kind":"penalty","decisionNumber":"临罚001","amountYuan":2000}'::jsonb END,
            g.started + interval '3 hours'
       FROM g
       JOIN trucks_n t ON t.n = 1 + g.g % 800
       CROSS JOIN LATERAL (SELECT CASE WHEN g.r < 0.30 THEN 'new' WHEN g.r < 0.40 THEN 'confirmed' WHEN g.r < 0.50 THEN 'dismissed'
                                       WHEN g.r < 0.70 THEN 'assigned' WHEN g.r < 0.80 THEN 'handled' WHEN g.r < 0.85 THEN 'returned'
                                       ELSE 'closed' END AS state) s`,
    [CASES, VIOLATION_TYPE_NAMES, towns, departments],
  );
  await db.query(`
    INSERT INTO violation_case_events (violation_id, at, action, from_state, to_state, department_code, deadline)
    SELECT id, assigned_at, 'assign', 'confirmed', 'assigned', department_code, deadline FROM violations WHERE department_code IS NOT NULL`);
  await db.query(`
    INSERT INTO violation_case_events (violation_id, at, action, from_state, to_state, outcome)
    SELECT id, handled_at, 'handle', 'assigned', 'handled', outcome FROM violations WHERE handled_at IS NOT NULL`);
  await db.query('VACUUM ANALYZE violations');
  await db.query('VACUUM ANALYZE violation_case_events');
  const pick = await db.query<{ company_id: string; truck_id: string; plate: string; town_code: string }>(
    `SELECT t.company_id, v.truck_id, v.plate, v.town_code FROM violations v JOIN trucks t ON t.id = v.truck_id LIMIT 1`,
  );
  console.log(`seeded ${CASES} cases in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const p = pick.rows[0]!;
  return { companyId: p.company_id, truckId: p.truck_id, plate: p.plate, townCode: p.town_code };
}

async function main(): Promise<void> {
  const name = `muckwatch_bench_cases_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  await db.query('CREATE EXTENSION IF NOT EXISTS postgis');
  const api = await startApi(
    loadApiConfig({
      DATABASE_URL: url.toString(),
      PORT: '0',
      LOG_LEVEL: 'warn',
      WEB_DIST: 'none',
      EMBEDDED_MQTT_PORT: '0',
      ADMIN_USERNAME: TEST_ADMIN.username,
      ADMIN_PASSWORD: TEST_ADMIN.password,
      SECURE_COOKIES: 'false',
      EXPENSIVE_RATE_PER_MINUTE: '10000',
      LOGIN_RATE_PER_MINUTE: '10000',
    }),
  );
  try {
    const picked = await seed(db);
    const client = await login(api.url, TEST_ADMIN.username, TEST_ADMIN.password);
    const officerName = `bench-officer-${randomBytes(2).toString('hex')}`;
    const officerPassword = `Pw-${randomBytes(9).toString('base64url')}-9a`;
    await client.post('/api/v1/users', { username: officerName, displayName: officerName, password: officerPassword, role: 'enforcement_officer', department: 'traffic-police' });
    const officer = await login(api.url, officerName, officerPassword);
    const repo = new CasesRepository(new pg.Pool({ connectionString: url.toString(), max: 2 }));
    const principal = { userId: client.user.id, username: client.user.username, role: 'admin' as const, townCode: null, department: null, sessionId: 'bench' };
    const iso = (ms: number): string => encodeURIComponent(new Date(ms).toISOString());
    const now = Date.now();
    const scenarios: Array<[string, string, 'admin' | 'officer']> = [
      ['first page, unfiltered (baseline)', '', 'admin'],
      ['from/to: last 7 days', `from=${iso(now - 7 * DAY)}&to=${iso(now)}`, 'admin'],
      ['type=overspeed', 'type=overspeed', 'admin'],
      ['severity=critical', 'severity=critical', 'admin'],
      ['caseState=assigned', 'caseState=assigned', 'admin'],
      ['status=open', 'status=open', 'admin'],
      ['townCode', `townCode=${picked.townCode}`, 'admin'],
      ['companyId', `companyId=${picked.companyId}`, 'admin'],
      ['truckId', `truckId=${picked.truckId}`, 'admin'],
      ['plate', `plate=${encodeURIComponent(picked.plate)}`, 'admin'],
      ['departmentCode', 'departmentCode=traffic-police', 'admin'],
      ['overdue=true', 'overdue=true', 'admin'],
      ['combined (types, states, dept, 30 days)', `type=overspeed,off_route&caseState=assigned,returned&departmentCode=traffic-police&from=${iso(now - 30 * DAY)}`, 'admin'],
      ['combined + overdue, sort deadline asc', 'departmentCode=ecology&overdue=true&sort=deadline&order=asc', 'admin'],
      ...(['startedAt', 'severity', 'deadline', 'updatedAt', 'type', 'caseState'] as const).map(
        (f) => [`sort=${f} desc`, `sort=${f}&order=desc`, 'admin'] as [string, string, 'admin'],
      ),
      ['deep page (page 1000 of 50)', 'page=1000&pageSize=50', 'admin'],
      ['pageSize=500', 'pageSize=500', 'admin'],
      ['officer scope (traffic-police inbox)', '', 'officer'],
      ['officer scope + overdue', 'overdue=true', 'officer'],
    ];
    const rows: string[][] = [];
    for (const [label, query, as] of scenarios) {
      const who = as === 'admin' ? client : officer;
      const http: number[] = [];
      let total = 0;
      for (let i = 0; i < RUNS; i += 1) {
        http.push(
          await time(async () => {
            const res = await who.get<{ total: number }>(`/api/v1/violations?${query}`);
            if (res.status !== 200) throw new Error(`${label}: ${res.status} ${JSON.stringify(res.body)}`);
            total = res.body.total;
          }),
        );
      }
      const q = Object.fromEntries(new URLSearchParams(query));
      const scoped = as === 'admin' ? principal : { ...principal, role: 'enforcement_officer' as const, department: 'traffic-police' };
      const { sql, countSql, params } = repo.pageSql(parseCaseFilter(q), parseCasePaging(q), scoped);
      const pageMs: number[] = [];
      const countMs: number[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        pageMs.push(await time(() => db.query(sql, params)));
        countMs.push(await time(() => db.query(countSql, params)));
      }
      const plan = (await db.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${sql}`, params)).rows[0]!['QUERY PLAN'];
      const seq = seqScans(plan, 'violations');
      rows.push([label, String(total), median(http).toFixed(1), median(pageMs).toFixed(1), median(countMs).toFixed(1), seq ? 'seq scan' : 'index']);
    }
    const exportQuery = `from=${iso(now - 9 * DAY)}&to=${iso(now)}`;
    const exportMs: number[] = [];
    let exportBytes = 0;
    for (let i = 0; i < Math.min(RUNS, 3); i += 1) {
      exportMs.push(
        await time(async () => {
          const res = await fetch(`${api.url}/api/v1/violations/export.xlsx?${exportQuery}`, { headers: { authorization: `Bearer ${client.token}` } });
          const bytes = await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`export: ${res.status}`);
          exportBytes = bytes.byteLength;
        }),
      );
    }
    const exportCount = await repo.count(parseCaseFilter(Object.fromEntries(new URLSearchParams(exportQuery))), principal);
    const widths = [44, 8, 10, 10, 10, 9];
    const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' │ ');
    console.log(`\nviolations list, ${CASES} cases, median of ${RUNS} runs (ms)`);
    console.log(line(['scenario', 'total', 'HTTP', 'page SQL', 'count SQL', 'plan']));
    console.log('─'.repeat(110));
    for (const r of rows) console.log(line(r));
    console.log(`\nxlsx export of ${exportCount} rows (${(exportBytes / 1024 / 1024).toFixed(1)} MiB): median ${median(exportMs).toFixed(0)} ms over ${exportMs.length} runs`);
    await repo.pool.end();
  } finally {
    await api.close();
    await db.end();
    if (!args.keep) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
