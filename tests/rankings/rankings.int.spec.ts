import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addMonths, officeMonthOf, officeMonthRange, type ApiError, type Methodology, type Ranking, type RankingAdjustment, type RankingRecord, type RankingRevisionSummary, type RankingTrend, type AfterCloseChange } from '@muckwatch/contracts';
import { DEFAULT_METHODOLOGY, scoreMonth, type MonthRanking } from '@muckwatch/domain';
import { DomainEvents, MonthCloseJob } from '@muckwatch/api';
import { type ApiClient, signInAs } from '../support/api-client.js';
import { startTestApi } from '../support/test-api.js';
import { insertViolation } from '../cases/case-fixtures.js';

type TestApi = Awaited<ReturnType<typeof startTestApi>>;

const TOWN = '370305001';
const OTHER = '370305002';
const ZONE = 'E37030501';

/** An instant inside an office month (day and hour in the office's days from its start). */
function inMonth(month: string, hours: number): Date {
  return new Date(Date.parse(officeMonthRange(month).from) + hours * 3_600_000);
}

async function insertFinding(db: pg.Client, townCode: string, kind: string, at: Date, finder: string, areaM2: number | null): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO findings (town_code, kind, geom, found_at, area_m2, finder, description)
     VALUES ($1, $2, ST_SetSRID(ST_MakePoint(118.31, 36.82), 4326), $3, $4, $5, '测试发现') RETURNING id::text AS id`,
    [townCode, kind, at.toISOString(), areaM2, finder],
  );
  return rows[0]!.id;
}

// The monthly assessment through HTTP on the real migrations: provisional and frozen rankings,
// reproducibility, the append-only snapshots, the once-only month close, revisions, adjustments,
// the drill-down's scope and the input boundary. Months here are in 2024 (older than the month
// close job's 24 months) unless a test wants the job.
describe('rankings', () => {
  let api: TestApi;
  let db: pg.Client;
  let admin: ApiClient;
  let dispatcher: ApiClient;
  let townOfficial: ApiClient;
  let zoneOfficial: ApiClient;

  beforeAll(async () => {
    api = await startTestApi();
    db = new pg.Client({ connectionString: inject('databaseUrl') });
    await db.connect();
    [admin, dispatcher, townOfficial, zoneOfficial] = await Promise.all([
      signInAs(api, 'admin'),
      signInAs(api, 'dispatcher'),
      signInAs(api, 'town_official', { townCode: TOWN }),
      signInAs(api, 'town_official', { townCode: ZONE }),
    ]);
  });

  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  it('ranks a month provisionally from its facts, with every deduction naming its records', async () => {
    const month = '2024-03';
    const unsealed = await insertViolation(db, { type: 'unsealed_transport', townCode: TOWN, startedAt: inMonth(month, 30) });
    const dumping = await insertViolation(db, { type: 'illegal_dumping', townCode: TOWN, startedAt: inMonth(month, 50) });
    const dismissed = await insertViolation(db, { type: 'overload', townCode: TOWN, startedAt: inMonth(month, 60) });
    await db.query(`UPDATE violations SET case_state = 'dismissed', dismiss_reason = 'gps_drift' WHERE id = $1`, [dismissed]);
    // Not this month: the office's month starts at 00:00 Asia/Shanghai.
    await insertViolation(db, { type: 'illegal_dumping', townCode: TOWN, startedAt: new Date(Date.parse(officeMonthRange(month).from) - 60_000) });
    const finding = await insertFinding(db, TOWN, 'road_pollution', inMonth(month, 70), 'city', 800);

    const res = await dispatcher.get<Ranking>(`/api/v1/rankings/${month}`);
    expect(res.status).toBe(200);
    const ranking = res.body;
    expect(ranking).toMatchObject({ month, provisional: true, revision: 0, methodologyVersion: 1, inputsSha256: null });
    const { rows: towns } = await db.query<{ code: string }>(`SELECT code FROM towns`);
    expect(ranking.rows).toHaveLength(towns.length);
    const town = ranking.rows.find((r) => r.townCode === TOWN)!;
    const refs = (item: string) => town.items.find((i) => i.code === item)!.lines.flatMap((l) => l.refs.map((r) => r.id));
    expect(refs('B')).toContain(unsealed);
    expect(refs('B')).not.toContain(dismissed);
    expect(refs('C')).toContain(dumping);
    expect(refs('D')).toContain(finding);
    expect(town.tieBreak.dumpingCases).toBe(1);
    expect(town.total).toBeLessThan(100);
    // Everyone else had nothing deducted and ranks above.
    const clean = ranking.rows.find((r) => r.townCode === OTHER)!;
    expect(clean.rank).toBeLessThan(town.rank);
    expect(town.total).toBe(Math.round(town.total * 100) / 100);
  });

  it('freezes a month so that its stored inputs reproduce its result byte for byte, and refuses to edit it', async () => {
    const month = '2024-03';
    expect((await dispatcher.post<ApiError>(`/api/v1/rankings/${month}/close`, {})).status).toBe(403);
    const closed = await admin.post<Ranking>(`/api/v1/rankings/${month}/close`, { reason: '测试冻结' });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ month, provisional: false, revision: 1, reason: '测试冻结' });

    const { rows } = await db.query<{ inputs: string; result: string; inputs_sha256: string; methodology_version: number }>(
      `SELECT inputs::text AS inputs, result::text AS result, inputs_sha256, methodology_version FROM ranking_snapshots WHERE month = $1`,
      [month],
    );
    expect(rows).toHaveLength(1);
    const snapshot = rows[0]!;
    expect(createHash('sha256').update(snapshot.inputs).digest('hex')).toBe(snapshot.inputs_sha256);
    expect(closed.body.inputsSha256).toBe(snapshot.inputs_sha256);
    // Recompute from the stored inputs alone, with the stored methodology.
    const inputs = JSON.parse(snapshot.inputs) as { month: string; methodology: typeof DEFAULT_METHODOLOGY; facts: never[]; history: { blackListStreak: Record<string, number> }; asOf: string };
    expect(inputs.methodology.version).toBe(snapshot.methodology_version);
    expect(JSON.stringify(scoreMonth(inputs.month, inputs.facts, inputs.methodology, inputs.history, { asOf: inputs.asOf }))).toBe(snapshot.result);
    expect((JSON.parse(snapshot.result) as MonthRanking).towns.map((t) => [t.townCode, t.total])).toEqual(closed.body.rows.map((r) => [r.townCode, r.total]));

    // Append-only in the database itself.
    await expect(db.query(`UPDATE ranking_snapshots SET reason = 'x' WHERE month = $1`, [month])).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM ranking_snapshots WHERE month = $1`, [month])).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE ranking_snapshots`)).rejects.toThrow(/append-only/);

    // Frozen: the same answer later, and a second close is refused.
    const again = await dispatcher.get<Ranking>(`/api/v1/rankings/${month}`);
    expect(again.body).toMatchObject({ provisional: false, revision: 1, inputsSha256: snapshot.inputs_sha256 });
    const twice = await admin.post<ApiError>(`/api/v1/rankings/${month}/close`, {});
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('ranking.month_frozen');
    const current = await admin.post<ApiError>(`/api/v1/rankings/${officeMonthOf(Date.now())}/close`, {});
    expect(current.status).toBe(409);
    expect(current.body.code).toBe('ranking.month_open');

    const audit = await db.query(`SELECT actor_username FROM audit_log WHERE action = 'ranking.close' AND resource_id = $1`, [month]);
    expect(audit.rows).toHaveLength(1);
  });

  it('lists late facts after the close and folds them in only by an audited revision naming what changed', async () => {
    const month = '2024-03';
    const late = await insertViolation(db, { type: 'unlicensed_transport', townCode: OTHER, startedAt: inMonth(month, 100) });
    const after = await dispatcher.get<AfterCloseChange[]>(`/api/v1/rankings/${month}/after-close`);
    expect(after.status).toBe(200);
    expect(after.body).toContainEqual(expect.objectContaining({ townCode: OTHER, kind: 'violation', id: late, change: 'added' }));
    // Not folded in: the frozen ranking is unchanged.
    const frozen = await dispatcher.get<Ranking>(`/api/v1/rankings/${month}`);
    expect(frozen.body.revision).toBe(1);
    expect(frozen.body.rows.find((r) => r.townCode === OTHER)!.items.find((i) => i.code === 'B')!.lines).toHaveLength(0);

    const noReason = await admin.post<ApiError>(`/api/v1/rankings/${month}/revisions`, {});
    expect(noReason.status).toBe(400);
    expect((await dispatcher.post<ApiError>(`/api/v1/rankings/${month}/revisions`, { reason: '补录' })).status).toBe(403);
    const revised = await admin.post<Ranking>(`/api/v1/rankings/${month}/revisions`, { reason: '补录迟到的违规' });
    expect(revised.status).toBe(200);
    expect(revised.body).toMatchObject({ provisional: false, revision: 2, reason: '补录迟到的违规' });
    const list = await dispatcher.get<RankingRevisionSummary[]>(`/api/v1/rankings/${month}/revisions`);
    expect(list.body.map((r) => r.revision)).toEqual([2, 1]);
    expect(list.body[0]!.changedTowns).toContain(OTHER);
    const first = await dispatcher.get<Ranking>(`/api/v1/rankings/${month}/revisions/1`);
    expect(first.body.revision).toBe(1);
    expect((await dispatcher.get<ApiError>(`/api/v1/rankings/${month}/revisions/9`)).status).toBe(404);
    expect((await dispatcher.get<AfterCloseChange[]>(`/api/v1/rankings/${month}/after-close`)).body.filter((c) => c.id === late)).toEqual([]);
    const audit = await db.query<{ detail: { changedTowns: string[] } }>(`SELECT detail FROM audit_log WHERE action = 'ranking.revise' AND resource_id = $1`, [month]);
    expect(audit.rows[0]!.detail.changedTowns).toContain(OTHER);
  });

  it('scopes the drill-down: a town official sees only their own town’s records', async () => {
    const month = '2024-03';
    const own = await townOfficial.get<RankingRecord[]>(`/api/v1/rankings/${month}/towns/${TOWN}/records?item=B`);
    expect(own.status).toBe(200);
    expect(own.body.length).toBeGreaterThan(0);
    expect(own.body[0]).toMatchObject({ kind: 'violation', item: 'B', link: expect.stringMatching(/^\/violations\//) as string });
    expect(own.body[0]!.title).toContain('未密闭');
    const other = await zoneOfficial.get<ApiError>(`/api/v1/rankings/${month}/towns/${TOWN}/records`);
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('ranking.town_not_found');
    // The table itself is everyone's.
    expect((await zoneOfficial.get<Ranking>(`/api/v1/rankings/${month}`)).status).toBe(200);
    const all = await admin.get<RankingRecord[]>(`/api/v1/rankings/${month}/towns/${TOWN}/records`);
    // B, C, D from the cases and the finding; F names the villages without a collection point.
    expect(new Set(all.body.map((r) => r.item))).toEqual(new Set(['B', 'C', 'D', 'F']));
    expect(all.body.filter((r) => r.item === 'F').every((r) => r.kind === 'village')).toBe(true);
    expect((await admin.get<ApiError>(`/api/v1/rankings/${month}/towns/${TOWN}/records?item=Z`)).status).toBe(400);
  });

  it('takes adjustments while the month is open: a veto ranks the town last; none once frozen', async () => {
    const month = '2024-04';
    const base = { month, townCode: OTHER, reason: '市级督查通报', documentRef: '临渣办〔2024〕12号' };
    const tooMuch = await admin.post<ApiError>('/api/v1/assessment/adjustments', { ...base, kind: 'bonus', points: DEFAULT_METHODOLOGY.bonusCap + 1 });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.code).toBe('ranking.points_out_of_range');
    const noGround = await admin.post<ApiError>('/api/v1/assessment/adjustments', { ...base, kind: 'veto' });
    expect(noGround.body.code).toBe('ranking.veto_ground_required');
    expect((await admin.post<ApiError>('/api/v1/assessment/adjustments', { ...base, townCode: '999999999', kind: 'bonus', points: 1 })).body.code).toBe('ranking.town_unknown');
    expect((await admin.post<ApiError>('/api/v1/assessment/adjustments', { ...base, kind: 'bonus', points: 1, reason: '' })).status).toBe(400);
    expect((await dispatcher.post<ApiError>('/api/v1/assessment/adjustments', { ...base, kind: 'bonus', points: 1 })).status).toBe(403);

    const veto = await admin.post<RankingAdjustment>('/api/v1/assessment/adjustments', { ...base, kind: 'veto', vetoGround: 'pollution_incident' });
    expect(veto.status).toBe(201);
    const bonus = await admin.post<RankingAdjustment>('/api/v1/assessment/adjustments', { ...base, townCode: TOWN, kind: 'bonus', points: 2, reason: '表现突出' });
    expect(bonus.status).toBe(201);
    const ranking = (await dispatcher.get<Ranking>(`/api/v1/rankings/${month}`)).body;
    const vetoed = ranking.rows.find((r) => r.townCode === OTHER)!;
    expect(vetoed.rank).toBe(Math.max(...ranking.rows.map((r) => r.rank)));
    expect(vetoed).toMatchObject({ blackList: true, veto: [expect.objectContaining({ ground: 'pollution_incident', adjustmentId: veto.body.id })] });
    expect(ranking.rows.find((r) => r.townCode === TOWN)!.bonus).toBe(2);
    // Movement against last month (frozen 2024-03).
    expect(ranking.rows.every((r) => typeof r.movement === 'number')).toBe(true);

    const listed = await dispatcher.get<RankingAdjustment[]>(`/api/v1/assessment/adjustments?month=${month}`);
    expect(listed.body.map((a) => a.id).sort()).toEqual([veto.body.id, bonus.body.id].sort());
    expect((await admin.delete(`/api/v1/assessment/adjustments/${bonus.body.id}`)).status).toBe(204);

    expect((await admin.post<Ranking>(`/api/v1/rankings/${month}/close`, {})).status).toBe(200);
    const late = await admin.delete<ApiError>(`/api/v1/assessment/adjustments/${veto.body.id}`);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('ranking.month_frozen');
    const lateAdd = await admin.post<ApiError>('/api/v1/assessment/adjustments', { ...base, kind: 'bonus', points: 1 });
    expect(lateAdd.body.code).toBe('ranking.month_frozen');
    const audit = await db.query(`SELECT action FROM audit_log WHERE action LIKE 'ranking_adjustment.%' AND resource_id = ANY($1::text[])`, [[veto.body.id, bonus.body.id]]);
    expect(audit.rows.map((r: { action: string }) => r.action).sort()).toEqual(['ranking_adjustment.create', 'ranking_adjustment.create', 'ranking_adjustment.delete']);
  });

  it('versions the methodology: validated, not for a frozen month, audited', async () => {
    const { version: _v, effectiveFrom: _e, ...body } = DEFAULT_METHODOLOGY;
    expect((await dispatcher.post<ApiError>('/api/v1/assessment/methodologies', { ...body, effectiveFrom: '2030-01' })).status).toBe(403);
    const frozenMonth = await admin.post<ApiError>('/api/v1/assessment/methodologies', { ...body, effectiveFrom: '2024-03' });
    expect(frozenMonth.status).toBe(409);
    expect(frozenMonth.body.code).toBe('ranking.methodology_month_frozen');
    const unbalanced = await admin.post<ApiError>('/api/v1/assessment/methodologies', { ...body, items: { ...body.items, A: { max: 50, perPointBelow: 1 } }, effectiveFrom: '2030-01' });
    expect(unbalanced.status).toBe(400);
    expect(unbalanced.body.code).toBe('ranking.methodology_invalid');
    expect((await admin.post<ApiError>('/api/v1/assessment/methodologies', { ...body, bonusCap: -1, effectiveFrom: '2030-01' })).body.field).toBe('bonusCap');
    const created = await admin.post<Methodology>('/api/v1/assessment/methodologies', { ...body, bonusCap: 5, effectiveFrom: '2030-01', note: '加分上限调整' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ version: 2, effectiveFrom: '2030-01', bonusCap: 5, createdBy: expect.any(String) as string });
    const list = await dispatcher.get<Methodology[]>('/api/v1/assessment/methodologies');
    expect(list.body.map((m) => m.version)).toEqual([2, 1]);
    // Version 1 is the default model of libs/domain, written literally by the migration.
    const { version: _v1, effectiveFrom: _e1, note: _n, createdAt: _c, createdBy: _b, ...v1 } = list.body[1]!;
    expect(v1).toEqual(body);
    // Old months keep theirs.
    expect((await dispatcher.get<Ranking>('/api/v1/rankings/2024-05')).body.methodologyVersion).toBe(1);
  });

  it('freezes each past month once when two closers race', async () => {
    // Within the job's 24 months.
    const month = addMonths(officeMonthOf(Date.now()), -3);
    await insertViolation(db, { type: 'illegal_dumping', townCode: ZONE, startedAt: inMonth(month, 10) });
    const job = api.app.get(MonthCloseJob);
    const frozenEvents: Array<{ month: string; revision: number }> = [];
    const unsubscribe = api.app.get(DomainEvents).subscribe('ranking.frozen', (e) => {
      frozenEvents.push(e);
    });
    const [a, b] = await Promise.all([job.run(), job.run()]);
    unsubscribe();
    expect(frozenEvents.filter((e) => e.month === month)).toEqual([expect.objectContaining({ month, revision: 1 })]);
    expect([...a, ...b].filter((m) => m === month)).toEqual([month]);
    const { rows } = await db.query(`SELECT revision FROM ranking_snapshots WHERE month = $1`, [month]);
    expect(rows).toEqual([{ revision: 1 }]);
    // And two admins at once on a month the job does not reach.
    const old = '2024-07';
    const [x, y] = await Promise.all([admin.post<ApiError>(`/api/v1/rankings/${old}/close`, {}), admin.post<ApiError>(`/api/v1/rankings/${old}/close`, {})]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    expect((await db.query(`SELECT revision FROM ranking_snapshots WHERE month = $1`, [old])).rows).toEqual([{ revision: 1 }]);
  });

  it('gives a trend of frozen and provisional months', async () => {
    const trend = await dispatcher.get<RankingTrend>('/api/v1/rankings/trend?to=2024-05&months=3');
    expect(trend.status).toBe(200);
    expect(trend.body.months).toEqual(['2024-03', '2024-04', '2024-05']);
    const zone = trend.body.towns.find((t) => t.townCode === OTHER)!;
    const frozen = (await dispatcher.get<Ranking>('/api/v1/rankings/2024-04')).body.rows.find((r) => r.townCode === OTHER)!;
    expect(zone.ranks[1]).toBe(frozen.rank);
    expect(zone.totals[1]).toBe(frozen.total);
    for (const bad of ['months=0', 'months=25', 'months=99999999999999999999', 'to=2026-13', 'to=..%2Fx', 'months=1&months=2']) {
      expect((await dispatcher.get<ApiError>(`/api/v1/rankings/trend?${bad}`)).status, bad).toBe(400);
    }
  });

  it('exports the month as xlsx with 排名, 问题台账 and 方法, audited', async () => {
    const res = await fetch(`${api.url}/api/v1/rankings/2024-03/export.xlsx`, { headers: { authorization: `Bearer ${dispatcher.token}` } });
    expect(res.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['排名', '问题台账', '方法']);
    const ranks = workbook.getWorksheet('排名')!;
    expect(ranks.getRow(1).values).toContain('总分');
    const { rows: towns } = await db.query(`SELECT code FROM towns`);
    expect(ranks.rowCount).toBe(towns.length + 1);
    expect(workbook.getWorksheet('问题台账')!.rowCount).toBeGreaterThan(1);
    const audit = await db.query(`SELECT detail FROM audit_log WHERE action = 'ranking.export' AND resource_id = '2024-03'`);
    expect(audit.rows).toHaveLength(1);
  });

  it('refuses bad months and ids with a 4xx', async () => {
    const future = await dispatcher.get<ApiError>(`/api/v1/rankings/${addMonths(officeMonthOf(Date.now()), 1)}`);
    expect(future.status).toBe(400);
    expect(future.body.field).toBe('month');
    for (const path of ['/api/v1/rankings/2026-13', '/api/v1/rankings/..%2Fx', '/api/v1/rankings/2026-1', '/api/v1/rankings/99999999999999999999', '/api/v1/rankings/2024-03/revisions/0', '/api/v1/rankings/2024-03/revisions/1e9']) {
      const res = await dispatcher.get<ApiError>(path);
      expect(res.status, path).toBe(400);
    }
    expect((await dispatcher.get<ApiError>('/api/v1/rankings/2024-03/towns/%00/records')).status).toBeLessThan(500);
    expect((await admin.delete<ApiError>('/api/v1/assessment/adjustments/not-a-uuid')).status).toBe(404);
    expect((await dispatcher.get<ApiError>('/api/v1/assessment/adjustments?month=2024-3')).status).toBe(400);
    const huge = await admin.post<ApiError>('/api/v1/assessment/adjustments', { month: '2024-09', townCode: TOWN, kind: 'bonus', points: 1e308, reason: 'x', documentRef: 'y' });
    expect(huge.status).toBe(400);
    expect(huge.body.field).toBe('points');
    expect((await admin.post<ApiError>('/api/v1/assessment/adjustments', { month: '2024-09', townCode: TOWN, kind: 'bonus', points: 1, reason: 'x'.repeat(501), documentRef: 'y' })).status).toBe(400);
    expect((await admin.post<ApiError>('/api/v1/rankings/2024-09/close', { reason: 'x'.repeat(2001) })).status).toBe(400);
  });

  it('documents the endpoints with their real schemas', async () => {
    const res = await fetch(`${api.url}/api/openapi.json`, { headers: { authorization: `Bearer ${admin.token}` } });
    const doc = (await res.json()) as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: object } }> }; responses: Record<string, { content?: Record<string, { schema: { properties?: Record<string, unknown>; type?: string } }> }> }>> };
    const get = doc.paths['/api/v1/rankings/{month}']!['get']!;
    expect(Object.keys(get.responses['200']!.content!['application/json']!.schema.properties!)).toEqual(expect.arrayContaining(['rows', 'revision', 'inputsSha256']));
    const post = doc.paths['/api/v1/assessment/adjustments']!['post']!;
    expect(Object.keys(post.requestBody!.content['application/json']!.schema.properties!)).toEqual(expect.arrayContaining(['kind', 'vetoGround', 'documentRef']));
    for (const path of ['/api/v1/rankings/trend', '/api/v1/rankings/{month}/revisions', '/api/v1/rankings/{month}/towns/{townCode}/records', '/api/v1/rankings/{month}/after-close', '/api/v1/assessment/methodologies']) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });
});
