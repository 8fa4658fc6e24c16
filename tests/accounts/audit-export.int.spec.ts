import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDateTime, type ApiError, type AuditPage } from '@muckwatch/contracts';
import type { RunningApi } from '@muckwatch/api';
import { signInAdmin, signInAs, type ApiClient } from '../support/api-client.js';
import { startTestApi } from '../support/test-api.js';

const HEADERS = ['时间', '用户', '角色', '操作', '对象类型', '对象', '结果', '来源IP', '详情'];

/** The first sheet of an xlsx download as rows of cell values (row 1 = headers). */
async function sheetRows(res: Response): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(await res.arrayBuffer());
  const sheet = workbook.worksheets[0]!;
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

describe('audit log export as xlsx', () => {
  let api: RunningApi;
  let admin: ApiClient;

  beforeAll(async () => {
    api = await startTestApi();
    admin = await signInAdmin(api);
  });

  afterAll(async () => {
    await api?.close();
  });

  it('streams an xlsx with zh-CN headers, Shanghai times, actions by name, neutralised cells, and its own audit row', async () => {
    const formula = '=HYPERLINK("http://x","y")';
    const failed = await fetch(`${api.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: formula, password: 'whatever-Pass1' }),
    });
    expect(failed.status).toBe(401);
    expect(((await failed.json()) as ApiError).code).toBe('auth.wrong_credentials');

    const auditor = await signInAs(api, 'auditor');
    const before = Date.now();
    const res = await fetch(`${api.url}/api/v1/audit/export.xlsx`, { headers: { authorization: `Bearer ${auditor.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('审计日志'));
    const rows = await sheetRows(res);

    expect(rows[0]).toEqual(HEADERS);
    const body = rows.slice(1);
    // Newest first: the export's own row leads, recorded before the rows were read.
    const own = body[0]!;
    expect(own[1]).toBe(auditor.user.username);
    expect(own[2]).toBe('审计员');
    expect(own[3]).toBe('导出审计日志');
    expect(own[4]).toBe('审计日志');
    expect(own[6]).toBe('成功');
    expect(JSON.parse(own[8] as string)).toMatchObject({ detail: { format: 'xlsx' } });
    // Its time is the office's wall clock (Asia/Shanghai), not UTC.
    const shown = own[0] as string;
    expect(shown).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const shanghaiNow = formatDateTime(before)!;
    expect(shown.slice(0, 13)).toBe(shanghaiNow.slice(0, 13));
    expect(shown.slice(0, 13)).not.toBe(new Date(before).toISOString().replace('T', ' ').slice(0, 13));

    // The attacker-typed username is text with a leading quote, never a formula.
    const attempt = body.find((row) => row[3] === '登录' && row[6] === '失败' && String(row[1]).includes('HYPERLINK'));
    expect(attempt?.[1]).toBe(`'${formula}`);
    expect(body.flat().filter((cell) => typeof cell === 'object' && cell !== null && 'formula' in cell)).toEqual([]);
    // No raw dotted action of the catalogue's shows.
    expect(body.map((row) => row[3])).not.toContain('auth.login');

    const log = await admin.get<AuditPage>(`/api/v1/audit?action=audit.export&actor=${auditor.user.username}`);
    expect(log.body.entries.map((e) => (e.detail as { format?: string }).format)).toContain('xlsx');
  });

  it('takes the CSV export filters, and refuses a bad one with a stable code', async () => {
    const auditor = await signInAs(api, 'auditor');
    const ok = await fetch(`${api.url}/api/v1/audit/export.xlsx?action=auth.login&outcome=failure`, { headers: { authorization: `Bearer ${auditor.token}` } });
    const rows = await sheetRows(ok);
    expect(rows.slice(1).every((row) => row[3] === '登录' && row[6] === '失败')).toBe(true);

    const bad = await fetch(`${api.url}/api/v1/audit/export.xlsx?outcome=maybe`, { headers: { authorization: `Bearer ${auditor.token}` } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'audit.outcome_invalid', params: { allowed: ['success', 'denied', 'failure'] }, field: 'outcome' });
  });

  it('is for admins and auditors only', async () => {
    const dispatcher = await signInAs(api, 'dispatcher');
    const res = await fetch(`${api.url}/api/v1/audit/export.xlsx`, { headers: { authorization: `Bearer ${dispatcher.token}` } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as ApiError).code).toBe('auth.role_required');
  });
});
