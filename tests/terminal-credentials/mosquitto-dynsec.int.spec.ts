import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { commandsTopic, statusTopic, telemetryTopic, type TerminalCommandList, type TerminalCommandRecord, type TerminalCredentialsResponse } from '@muckwatch/contracts';
import { TerminalCredentialsService, type RunningApi } from '@muckwatch/api';
import { signInAs } from '../support/api-client.js';
import { FakeTerminal, registerTruck } from '../support/command-fixtures.js';
import { lineOfFixes } from '../support/mqtt.js';
import { mosquittoAvailable, startMosquitto, type MosquittoProcess } from '../support/mosquitto.js';
import { freePort } from '../support/test-broker.js';
import { startTestApi, uniqueTag, waitFor } from '../support/test-api.js';

/**
 * The Mosquitto configuration we ship (docker/mosquitto), anonymous access off: the API
 * provisions its ingest account and each terminal through the dynamic-security plugin, and
 * Mosquitto holds terminals to their own topics.
 */
describe.skipIf(!mosquittoAvailable())('Mosquitto dynamic security: terminals provisioned by the API', () => {
  let mosquitto: MosquittoProcess;
  let api: RunningApi;
  let db: pg.Pool;
  const tag = uniqueTag();
  const id = (name: string) => `mq-${name}-${tag}`;
  const open: MqttClient[] = [];

  const issue = (terminalId: string): Promise<TerminalCredentialsResponse> =>
    api.app.get(TerminalCredentialsService).issue(terminalId, null);
  const connect = async (options: { clientId: string; username?: string; password?: string }): Promise<MqttClient> => {
    const client = await mqtt.connectAsync(mosquitto.url, { clean: true, reconnectPeriod: 0, connectTimeout: 5000, ...options });
    open.push(client);
    return client;
  };
  const connectAs = (c: TerminalCredentialsResponse) => connect({ clientId: c.clientId, username: c.username, password: c.password });
  const positions = async (terminalId: string): Promise<number> => {
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM positions WHERE terminal_id = $1', [terminalId]);
    return rows[0]!.n;
  };

  beforeAll(async () => {
    db = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
    mosquitto = await startMosquitto({ port: await freePort(), anonymous: false });
    api = await startTestApi({
      MQTT_URL: mosquitto.url,
      MQTT_USERNAME: `ingest-${tag}`,
      MQTT_PASSWORD: randomBytes(18).toString('base64url'),
      MQTT_DYNSEC_USERNAME: mosquitto.admin.username,
      MQTT_DYNSEC_PASSWORD: mosquitto.admin.password,
      INGEST_CONNECTIONS: '2',
      INGEST_SHARED_SUBSCRIPTION: 'true',
    });
    for (const name of ['a', 'b', 'c', 'rot']) await db.query('INSERT INTO terminals (terminal_id) VALUES ($1)', [id(name)]);
  });

  afterAll(async () => {
    await Promise.all(open.map((client) => client.endAsync(true).catch(() => undefined)));
    await api?.close();
    await mosquitto?.stop();
    await db?.end();
  });

  it("stores a provisioned terminal's fixes, and drops what it publishes on another terminal's topic", async () => {
    await issue(id('b'));
    const credentials = await issue(id('a'));
    const spoofer = await connectAs(credentials);
    // Mosquitto denies the publish; 2.0.11 answers a v3.1.1 client with a PUBACK carrying reason
    // 0x87, which MQTT.js treats as a protocol error and closes. Either way the client is done.
    await new Promise<void>((resolve) => {
      spoofer.once('close', () => resolve());
      spoofer.publish(telemetryTopic(id('b')), JSON.stringify(lineOfFixes(Date.now() - 60_000, 2)), { qos: 1 }, () => resolve());
    });
    const a = await connectAs(credentials);
    await a.publishAsync(statusTopic(id('a')), 'online', { qos: 1, retain: true });
    await a.publishAsync(telemetryTopic(id('a')), JSON.stringify(lineOfFixes(Date.now() - 60_000, 3)), { qos: 1 });
    // The spoofed message came first: once A's own fixes are stored, it would have been too.
    await waitFor(async () => (await positions(id('a'))) === 3, 20_000, "A's own fixes stored");
    expect(await positions(id('b'))).toBe(0);
  });

  it('refuses unknown credentials, a wrong secret, a borrowed client id and anonymous clients', async () => {
    const b = await issue(id('b'));
    await expect(connect({ clientId: id('nobody'), username: id('nobody'), password: b.password })).rejects.toThrow(/not authori[sz]ed|bad user/i);
    await expect(connect({ clientId: b.clientId, username: b.username, password: `${b.password}x` })).rejects.toThrow(/not authori[sz]ed|bad user/i);
    await expect(connect({ clientId: id('c'), username: b.username, password: b.password })).rejects.toThrow(/not authori[sz]ed|identifier/i);
    await expect(connect({ clientId: id('anonymous') })).rejects.toThrow(/not authori[sz]ed/i);
  });

  it('refuses a rotated secret and accepts the new one', async () => {
    const first = await issue(id('rot'));
    await (await connectAs(first)).endAsync();
    const second = await issue(id('rot'));
    await expect(connectAs(first)).rejects.toThrow(/not authori[sz]ed|bad user/i);
    expect((await connectAs(second)).connected).toBe(true);
  });

  it('gives a terminal subscribing to muckwatch/# nothing while others publish', async () => {
    const c = await connectAs(await issue(id('c')));
    const received: string[] = [];
    c.on('message', (topic) => received.push(topic));
    const granted = await c.subscribeAsync('muckwatch/#', { qos: 1 }).then(
      (grants) => grants.map((g) => g.qos),
      (error: { packet?: { granted?: unknown[] } }) => error.packet?.granted,
    );
    expect(granted).toEqual([128]);
    const a = await connectAs(await issue(id('a')));
    const before = await positions(id('a'));
    await a.publishAsync(telemetryTopic(id('a')), JSON.stringify(lineOfFixes(Date.now() - 20_000, 1, 10, { seq: 7 })), { qos: 1 });
    await waitFor(async () => (await positions(id('a'))) === before + 1, 20_000, "A's fix stored");
    expect(received).toEqual([]);
  });

  it("lets a terminal read its own commands topic only, and the API hear its answer", async () => {
    const dispatcher = await signInAs(api, 'dispatcher');
    const truck = await registerTruck(dispatcher, tag);
    const other = await registerTruck(dispatcher, tag);
    const spy = await connect({ clientId: other.terminalId, username: other.terminalId, password: other.password });
    const refused = await spy.subscribeAsync(commandsTopic(truck.terminalId), { qos: 1 }).then(
      (grants) => grants.map((g) => g.qos),
      (error: { packet?: { granted?: unknown[] } }) => error.packet?.granted,
    );
    expect(refused).toEqual([128]);
    const terminal = new FakeTerminal(mosquitto.url, truck.terminalId, truck.password);
    await terminal.connect();
    try {
      const sent = await dispatcher.post<TerminalCommandRecord>(`/api/v1/trucks/${truck.truckId}/commands`, { kind: 'lock', reason: '锁车' });
      expect(sent.status, JSON.stringify(sent.body)).toBe(201);
      await waitFor(
        async () => (await dispatcher.get<TerminalCommandList>(`/api/v1/trucks/${truck.truckId}/commands`)).body.items[0]?.state === 'acknowledged',
        20_000,
        'lock acknowledged through Mosquitto',
      );
      expect(terminal.received.map((c) => c.commandId)).toEqual([sent.body.id]);
    } finally {
      await terminal.disconnect();
    }
  });
});
