import ExcelJS from 'exceljs';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type ApiError,
  type BulkCaseTransitionResult,
  type CaseAttachment,
  type CaseChangedEvent,
  ComplianceLiveEvent,
  type Department,
  type DepartmentPerformance,
  LIVE_NAMESPACE,
  type ViolationDetail,
  type ViolationPage,
} from '@muckwatch/contracts';
import { type ApiClient, type ApiResponse, signInAs } from '../support/api-client.js';
import { startTestApi, waitFor } from '../support/test-api.js';
import { insertViolation } from './case-fixtures.js';

type TestApi = Awaited<ReturnType<typeof startTestApi>>;

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('0000000d49484452', 'hex'), Buffer.alloc(64, 1)]);
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(64, 0)]);

const path = (id: string): string => `/api/v1/violations/${encodeURIComponent(id)}`;

// The case workflow through HTTP on the real migrations: every role, every scope, and the
// conflicts two people acting at once produce.
describe('violation cases', () => {
  let api: TestApi;
  let db: pg.Client;
  let dispatcher: ApiClient;
  let dispatcher2: ApiClient;
  let admin: ApiClient;
  let auditor: ApiClient;
  let townOfficial: ApiClient;
  let otherTownOfficial: ApiClient;
  let trafficOfficer: ApiClient;
  let ecologyOfficer: ApiClient;

  const act = (client: ApiClient, id: string, body: Record<string, unknown>): Promise<ApiResponse<ViolationDetail & ApiError>> =>
    client.post<ViolationDetail & ApiError>(`${path(id)}/transitions`, body);

  async function detail(client: ApiClient, id: string): Promise<ViolationDetail> {
    const res = await client.get<ViolationDetail>(path(id));
    expect(res.status).toBe(200);
    return res.body;
  }

  async function upload(client: ApiClient, id: string, content: Buffer, name: string): Promise<ApiResponse<CaseAttachment & ApiError>> {
    const form = new FormData();
    form.append('file', new Blob([content]), name);
    const res = await fetch(`${client.baseUrl}${path(id)}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${client.token}` }, body: form });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as CaseAttachment & ApiError };
  }

  beforeAll(async () => {
    api = await startTestApi();
    db = new pg.Client({ connectionString: inject('databaseUrl') });
    await db.connect();
    [dispatcher, dispatcher2, admin, auditor, townOfficial, otherTownOfficial, trafficOfficer, ecologyOfficer] = await Promise.all([
      signInAs(api, 'dispatcher'),
      signInAs(api, 'dispatcher'),
      signInAs(api, 'admin'),
      signInAs(api, 'auditor'),
      signInAs(api, 'town_official', { townCode: 'E37030501' }),
      signInAs(api, 'town_official', { townCode: '370305001' }),
      signInAs(api, 'enforcement_officer', { department: 'traffic-police' }),
      signInAs(api, 'enforcement_officer', { department: 'ecology' }),
    ]);
  });

  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  it('runs the whole loop: new → confirm → assign → handle → return → handle → close → reopen, with a timeline and audit rows', async () => {
    const id = await insertViolation(db);
    let v = await detail(dispatcher, id);
    expect(v).toMatchObject({ caseState: 'new', version: 1, overdue: false, departmentCode: null });
    expect(v.allowedActions).toEqual(['confirm', 'assign', 'dismiss', 'comment']);

    const steps: Array<[ApiClient, Record<string, unknown>, string]> = [
      [dispatcher, { action: 'confirm', comment: '核实属实' }, 'confirmed'],
      [dispatcher, { action: 'assign', departmentCode: 'traffic-police' }, 'assigned'],
      [trafficOfficer, { action: 'handle', outcome: { kind: 'penalty', decisionNumber: '临交罚〔2026〕001号', amountYuan: 2000, penaltyPoints: 3 } }, 'handled'],
      [dispatcher, { action: 'return', comment: '请补充现场照片' }, 'returned'],
      [trafficOfficer, { action: 'handle', outcome: { kind: 'rectification', rectification: '限期三日内整改' } }, 'handled'],
      [dispatcher, { action: 'close' }, 'closed'],
      [dispatcher, { action: 'reopen', comment: '当事人申诉，复核' }, 'confirmed'],
    ];
    for (const [client, body, state] of steps) {
      const res = await act(client, id, { ...body, version: v.version });
      expect(res.status, `${String(body['action'])}: ${JSON.stringify(res.body)}`).toBe(200);
      expect(res.body.caseState).toBe(state);
      expect(res.body.version).toBe(v.version + 1);
      if (body['action'] === 'assign') {
        // The department's default (72 h) when the dispatcher gives no deadline.
        const hours = (Date.parse(res.body.deadline!) - Date.now()) / 3_600_000;
        expect(hours).toBeGreaterThan(71);
        expect(hours).toBeLessThanOrEqual(72);
        expect(res.body.departmentName).toBe('交警大队');
        expect((await detail(trafficOfficer, id)).allowedActions).toEqual(['handle', 'comment']);
      }
      if (body['action'] === 'return') {
        // Back to the department with a fresh deadline (its default), not the old one it may have missed.
        const hours = (Date.parse(res.body.deadline!) - Date.now()) / 3_600_000;
        expect(hours).toBeGreaterThan(71);
        expect(res.body.timeline.at(-1)).toMatchObject({ action: 'return', deadline: res.body.deadline, departmentCode: 'traffic-police' });
      }
      v = res.body;
    }
    expect(v).toMatchObject({ closedAt: null, outcome: null, dismissReason: null });
    expect(v.timeline.map((e) => `${e.action}:${e.fromState}>${e.toState}`)).toEqual([
      'confirm:new>confirmed',
      'assign:confirmed>assigned',
      'handle:assigned>handled',
      'return:handled>returned',
      'handle:returned>handled',
      'close:handled>closed',
      'reopen:closed>confirmed',
    ]);
    expect(v.timeline[0]).toMatchObject({ actorUsername: dispatcher.user.username, actorRole: 'dispatcher', comment: '核实属实' });
    expect(v.timeline[2]!.outcome).toMatchObject({ kind: 'penalty', decisionNumber: '临交罚〔2026〕001号' });
    expect(v.timeline[2]!.actorUsername).toBe(trafficOfficer.user.username);

    const mine: string[] = [];
    for (const action of ['case.confirm', 'case.assign', 'case.handle', 'case.return', 'case.close', 'case.reopen']) {
      const audit = await admin.get<{ entries: Array<{ action: string; resourceId: string }> }>(`/api/v1/audit?action=${action}&pageSize=500`);
      mine.push(...audit.body.entries.filter((e) => e.resourceId === id).map((e) => e.action));
    }
    mine.sort();
    expect(mine).toEqual(['case.assign', 'case.close', 'case.confirm', 'case.handle', 'case.handle', 'case.reopen', 'case.return']);
  });

  it('two dispatchers at once on the same version: one wins, the other gets 409 case.version_conflict, nothing is overwritten', async () => {
    const id = await insertViolation(db);
    const [a, b] = await Promise.all([
      act(dispatcher, id, { action: 'assign', version: 1, departmentCode: 'transport' }),
      act(dispatcher2, id, { action: 'dismiss', version: 1, dismissReason: 'gps_drift' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const lost = a.status === 409 ? a : b;
    expect(lost.body).toMatchObject({ code: 'case.version_conflict', params: { currentVersion: 2 } });
    const after = await detail(dispatcher, id);
    expect(after.version).toBe(2);
    expect(after.timeline).toHaveLength(1);
    expect(after.caseState).toBe(a.status === 200 ? 'assigned' : 'dismissed');
    // Stale by the time it is read (not only at the write).
    const stale = await act(dispatcher, id, { action: 'comment', version: 1, comment: '迟到的备注' });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('case.version_conflict');
  });

  it('an illegal transition is 409 naming the state and the allowed actions; a bad body is 400 naming the field', async () => {
    const id = await insertViolation(db);
    const res = await act(dispatcher, id, { action: 'close', version: 1 });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'case.illegal_transition', params: { state: 'new', action: 'close', allowed: ['confirm', 'assign', 'dismiss', 'comment'] } });
    for (const [body, field, code] of [
      [{ action: 'dismiss', version: 1 }, 'dismissReason', 'case.field_required'],
      [{ action: 'assign', version: 1, departmentCode: 'nope' }, 'departmentCode', 'department.unknown'],
      [{ action: 'assign', version: 1, departmentCode: 'transport', deadline: '2020-01-01T00:00:00Z' }, 'deadline', 'case.field_invalid'],
      [{ action: 'assign', version: 1, departmentCode: 'transport', deadline: 'tomorrow' }, 'deadline', 'case.field_invalid'],
      [{ action: 'confirm' }, 'version', 'input.invalid'],
      [{ action: 'fly', version: 1 }, 'action', 'input.invalid'],
      [{ action: 'confirm', version: 1, extra: true }, 'extra', 'input.invalid'],
      [{ action: 'comment', version: 1, comment: 'x'.repeat(2001) }, 'comment', 'input.invalid'],
    ] as const) {
      const bad = await act(dispatcher, id, body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.body.field).toBe(field);
      expect(bad.body.code).toBe(code);
    }
    expect((await act(dispatcher, 'no/such/case', { action: 'confirm', version: 1 })).body.code).toBe('case.not_found');
  });

  it('scopes every read and write: other department, other town, read-only roles', async () => {
    const id = await insertViolation(db, { townCode: 'E37030501' });
    const unassigned = await insertViolation(db, { townCode: 'E37030501' });
    // Nobody's department yet: officers do not see it.
    expect((await trafficOfficer.get(path(id))).status).toBe(404);
    const assigned = await act(dispatcher, id, { action: 'assign', version: 1, departmentCode: 'traffic-police' });
    expect(assigned.status).toBe(200);

    expect((await trafficOfficer.get(path(id))).status).toBe(200);
    const notMine = await ecologyOfficer.get<ApiError>(path(id));
    expect(notMine.status).toBe(404);
    expect(notMine.body.code).toBe('case.not_found');
    expect((await act(ecologyOfficer, id, { action: 'handle', version: 2, outcome: { kind: 'no_case', noCaseReason: 'x' } })).status).toBe(404);
    expect((await trafficOfficer.get(path(unassigned))).status).toBe(404);
    const inbox = await trafficOfficer.get<ViolationPage>('/api/v1/violations?pageSize=500');
    expect(inbox.body.items.map((v) => v.id)).toContain(id);
    expect(inbox.body.items.every((v) => v.id !== unassigned)).toBe(true);
    const ecologyInbox = await ecologyOfficer.get<ViolationPage>('/api/v1/violations?pageSize=500');
    expect(ecologyInbox.body.items.map((v) => v.id)).not.toContain(id);

    // Town officials: own town read-only, another town 404.
    expect((await townOfficial.get(path(id))).status).toBe(200);
    const townWrite = await act(townOfficial, id, { action: 'comment', version: 2, comment: '镇街已知悉' });
    expect(townWrite.status).toBe(403);
    expect(townWrite.body.code).toBe('case.action_forbidden');
    expect((await otherTownOfficial.get(path(id))).status).toBe(404);
    expect((await act(otherTownOfficial, id, { action: 'comment', version: 2, comment: 'x' })).status).toBe(404);
    expect((await otherTownOfficial.get<ViolationPage>('/api/v1/violations?pageSize=500')).body.items.every((v) => v.townCode === '370305001')).toBe(true);

    // Auditors read everything and write nothing.
    expect((await auditor.get(path(id))).status).toBe(200);
    expect((await act(auditor, id, { action: 'comment', version: 2, comment: 'x' })).status).toBe(403);
    expect((await auditor.post('/api/v1/violations/bulk', { action: 'confirm', items: [{ id: unassigned, version: 1 }] })).status).toBe(403);
    expect((await trafficOfficer.post('/api/v1/violations/bulk', { action: 'confirm', items: [{ id: unassigned, version: 1 }] })).status).toBe(403);
    expect((await upload(auditor, id, PNG, 'a.png')).status).toBe(403);

    // Reassigned away: the first department still sees the case it once held, but may no longer act.
    const moved = await act(dispatcher, id, { action: 'reassign', version: 2, departmentCode: 'ecology', comment: '转生态环境分局' });
    expect(moved.status).toBe(200);
    expect((await ecologyOfficer.get(path(id))).status).toBe(200);
    const former = await trafficOfficer.get<ViolationDetail>(path(id));
    expect(former.status).toBe(200);
    expect(former.body.allowedActions).toEqual([]);
    const late = await act(trafficOfficer, id, { action: 'handle', version: 3, outcome: { kind: 'no_case', noCaseReason: '证据不足' } });
    expect(late.status).toBe(403);
    expect(late.body.code).toBe('case.action_forbidden');
  });

  it('bulk: each item on its own, succeeded and failed with codes', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push(await insertViolation(db));
    const closed = await insertViolation(db);
    await act(dispatcher, closed, { action: 'dismiss', version: 1, dismissReason: 'duplicate' });
    const res = await dispatcher.post<BulkCaseTransitionResult>('/api/v1/violations/bulk', {
      action: 'assign',
      departmentCode: 'urban-management',
      deadline: new Date(Date.now() + 48 * 3_600_000).toISOString(),
      items: [...ids.map((id) => ({ id, version: 1 })), { id: closed, version: 2 }, { id: 'no/such/case', version: 1 }, { id: ids[0]!, version: 1 }],
    });
    expect(res.status).toBe(200);
    expect(res.body.succeeded.map((s) => s.id).sort()).toEqual([...ids].sort());
    expect(res.body.succeeded.every((s) => s.caseState === 'assigned' && s.version === 2)).toBe(true);
    expect(res.body.failed).toEqual([
      { id: closed, statusCode: 409, code: 'case.illegal_transition', params: { state: 'dismissed', action: 'assign', allowed: ['reopen', 'comment'] } },
      { id: 'no/such/case', statusCode: 404, code: 'case.not_found', params: { id: 'no/such/case' } },
      { id: ids[0], statusCode: 400, code: 'case.duplicate_item', params: { id: ids[0] } },
    ]);
    const audit = await admin.get<{ entries: Array<{ action: string; resourceId: string }> }>('/api/v1/audit?action=case.assign&pageSize=500');
    for (const id of ids) expect(audit.body.entries.filter((e) => e.resourceId === id)).toHaveLength(1);
    const tooMany = await dispatcher.post<ApiError>('/api/v1/violations/bulk', { action: 'confirm', items: Array.from({ length: 501 }, (_, i) => ({ id: `x${i}`, version: 1 })) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.field).toBe('items');
  });

  it('attachments: a PNG is kept and served back; an .exe named .png and an oversize file are refused', async () => {
    const id = await insertViolation(db);
    await act(dispatcher, id, { action: 'assign', version: 1, departmentCode: 'traffic-police' });
    const up = await upload(trafficOfficer, id, PNG, '现场照片.png');
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ fileName: '现场照片.png', contentType: 'image/png', sizeBytes: PNG.length, eventId: null });
    expect(up.body.sha256).toMatch(/^[0-9a-f]{64}$/);

    const exe = await upload(trafficOfficer, id, EXE, 'photo.png');
    expect(exe.status).toBe(415);
    expect(exe.body.code).toBe('attachment.type_not_allowed');
    const big = await upload(trafficOfficer, id, Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)]), 'big.png');
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('attachment.too_large');

    const commented = await act(trafficOfficer, id, { action: 'comment', version: 2, comment: '现场照片见附件', attachmentIds: [up.body.id] });
    expect(commented.status).toBe(200);
    const event = commented.body.timeline.at(-1)!;
    expect(event.attachments.map((a) => a.id)).toEqual([up.body.id]);
    expect(commented.body.attachments[0]!.eventId).toBe(event.id);
    // Once on an event, it cannot be put on another.
    const again = await act(trafficOfficer, id, { action: 'comment', version: 3, comment: '再附一次', attachmentIds: [up.body.id] });
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('attachment.unknown');

    const file = await fetch(`${api.url}${path(id)}/attachments/${up.body.id}`, { headers: { authorization: `Bearer ${dispatcher.token}` } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('现场照片.png')}`);
    expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).toBe(true);
    const elsewhere = await fetch(`${api.url}${path(id)}/attachments/${up.body.id}`, { headers: { authorization: `Bearer ${ecologyOfficer.token}` } });
    expect(elsewhere.status).toBe(404);
  });

  it('exports the filtered list as xlsx: Chinese headers, Asia/Shanghai times, formulas neutralised; audited', async () => {
    const plate = '鲁C9X001';
    const id = await insertViolation(db, {
      plate,
      startedAt: new Date('2026-12-01T00:00:00Z'),
      endedAt: new Date('2026-12-01T01:30:00Z'),
      reasons: [{ code: 'x', detail: '=HYPERLINK("http://evil.example","点我")' }],
    });
    const deadline = '2030-01-01T00:00:00+08:00';
    await db.query(`UPDATE violations SET deadline = $2 WHERE id = $1`, [id, deadline]);
    expect((await act(dispatcher, id, { action: 'assign', version: 1, departmentCode: 'traffic-police', deadline: new Date(Date.now() + 86_400_000).toISOString() })).status).toBe(200);
    // A deadline the office set as 2030-01-01 00:00 in Shanghai reads so in the sheet.
    await db.query(`UPDATE violations SET deadline = $2 WHERE id = $1`, [id, deadline]);
    const res = await fetch(`${api.url}/api/v1/violations/export.xlsx?plate=${encodeURIComponent(plate)}`, { headers: { authorization: `Bearer ${dispatcher.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(res.headers.get('content-disposition')).toMatch(/filename\*=UTF-8''%E8%BF%9D%E8%A7%84%E6%A1%88%E4%BB%B6_\d{8}\.xlsx/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual([
      '编号', '违规类型', '严重程度', '状态', '案件状态', '车牌号', '运输企业', '终端编号', '所属镇街', '开始时间', '结束时间', '地点',
      '违规原因', '交办部门', '处置期限', '是否超期', '处置结果', '处罚决定书编号', '罚款金额(元)', '记分', '办结时间',
    ]);
    expect(sheet.rowCount).toBe(2);
    const row = (sheet.getRow(2).values as unknown[]).slice(1);
    expect(row[0]).toBe(id);
    expect(row[1]).toBe('未密闭运输');
    expect(row[3]).toBe('已结束');
    expect(row[4]).toBe('已交办');
    expect(row[8]).toBe('齐鲁石化');
    expect(row[9]).toBe('2026-12-01 08:00:00');
    expect(row[10]).toBe('2026-12-01 09:30:00');
    expect(row[12]).toBe(`'=HYPERLINK("http://evil.example","点我")`);
    expect(row[13]).toBe('交警大队');
    expect(row[14]).toBe('2030-01-01 00:00:00');
    expect(row[15]).toBe('否');
    const audit = await admin.get<{ entries: Array<{ action: string; detail: { rows: number; filter: Record<string, string> } }> }>('/api/v1/audit?action=violations.export');
    expect(audit.body.entries.some((e) => e.detail.rows === 1 && e.detail.filter['plate'] === plate)).toBe(true);
  });

  it('pushes case_changed live to the officers of the assigned department, not to another department', async () => {
    const id = await insertViolation(db);
    const traffic: Socket = io(`${api.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], auth: { token: trafficOfficer.token } });
    const ecology: Socket = io(`${api.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], auth: { token: ecologyOfficer.token } });
    const office: Socket = io(`${api.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], auth: { token: dispatcher.token } });
    const heard = { traffic: [] as CaseChangedEvent[], ecology: [] as CaseChangedEvent[], office: [] as CaseChangedEvent[] };
    traffic.on(ComplianceLiveEvent.CaseChanged, (e: CaseChangedEvent) => heard.traffic.push(e));
    ecology.on(ComplianceLiveEvent.CaseChanged, (e: CaseChangedEvent) => heard.ecology.push(e));
    office.on(ComplianceLiveEvent.CaseChanged, (e: CaseChangedEvent) => heard.office.push(e));
    try {
      await waitFor(() => traffic.connected && ecology.connected && office.connected, 10_000, 'sockets connected');
      expect((await act(dispatcher, id, { action: 'assign', version: 1, departmentCode: 'traffic-police' })).status).toBe(200);
      await waitFor(() => heard.traffic.some((e) => e.violation.id === id), 10_000, 'case_changed at the traffic police');
      expect(heard.traffic.find((e) => e.violation.id === id)).toMatchObject({ action: 'assign', actorUsername: dispatcher.user.username, violation: { caseState: 'assigned' } });
      await waitFor(() => heard.office.some((e) => e.violation.id === id), 10_000, 'case_changed at the office');
      // The office heard it after the officer's socket would have: the other department had its chance.
      expect(heard.ecology.filter((e) => e.violation.id === id)).toEqual([]);
    } finally {
      traffic.close();
      ecology.close();
      office.close();
    }
  });

  it('departments: listed for everyone, edited by admins, deactivated rather than deleted when in use, performance per department', async () => {
    const list = await trafficOfficer.get<Department[]>('/api/v1/departments');
    expect(list.status).toBe(200);
    expect(list.body.map((d) => d.code)).toEqual(expect.arrayContaining(['traffic-police', 'urban-management', 'transport', 'ecology']));
    expect((await dispatcher.post('/api/v1/departments', { name: '住建局' })).status).toBe(403);
    const created = await admin.post<Department>('/api/v1/departments', { code: 'housing', name: '住建局', defaultDeadlineHours: 24 });
    expect(created.status).toBe(201);
    expect((await admin.post<ApiError>('/api/v1/departments', { code: 'housing2', name: '住建局' })).body.code).toBe('department.name_taken');
    expect((await admin.post<ApiError>('/api/v1/departments', { code: 'Bad Code', name: 'x' })).status).toBe(400);
    const id = await insertViolation(db);
    const assigned = await act(dispatcher, id, { action: 'assign', version: 1, departmentCode: 'housing' });
    const hours = (Date.parse(assigned.body.deadline!) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23);
    expect(hours).toBeLessThanOrEqual(24);
    const inUse = await admin.delete<ApiError>('/api/v1/departments/housing');
    expect(inUse.status).toBe(409);
    expect(inUse.body.code).toBe('department.in_use');
    const off = await admin.patch<Department>('/api/v1/departments/housing', { active: false });
    expect(off.body.active).toBe(false);
    const refused = await act(dispatcher, await insertViolation(db), { action: 'assign', version: 1, departmentCode: 'housing' });
    expect(refused.body.code).toBe('department.unknown');
    const temp = await admin.post<Department>('/api/v1/departments', { code: 'temp', name: '临时部门' });
    expect(temp.status).toBe(201);
    expect((await admin.delete('/api/v1/departments/temp')).status).toBe(204);

    const perf = await dispatcher.get<DepartmentPerformance[]>('/api/v1/departments/performance');
    expect(perf.status).toBe(200);
    const traffic = perf.body.find((p) => p.departmentCode === 'traffic-police')!;
    expect(traffic.assigned).toBeGreaterThanOrEqual(1);
    expect(traffic.handled).toBeGreaterThanOrEqual(1);
    expect(traffic.medianHandlingHours).not.toBeNull();
  });

  it('filters, sorts and pages the list, and names a bad parameter', async () => {
    const plate = '鲁C7F002';
    const base = Date.parse('2026-11-01T00:00:00Z');
    const ids = [];
    for (let i = 0; i < 5; i += 1) {
      ids.push(await insertViolation(db, { plate, startedAt: new Date(base + i * 60_000), severity: i % 2 ? 'high' : 'low', type: i < 3 ? 'overspeed' : 'off_route' }));
    }
    const page = await dispatcher.get<ViolationPage>(`/api/v1/violations?plate=${encodeURIComponent(plate)}&sort=startedAt&order=asc&pageSize=2&page=2`);
    expect(page.body.total).toBe(5);
    expect(page.body.items.map((v) => v.id)).toEqual(ids.slice(2, 4));
    const typed = await dispatcher.get<ViolationPage>(`/api/v1/violations?plate=${encodeURIComponent(plate)}&type=off_route&severity=high`);
    expect(typed.body.items.map((v) => v.id)).toEqual([ids[3]]);
    await act(dispatcher, ids[0]!, { action: 'assign', version: 1, departmentCode: 'transport', deadline: new Date(Date.now() + 60_000).toISOString() });
    await db.query(`UPDATE violations SET deadline = now() - interval '1 hour' WHERE id = $1`, [ids[0]]);
    const overdue = await dispatcher.get<ViolationPage>(`/api/v1/violations?plate=${encodeURIComponent(plate)}&overdue=true&departmentCode=transport&caseState=assigned,returned`);
    expect(overdue.body.items.map((v) => [v.id, v.overdue])).toEqual([[ids[0], true]]);
    for (const [query, field] of [
      ['type=speeding', 'type'],
      ['severity=huge', 'severity'],
      ['caseState=open', 'caseState'],
      ['status=pending', 'status'],
      ['from=yesterday', 'from'],
      ['pageSize=501', 'pageSize'],
      ['page=0', 'page'],
      ['townCode=lin zi', 'townCode'],
      ['companyId=42', 'companyId'],
      ['overdue=yes', 'overdue'],
      ['sort=plate', 'sort'],
      ['order=up', 'order'],
      ['departmentCode=A B', 'departmentCode'],
    ] as const) {
      const res = await dispatcher.get<ApiError>(`/api/v1/violations?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body).toMatchObject({ code: 'query.invalid', field });
    }
  });

  it('documents the request bodies in OpenAPI from the same schemas that validate them', async () => {
    const res = await fetch(`${api.url}/api/openapi.json`, { headers: { authorization: `Bearer ${admin.token}` } });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: Record<string, { enum?: string[] }> } }> } }>> };
    const transition = doc.paths['/api/v1/violations/{id}/transitions']!['post']!.requestBody!.content['application/json']!.schema;
    expect(transition.properties!['action']!.enum).toContain('reassign');
    const bulk = doc.paths['/api/v1/violations/bulk']!['post']!.requestBody!.content['application/json']!.schema;
    expect(Object.keys(bulk.properties!)).toContain('items');
  });
});
