import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTION_LABELS, AUDITED_ACTIONS, auditActionLabel, type AuditEntry } from '@muckwatch/contracts';
import { AUDIT_EXPORT_COLUMNS, auditDetails, auditExportName } from './audit-export.js';

const SRC = fileURLToPath(new URL('..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Every action the API source audits: `action: 'x.y'` literals, and the registry's `audited('kind', 'verb'…)`. */
function auditedActions(): string[] {
  const actions = new Set<string>();
  const registryKinds = new Set<string>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\baction:\s*'([a-z][a-z0-9_.]*)'/g)) if (m[1]!.includes('.') || m[1]!.includes('_')) actions.add(m[1]!);
    for (const m of text.matchAll(/\baudited\('([a-z_]+)', '([a-z]+)'/g)) actions.add(`${m[1]}.${m[2]}`);
    for (const m of text.matchAll(/readonly resourceType = '([a-z_]+)' as const/g)) registryKinds.add(m[1]!);
    if (/tx\.audited\(this\.resourceType, '([a-z]+)'/.test(text)) {
      for (const m of text.matchAll(/tx\.audited\(this\.resourceType, '([a-z]+)'/g)) for (const kind of ['construction_site', 'disposal_site', 'route', 'speed_zone']) actions.add(`${kind}.${m[1]}`);
    }
  }
  return [...actions].sort();
}

const CASE_WORKFLOW = [
  'case.confirm', 'case.dismiss', 'case.assign', 'case.reassign', 'case.handle', 'case.return', 'case.close', 'case.reopen',
  'case.comment', 'case.attachment_upload', 'violations.export', 'department.create', 'department.update',
];

describe('audit action names', () => {
  it('names every action the API audits, and the case workflow’s, in zh-CN and English', () => {
    const actions = auditedActions();
    expect(actions).toEqual(expect.arrayContaining(['auth.login', 'user.create', 'terminal.credentials.issue', 'truck.update', 'route.import']));
    const unnamed = [...actions, ...CASE_WORKFLOW].filter((a) => !auditActionLabel(a, 'zh-CN') || !auditActionLabel(a, 'en'));
    expect(unnamed).toEqual([]);
  });

  it('finds an action by its dotted or underscored form', () => {
    expect(auditActionLabel('case.assign', 'zh-CN')).toBe('交办案件');
    expect(auditActionLabel('case_assign', 'zh-CN')).toBe('交办案件');
    expect(auditActionLabel('no.such', 'zh-CN')).toBeNull();
    expect(Object.keys(AUDIT_ACTION_LABELS.en).sort()).toEqual(Object.keys(AUDIT_ACTION_LABELS['zh-CN']).sort());
  });
});

describe('audit export columns', () => {
  const entry: AuditEntry = {
    id: '1',
    at: '2026-11-26T16:30:00.000Z',
    actorId: null,
    actorUsername: '=cmd',
    actorRole: 'dispatcher',
    ip: '10.0.0.7',
    action: 'terminal.bind',
    outcome: 'denied',
    resourceType: 'terminal',
    resourceId: 'T-1',
    before: null,
    after: { truckId: 'x' },
    detail: null,
  };

  it('writes Chinese names and the office time (the next day in Shanghai)', () => {
    expect(AUDIT_EXPORT_COLUMNS.map((c) => c.header)).toEqual(['时间', '用户', '角色', '操作', '对象类型', '对象', '结果', '来源IP', '详情']);
    expect(AUDIT_EXPORT_COLUMNS.map((c) => c.value(entry))).toEqual([
      '2026-11-27 00:30:00', '=cmd', '渣土办调度员', '绑定终端', '终端', 'T-1', '拒绝', '10.0.0.7', '{"after":{"truckId":"x"}}',
    ]);
  });

  it('names a denied request’s route as an API route, and an unknown action as it is', () => {
    const denied = { ...entry, action: 'authz.denied', resourceType: 'route' };
    expect(AUDIT_EXPORT_COLUMNS[4]!.value(denied)).toBe('接口');
    expect(AUDIT_EXPORT_COLUMNS[3]!.value({ ...entry, action: 'future.thing' })).toBe('future.thing');
    expect(AUDIT_EXPORT_COLUMNS[1]!.value({ ...entry, actorUsername: null })).toBe('系统');
  });

  it('leaves the details empty when the row has none, and names the file by Shanghai dates', () => {
    expect(auditDetails({ before: null, after: null, detail: null })).toBeNull();
    expect(auditExportName(new Date('2026-11-19T16:00:00Z'), new Date('2026-11-26T15:00:00Z'))).toBe('审计日志-2026-11-20至2026-11-26');
  });
});

describe('AUDITED_ACTIONS', () => {
  it('lists every action the API audits, each named', () => {
    expect(new Set(AUDITED_ACTIONS).size).toBe(AUDITED_ACTIONS.length);
    expect([...AUDITED_ACTIONS]).toEqual(expect.arrayContaining(auditedActions()));
    expect(AUDITED_ACTIONS.filter((a) => !auditActionLabel(a, 'zh-CN'))).toEqual([]);
  });
});
