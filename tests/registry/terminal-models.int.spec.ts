import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_TERMINAL_MODELS, renderApiError, type Jt808AuthCodeStatus, type TerminalModelRecord } from '@muckwatch/contracts';
import type { RunningApi } from '@muckwatch/api';
import { signInAs } from '../support/api-client.js';
import { startTestApi, uniqueTag } from '../support/test-api.js';

/** /api/v1/terminal-models and the JT/T 808 auth-code endpoints over HTTP: validation, roles, audit. */
describe('terminal models and JT/T 808 auth codes over HTTP', () => {
  let api: RunningApi;
  let db: pg.Pool;
  const tag = uniqueTag();
  const maker = `测试厂商-${tag}`;
  const jt808Terminal = `J8A${tag}`;
  const mqttTerminal = `J8Q${tag}`;
  const mapping = {
    cover: { from: 'status-bit', bit: 13, whenSet: 'open' },
    body: { from: 'item-bits', itemId: 0xe3, offset: 0, mask: 1, whenSet: 'raised' },
    load: {
      from: 'voltage',
      itemId: 0x2b,
      offset: 0,
      width: 2,
      scaleV: 0.01,
      bands: [
        { state: 'empty', minV: 0, maxV: 1 },
        { state: 'full', minV: 1, maxV: 5 },
      ],
    },
    commands: { speedCap: { via: 'set-parameters', parameters: [{ id: 0x0055, type: 'dword', value: '{speedKmh}' }] } },
  };

  beforeAll(async () => {
    db = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
    api = await startTestApi({ MQTT_URL: '', EMBEDDED_MQTT_PORT: '0', INGEST_CONNECTIONS: '1', INGEST_SHARED_SUBSCRIPTION: 'false' });
    await db.query(`INSERT INTO terminals (terminal_id, sim, protocol) VALUES ($1, $2, 'jt808-2013'), ($3, NULL, 'mqtt-v1')`, [
      jt808Terminal,
      `1${String(Date.now()).slice(-10)}`,
      mqttTerminal,
    ]);
  });

  afterAll(async () => {
    await api?.close();
    await db?.end();
  });

  it('lists the shipped defaults, the standard fallback first, to any signed-in role', async () => {
    const town = await signInAs(api, 'town_official');
    const res = await town.get<TerminalModelRecord[]>('/api/v1/terminal-models');
    expect(res.status).toBe(200);
    expect(res.body[0]).toMatchObject({ isFallback: true, isDefault: true, maker: 'JT/T 808' });
    for (const model of DEFAULT_TERMINAL_MODELS) expect(res.body.some((m) => m.maker === model.maker && m.isDefault)).toBe(true);
  });

  it('an admin creates, changes and deletes a model; each write is audited with before and after', async () => {
    const admin = await signInAs(api, 'admin');
    const created = await admin.post<TerminalModelRecord>('/api/v1/terminal-models', { maker, model: 'ZT-1', name: '测试型号', mapping });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ maker, model: 'ZT-1', isDefault: false, isFallback: false, mapping });
    const id = created.body.id;

    const duplicate = await admin.post('/api/v1/terminal-models', { maker: maker.toUpperCase(), model: 'zt-1', name: '重复', mapping: {} });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ code: 'terminal_model.duplicate' });

    const patched = await admin.patch<TerminalModelRecord>(`/api/v1/terminal-models/${id}`, { name: '改名', mapping: { load: mapping.load } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: '改名', mapping: { load: mapping.load } });
    expect(patched.body.mapping.cover).toBeUndefined();

    expect((await admin.delete(`/api/v1/terminal-models/${id}`)).status).toBe(204);
    expect((await admin.get(`/api/v1/terminal-models/${id}`)).status).toBe(404);
    const { rows } = await db.query<{ action: string; before: unknown; after: unknown }>(
      `SELECT action, before, after FROM audit_log WHERE resource_type = 'terminal_model' AND resource_id = $1 ORDER BY id`,
      [id],
    );
    expect(rows.map((r) => r.action)).toEqual(['terminal_model.create', 'terminal_model.update', 'terminal_model.delete']);
    expect(rows[1]!.before).toMatchObject({ name: '测试型号' });
    expect(rows[1]!.after).toMatchObject({ name: '改名' });
  });

  it('refuses bad mappings with a 400 naming the field, rendered in zh-CN', async () => {
    const admin = await signInAs(api, 'admin');
    const bad: Array<[unknown, string, string]> = [
      [{ maker, name: 'x', mapping: { cover: { from: 'status-bit', bit: 40, whenSet: 'open' } } }, 'mapping.cover.bit', 'input.invalid'],
      [{ maker, name: 'x', mapping: { body: { from: 'item-bits', itemId: 300, offset: 0, mask: 1, whenSet: 'raised' } } }, 'mapping.body.itemId', 'input.invalid'],
      [
        { maker, name: 'x', mapping: { load: { ...mapping.load, bands: [{ state: 'empty', minV: 0, maxV: 3 }, { state: 'full', minV: 2, maxV: 5 }] } } },
        'mapping.load.bands.1.minV',
        'terminal_model.bands_overlap',
      ],
      [{ maker, name: 'x', mapping: { cover: { from: 'gpio' } } }, 'mapping.cover.from', 'input.invalid'],
      [{ maker, name: 'x' }, 'mapping', 'input.invalid'],
      [{ maker: 'x'.repeat(101), name: 'x', mapping: {} }, 'maker', 'input.invalid'],
      [{ maker, name: 'x', mapping: {}, sql: 'drop' }, 'sql', 'input.invalid'],
      [[], 'body', 'input.invalid'],
    ];
    for (const [body, field, code] of bad) {
      const res = await admin.post<{ code: string; field: string; params: Record<string, unknown>; message: string }>('/api/v1/terminal-models', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ code, field });
      expect(renderApiError(res.body, 'zh-CN')).not.toBe(res.body.message);
    }
    expect((await admin.patch('/api/v1/terminal-models/not-a-uuid', { name: 'x' })).status).toBe(404);
  });

  it('documents the endpoints and the mapping schema in OpenAPI', async () => {
    const openapi = (await fetch(`${api.url}/api/openapi.json`).then((r) => r.json())) as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(['/api/v1/terminal-models', '/api/v1/terminal-models/{id}', '/api/v1/terminals/{terminalId}/jt808-auth-code', '/api/v1/jt808-auth-codes']),
    );
    expect(JSON.stringify(openapi.paths['/api/v1/terminal-models']!['post']!.requestBody)).toContain('status-bit');
  });

  it('keeps the standard fallback: no delete, no new maker', async () => {
    const admin = await signInAs(api, 'admin');
    const standard = (await admin.get<TerminalModelRecord[]>('/api/v1/terminal-models')).body.find((m) => m.isFallback)!;
    expect((await admin.delete(`/api/v1/terminal-models/${standard.id}`)).status).toBe(409);
    expect((await admin.patch(`/api/v1/terminal-models/${standard.id}`, { maker: `别家-${tag}` })).status).toBe(409);
  });

  it('lets only an admin write models or issue and revoke auth codes', async () => {
    const admin = await signInAs(api, 'admin');
    const someone = (await admin.get<TerminalModelRecord[]>('/api/v1/terminal-models')).body.find((m) => !m.isFallback)!;
    for (const role of ['dispatcher', 'town_official', 'enforcement_officer', 'auditor'] as const) {
      const user = await signInAs(api, role);
      expect((await user.post('/api/v1/terminal-models', { maker, name: 'x', mapping: {} })).status, role).toBe(403);
      expect((await user.patch(`/api/v1/terminal-models/${someone.id}`, { name: 'x' })).status, role).toBe(403);
      expect((await user.delete(`/api/v1/terminal-models/${someone.id}`)).status, role).toBe(403);
      expect((await user.post(`/api/v1/terminals/${jt808Terminal}/jt808-auth-code`)).status, role).toBe(403);
      expect((await user.delete(`/api/v1/terminals/${jt808Terminal}/jt808-auth-code`)).status, role).toBe(403);
    }
    for (const role of ['town_official', 'enforcement_officer'] as const) {
      expect((await (await signInAs(api, role)).get('/api/v1/jt808-auth-codes')).status, role).toBe(403);
    }
  });

  it('issues an auth code once, shows only whether one is issued, revokes it; refuses non-JT/T 808 terminals', async () => {
    const admin = await signInAs(api, 'admin');
    const issued = await admin.post<{ authCode: string; rotated: boolean; terminalId: string }>(`/api/v1/terminals/${jt808Terminal}/jt808-auth-code`);
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ terminalId: jt808Terminal, rotated: false });
    const again = await admin.post<{ rotated: boolean }>(`/api/v1/terminals/${jt808Terminal}/jt808-auth-code`);
    expect(again.body.rotated).toBe(true);

    const dispatcher = await signInAs(api, 'dispatcher');
    const statuses = await dispatcher.get<Jt808AuthCodeStatus[]>('/api/v1/jt808-auth-codes');
    expect(statuses.status).toBe(200);
    expect(statuses.body.find((s) => s.terminalId === jt808Terminal)).toMatchObject({ state: 'issued', issuedVia: 'admin' });
    expect(JSON.stringify(statuses.body)).not.toContain(issued.body.authCode);
    expect(statuses.body.some((s) => s.terminalId === mqttTerminal)).toBe(false);

    expect((await admin.delete(`/api/v1/terminals/${jt808Terminal}/jt808-auth-code`)).status).toBe(204);
    const after = await dispatcher.get<Jt808AuthCodeStatus[]>('/api/v1/jt808-auth-codes');
    expect(after.body.find((s) => s.terminalId === jt808Terminal)).toMatchObject({ state: 'revoked' });

    expect((await admin.post(`/api/v1/terminals/${mqttTerminal}/jt808-auth-code`)).body).toMatchObject({ code: 'jt808.not_jt808' });
    expect((await admin.post(`/api/v1/terminals/no-such-${tag}/jt808-auth-code`)).status).toBe(404);
    expect((await admin.post(`/api/v1/terminals/${'x'.repeat(40)}/jt808-auth-code`)).status).toBe(400);

    const { rows } = await db.query<{ action: string; row: string }>(
      `SELECT action, row_to_json(audit_log)::text AS row FROM audit_log WHERE resource_id = $1 AND action LIKE 'terminal.jt808_auth_code.%' ORDER BY id`,
      [jt808Terminal],
    );
    expect(rows.map((r) => r.action)).toEqual(['terminal.jt808_auth_code.issue', 'terminal.jt808_auth_code.issue', 'terminal.jt808_auth_code.revoke']);
    for (const row of rows) expect(row.row).not.toContain(issued.body.authCode);
  });
});
