import mqtt, { type MqttClient } from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { commandResponsesTopic, commandsTopic, statusTopic, telemetryTopic, type TerminalCredentialsResponse } from '@muckwatch/contracts';
import { TerminalCredentialsService, type RunningApi } from '@muckwatch/api';
import { lineOfFixes } from '../support/mqtt.js';
import { startTestApi, uniqueTag, waitFor } from '../support/test-api.js';

/**
 * The API's own embedded broker (no MQTT_URL) with terminal authentication on: each terminal
 * connects with its own credentials and may publish only to its own topics.
 */
describe('embedded broker: per-terminal credentials and topic authorization', () => {
  let api: RunningApi;
  let db: pg.Pool;
  let brokerUrl: string;
  const tag = uniqueTag();
  const id = (name: string) => `${name}-${tag}`;
  const open: MqttClient[] = [];

  const issue = (terminalId: string): Promise<TerminalCredentialsResponse> =>
    api.app.get(TerminalCredentialsService).issue(terminalId, null);

  const connect = async (options: { clientId: string; username?: string; password?: string }): Promise<MqttClient> => {
    const client = await mqtt.connectAsync(brokerUrl, { clean: true, reconnectPeriod: 0, connectTimeout: 5000, ...options });
    open.push(client);
    return client;
  };
  const connectAs = (credentials: TerminalCredentialsResponse) =>
    connect({ clientId: credentials.clientId, username: credentials.username, password: credentials.password });

  const positions = async (terminalId: string): Promise<number> => {
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM positions WHERE terminal_id = $1', [terminalId]);
    return rows[0]!.n;
  };
  const audited = async (action: string, resourceId: string) =>
    (await db.query<{ outcome: string; detail: Record<string, unknown> }>(
      'SELECT outcome, detail FROM audit_log WHERE action = $1 AND resource_id = $2 ORDER BY id',
      [action, resourceId],
    )).rows;

  beforeAll(async () => {
    db = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
    api = await startTestApi({ MQTT_URL: '', EMBEDDED_MQTT_PORT: '0', INGEST_CONNECTIONS: '1', INGEST_SHARED_SUBSCRIPTION: 'false' });
    brokerUrl = api.infra.mqttUrl;
    // Ensure migrations ran and register the terminals these tests use.
    for (const name of ['a', 'b', 'c', 'rot', 'cid']) {
      await db.query('INSERT INTO terminals (terminal_id) VALUES ($1)', [id(name)]);
    }
  });

  afterAll(async () => {
    await Promise.all(open.map((client) => client.endAsync(true).catch(() => undefined)));
    await api?.close();
    await db?.end();
  });

  it('stores the fixes a terminal publishes with its own credentials on its own topic', async () => {
    const a = await connectAs(await issue(id('a')));
    await a.publishAsync(statusTopic(id('a')), 'online', { qos: 1, retain: true });
    await a.publishAsync(telemetryTopic(id('a')), JSON.stringify(lineOfFixes(Date.now() - 60_000, 3)), { qos: 1 });
    await waitFor(async () => (await positions(id('a'))) === 3, 15_000, "terminal A's fixes stored");
  });

  it('refuses and records terminal A publishing as terminal B', async () => {
    await issue(id('b'));
    const credentials = await issue(id('a'));
    const a = await connectAs(credentials);
    const closed = new Promise<void>((resolve) => a.once('close', () => resolve()));
    a.publish(telemetryTopic(id('b')), JSON.stringify(lineOfFixes(Date.now() - 30_000, 1)), { qos: 1 });
    await closed; // the broker drops a terminal that publishes where it may not
    await waitFor(
      async () => (await db.query('SELECT 1 FROM rejections WHERE terminal_id = $1 AND reason = $2', [id('a'), 'unauthorized_topic'])).rowCount === 1,
      10_000,
      'refused publish recorded as a rejection',
    );
    const { rows } = await db.query<{ topic: string; payload: string }>(
      'SELECT topic, payload FROM rejections WHERE terminal_id = $1 AND reason = $2',
      [id('a'), 'unauthorized_topic'],
    );
    expect(rows[0]!.topic).toBe(telemetryTopic(id('b')));
    expect(rows[0]!.payload).toContain('"lat":36.82');
    await waitFor(async () => (await audited('mqtt.publish', id('a'))).length > 0, 10_000, 'refused publish audited');
    expect(await audited('mqtt.publish', id('a'))).toEqual([expect.objectContaining({ outcome: 'denied' })]);
    expect(await positions(id('b'))).toBe(0);
  });

  it('refuses unknown credentials, a wrong secret, no credentials and a borrowed client id', async () => {
    const b = await issue(id('b'));
    await expect(connect({ clientId: id('nobody'), username: id('nobody'), password: b.password })).rejects.toThrow(/bad user ?name or password/i);
    await expect(connect({ clientId: b.clientId, username: b.username, password: `${b.password}x` })).rejects.toThrow(/bad user ?name or password/i);
    await expect(connect({ clientId: id('anonymous') })).rejects.toThrow(/not authori[sz]ed/i);
    const cid = await issue(id('cid'));
    await expect(connect({ clientId: id('b'), username: cid.username, password: cid.password })).rejects.toThrow(/not authori[sz]ed/i);
    await waitFor(async () => (await audited('mqtt.connect', id('nobody'))).length === 1, 10_000, 'refused connection audited');
    // Refusals are recorded off the broker's path, each in its own time: wait for this one too.
    await waitFor(async () => (await audited('mqtt.connect', id('cid'))).length === 1, 10_000, 'borrowed client id audited');
    expect((await audited('mqtt.connect', id('cid')))[0]!.detail).toMatchObject({ reason: 'client_id_mismatch', clientId: id('b') });
    // The system account of the embedded broker is not guessable either.
    await expect(connect({ clientId: id('svc'), username: 'muckwatch-api', password: 'guess' })).rejects.toThrow(/bad user ?name or password/i);
  });

  it('refuses a rotated secret and accepts the new one', async () => {
    const first = await issue(id('rot'));
    const live = await connectAs(first);
    await live.endAsync();
    const second = await issue(id('rot'));
    expect(second.rotated).toBe(true);
    expect(second.password).not.toBe(first.password);
    await expect(connectAs(first)).rejects.toThrow(/bad user ?name or password/i);
    const again = await connectAs(second);
    expect(again.connected).toBe(true);
    const { rows } = await db.query<{ active: number; revoked: number }>(
      `SELECT count(*) FILTER (WHERE revoked_at IS NULL)::int AS active, count(*) FILTER (WHERE revoked_at IS NOT NULL)::int AS revoked
         FROM terminal_credentials WHERE terminal_id = $1`,
      [id('rot')],
    );
    expect(rows[0]).toEqual({ active: 1, revoked: 1 });
    const issues = await audited('terminal.credentials.issue', id('rot'));
    expect(issues.map((row) => row.detail['rotated'])).toEqual([false, true]);
    expect(JSON.stringify(issues)).not.toContain(second.password);
  });

  it('gives a terminal subscribing to muckwatch/# nothing while others publish', async () => {
    const c = await connectAs(await issue(id('c')));
    const received: string[] = [];
    c.on('message', (topic) => received.push(topic));
    // MQTT.js turns an all-refused SUBACK into an error that carries the packet.
    const granted = await c.subscribeAsync('muckwatch/#', { qos: 1 }).then(
      (grants) => grants.map((g) => g.qos),
      (error: { packet?: { granted?: unknown[] } }) => error.packet?.granted,
    );
    expect(granted).toEqual([128]);
    const a = await connectAs(await issue(id('a')));
    const before = await positions(id('a'));
    await a.publishAsync(telemetryTopic(id('a')), JSON.stringify(lineOfFixes(Date.now() - 20_000, 1, 10, { seq: 99 })), { qos: 1 });
    // Once ingest has stored the fix, the broker has delivered it to every subscriber it has.
    await waitFor(async () => (await positions(id('a'))) === before + 1, 15_000, "A's fix stored");
    expect(received).toEqual([]);
    await waitFor(async () => (await audited('mqtt.subscribe', id('c'))).length > 0, 10_000, 'refused subscription audited');
    expect(await audited('mqtt.subscribe', id('c'))).toEqual([expect.objectContaining({ outcome: 'denied' })]);
  });

  it("lets a terminal subscribe to its own commands topic only, and answer on its own response topic only", async () => {
    const b = await connectAs(await issue(id('b')));
    expect((await b.subscribeAsync(commandsTopic(id('b')), { qos: 1 }))[0]?.qos).toBe(1);
    await b.publishAsync(commandResponsesTopic(id('b')), JSON.stringify({ commandId: '00000000-0000-4000-8000-000000000000', outcome: 'acknowledged' }), { qos: 1 });
    const granted = await b.subscribeAsync(commandsTopic(id('a')), { qos: 1 }).then(
      (grants) => grants.map((g) => g.qos),
      (error: { packet?: { granted?: unknown[] } }) => error.packet?.granted,
    );
    expect(granted).toEqual([128]);
    await waitFor(async () => (await audited('mqtt.subscribe', id('b'))).length > 0, 10_000, 'refused subscription audited');
    // Answering for another terminal is a refused publish: the connection is closed.
    const closed = new Promise<void>((resolve) => b.once('close', () => resolve()));
    b.publish(commandResponsesTopic(id('a')), JSON.stringify({ commandId: '00000000-0000-4000-8000-000000000000', outcome: 'acknowledged' }), { qos: 1 });
    await closed;
  });

  it('issues inside the registration transaction of a new terminal: both commit or neither', async () => {
    const service = api.app.get(TerminalCredentialsService);
    const register = async (terminalId: string, outcome: 'COMMIT' | 'ROLLBACK') => {
      const tx = await db.connect();
      try {
        await tx.query('BEGIN');
        await tx.query('INSERT INTO terminals (terminal_id) VALUES ($1)', [terminalId]);
        const issued = await service.issue(terminalId, null, null, tx);
        await tx.query(outcome);
        return issued;
      } finally {
        tx.release();
      }
    };
    const undone = await register(id('undone'), 'ROLLBACK');
    await expect(connectAs(undone)).rejects.toThrow(/bad user ?name or password/i);
    const registered = await register(id('new'), 'COMMIT');
    expect((await connectAs(registered)).connected).toBe(true);
  });

  it('rejects a terminal id the registry does not know with 404', async () => {
    await expect(issue(id('ghost'))).rejects.toMatchObject({ status: 404 });
  });
});
