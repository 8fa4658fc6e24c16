import mqtt from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TerminalCredentialsResponse } from '@muckwatch/contracts';
import type { RunningApi } from '@muckwatch/api';
import { signInAs } from '../support/api-client.js';
import { startTestApi, uniqueTag } from '../support/test-api.js';

/**
 * POST /api/v1/terminals/{terminalId}/credentials over HTTP, as the roles that may and may not.
 * Needs the global AuthGuard and sign-in from main (accounts, issue #5).
 */
describe('POST /api/v1/terminals/{terminalId}/credentials', () => {
  let api: RunningApi;
  let db: pg.Pool;
  const terminalId = `http-${uniqueTag()}`;

  beforeAll(async () => {
    db = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
    api = await startTestApi({ MQTT_URL: '', EMBEDDED_MQTT_PORT: '0', INGEST_CONNECTIONS: '1', INGEST_SHARED_SUBSCRIPTION: 'false' });
    await db.query('INSERT INTO terminals (terminal_id) VALUES ($1)', [terminalId]);
  });

  afterAll(async () => {
    await api?.close();
    await db?.end();
  });

  it('gives a dispatcher the secret once (201), which the broker then accepts; audited without it', async () => {
    const dispatcher = await signInAs(api, 'dispatcher');
    const res = await dispatcher.post<TerminalCredentialsResponse>(`/api/v1/terminals/${terminalId}/credentials`);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ terminalId, clientId: terminalId, username: terminalId, rotated: false });
    const client = await mqtt.connectAsync(api.infra.mqttUrl, {
      clientId: terminalId,
      username: terminalId,
      password: res.body.password,
      reconnectPeriod: 0,
    });
    await client.endAsync();
    const { rows } = await db.query<{ actor_username: string; row: string }>(
      `SELECT actor_username, row_to_json(audit_log)::text AS row FROM audit_log
        WHERE action = 'terminal.credentials.issue' AND resource_id = $1`,
      [terminalId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actor_username).toBe(dispatcher.user.username);
    expect(rows[0]!.row).not.toContain(res.body.password);
  });

  it('answers 404 for a terminal the registry does not know and 400 for a malformed id', async () => {
    const admin = await signInAs(api, 'admin');
    expect((await admin.post(`/api/v1/terminals/no-such-${terminalId}/credentials`)).status).toBe(404);
    expect((await admin.post(`/api/v1/terminals/${'x'.repeat(40)}/credentials`)).status).toBe(400);
  });

  it('refuses roles other than admin and dispatcher', async () => {
    for (const role of ['auditor', 'town_official', 'enforcement_officer'] as const) {
      const user = await signInAs(api, role);
      expect((await user.post(`/api/v1/terminals/${terminalId}/credentials`)).status).toBe(403);
    }
    const anonymous = await fetch(`${api.url}/api/v1/terminals/${terminalId}/credentials`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
  });
});
