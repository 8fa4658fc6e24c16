import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { statusTopic, type TelemetryFix, type TerminalCommandList, type TerminalCommandRecord } from '@muckwatch/contracts';
import { connectTerminalClient, Jt808Link, obeyOverMqtt, TruckControl } from '@muckwatch/fleet';
import type { MqttClient } from 'mqtt';
import { type ApiClient, signInAdmin, signInAs } from '../support/api-client.js';
import { registerTruck, type CommandTruck } from '../support/command-fixtures.js';
import { jt808PortOf, newSim, secondsAgo } from '../support/jt808-fixtures.js';
import { startTestApi, uniqueTag, waitFor } from '../support/test-api.js';

type TestApi = Awaited<ReturnType<typeof startTestApi>>;

/**
 * The fleet simulator's terminals on the real doors: a JT/T 808 truck (simulators/fleet/src/jt808-link.ts)
 * reports cover / body / load the way its maker's model says, backfills what was not acknowledged
 * as a blind-area batch, and obeys a dispatcher's commands; an MQTT truck obeys them too
 * (simulators/fleet/src/mqtt-obedience.ts).
 */
describe('simulated terminals on both doors', () => {
  let api: TestApi;
  let db: pg.Pool;
  let admin: ApiClient;
  let dispatcher: ApiClient;
  let port: number;
  const tag = uniqueTag();
  const links: Jt808Link[] = [];
  const clients: MqttClient[] = [];

  const newPhone = (): string => newSim('16');
  const at = secondsAgo;
  const fix = (secondsAgo: number, states: Partial<TelemetryFix> = {}): TelemetryFix => ({
    ts: at(secondsAgo),
    lat: 36.81 + secondsAgo / 100_000,
    lon: 118.31,
    speedKmh: 30,
    headingDeg: 90,
    ignition: true,
    cover: 'closed',
    body: 'down',
    load: 'full',
    ...states,
  });
  const positions = async (terminalId: string) =>
    (await db.query<{ source: string; cover: string | null; body: string | null; load: string | null }>(`SELECT source, cover, body, load FROM positions WHERE terminal_id = $1 ORDER BY fix_time`, [terminalId])).rows;
  const command = async (truck: CommandTruck, body: Record<string, unknown>): Promise<TerminalCommandRecord> => {
    const sent = await dispatcher.post<TerminalCommandRecord>(`/api/v1/trucks/${truck.truckId}/commands`, body);
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    let record: TerminalCommandRecord | undefined;
    await waitFor(async () => {
      record = (await dispatcher.get<TerminalCommandList>(`/api/v1/trucks/${truck.truckId}/commands`)).body.items.find((c) => c.id === sent.body.id);
      return record !== undefined && !['pending', 'sent'].includes(record.state);
    }, 15_000, `command ${body['kind'] as string} answered`);
    return record!;
  };
  const jt808Truck = async (maker: string) => {
    const phone = newPhone();
    const truck = await registerTruck(admin, tag, {}, { sim: phone, protocol: 'jt808-2019', maker, model: 'SIM-1' });
    const control = new TruckControl();
    const link = new Jt808Link({ host: '127.0.0.1', port, profile: { sim: phone, version: '2019', maker, plate: truck.plate }, control, minBackoffMs: 200 });
    links.push(link);
    return { truck, control, link };
  };

  beforeAll(async () => {
    db = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
    api = await startTestApi({ MQTT_URL: '', EMBEDDED_MQTT_PORT: '0', INGEST_CONNECTIONS: '1', INGEST_SHARED_SUBSCRIPTION: 'false', COMMAND_TIMEOUT_MS: '3000', COMMAND_ATTEMPTS: '2', COMMAND_SWEEP_MS: '300' });
    admin = await signInAdmin(api);
    dispatcher = await signInAs(api, 'dispatcher');
    port = await jt808PortOf(api);
  });

  afterAll(async () => {
    await Promise.all(links.map((link) => link.stop()));
    await Promise.all(clients.map((client) => client.endAsync(true).catch(() => undefined)));
    await api?.close();
    await db?.end();
  });

  it('鸿泉 over JT/T 808: reports made before the connection go out as a blind-area batch, states read by the 0xE3/0xE4 mapping', async () => {
    const { truck, link } = await jt808Truck('鸿泉');
    // Not started yet: these wait in the backlog.
    link.report(fix(40, { cover: 'open', body: 'raised', load: 'half' }));
    link.report(fix(30, { cover: 'closed', body: 'down', load: 'empty' }));
    expect(link.stats.backlog).toBe(2);
    link.start();
    await waitFor(() => link.stats.authenticated && link.stats.backlog === 0, 15_000, 'authenticated and backfilled');
    link.report(fix(1, { cover: 'open', body: 'down', load: 'full' }));
    await waitFor(async () => (await positions(truck.terminalId)).length === 3, 15_000, 'three fixes stored');
    expect(await positions(truck.terminalId)).toEqual([
      { source: 'jt808', cover: 'open', body: 'raised', load: 'half' },
      { source: 'jt808', cover: 'closed', body: 'down', load: 'empty' },
      { source: 'jt808', cover: 'open', body: 'down', load: 'full' },
    ]);
    expect(link.stats.acknowledged).toBe(3);
  });

  it('鸿泉 over JT/T 808: lock, lift inhibit, speed cap and text are obeyed and acknowledged', async () => {
    const { truck, control, link } = await jt808Truck('鸿泉');
    link.start();
    await waitFor(() => link.stats.authenticated, 15_000, 'authenticated');
    expect(await command(truck, { kind: 'lock', reason: '测试：锁车' })).toMatchObject({ state: 'acknowledged', door: 'jt808' });
    expect(control.locked).toBe(true);
    expect(await command(truck, { kind: 'lift_inhibit', reason: '测试：禁举升' })).toMatchObject({ state: 'acknowledged' });
    expect(control.liftBlocked).toBe(true);
    expect(await command(truck, { kind: 'speed_cap', params: { speedKmh: 30 }, reason: '测试：限速' })).toMatchObject({ state: 'acknowledged' });
    expect(control.speedLimitKmh).toBe(30);
    expect(await command(truck, { kind: 'display_text', params: { text: '请按核准路线行驶' }, reason: '测试：文本' })).toMatchObject({ state: 'acknowledged' });
    expect(control.displayText).toBe('请按核准路线行驶');
    expect(await command(truck, { kind: 'unlock', reason: '测试：解锁' })).toMatchObject({ state: 'acknowledged' });
    expect(control.locked).toBe(false);
  });

  it('锐明 over JT/T 808: a lock its model cannot carry is answered as unsupported', async () => {
    const { truck, control, link } = await jt808Truck('锐明');
    link.start();
    await waitFor(() => link.stats.authenticated, 15_000, 'authenticated');
    const lock = await command(truck, { kind: 'lock', reason: '测试：锁车' });
    expect(lock.state).toBe('unsupported');
    expect(control.locked).toBe(false);
  });

  it('over MQTT: the terminal obeys on its own topics and answers per the contract', async () => {
    const truck = await registerTruck(admin, tag);
    const control = new TruckControl();
    const client = await connectTerminalClient(api.infra.mqttUrl, {
      clientId: truck.terminalId,
      username: truck.terminalId,
      password: truck.password,
      will: { topic: statusTopic(truck.terminalId), payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    clients.push(client);
    obeyOverMqtt(client, truck.terminalId, control);
    await client.publishAsync(statusTopic(truck.terminalId), 'online', { qos: 1, retain: true });
    expect(await command(truck, { kind: 'speed_cap', params: { speedKmh: 25 }, reason: '测试：限速' })).toMatchObject({ state: 'acknowledged', door: 'mqtt' });
    expect(control.speedLimitKmh).toBe(25);
    expect(await command(truck, { kind: 'lock', reason: '测试：锁车' })).toMatchObject({ state: 'acknowledged' });
    expect(control.report(60)).toEqual({ locked: true, speedLimitKmh: 25, liftBlocked: false });
  });
});
