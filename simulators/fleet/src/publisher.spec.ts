import { createServer, type Server } from 'node:net';
import { parseTelemetryPayload, parseTerminalTopic, fixTimeMs } from '@muckwatch/contracts';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet } from './publisher.js';

let broker: Aedes;
let server: Server;
let url: string;
const clientIds: string[] = [];
const logins = new Map<string, string>();

beforeAll(async () => {
  broker = await Aedes.createBroker({ maxClientsIdLength: 64 });
  broker.on('client', (client) => clientIds.push(client.id));
  broker.authenticate = (client, username, password, done) => {
    if (username) logins.set(client.id, `${username}:${password?.toString() ?? ''}`);
    done(null, true);
  };
  server = createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `mqtt://127.0.0.1:${address && typeof address === 'object' ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => broker.close(() => resolve()));
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('startFleet (against an in-process MQTT broker)', () => {
  it('publishes online, QoS 1 telemetry the contract accepts, never from the future, and offline on stop', async () => {
    const subscriber = await mqtt.connectAsync(url, { clientId: 'fleet-spec-subscriber', clean: true });
    const status = new Map<string, string>();
    const telemetry: Array<{ terminalId: string; qos: number; payload: string; receivedAt: number }> = [];
    subscriber.on('message', (topic, payload, packet) => {
      const parsed = parseTerminalTopic(topic);
      if (!parsed) return;
      if (parsed.channel === 'status') status.set(parsed.terminalId, payload.toString());
      else telemetry.push({ terminalId: parsed.terminalId, qos: packet.qos, payload: payload.toString(), receivedAt: Date.now() });
    });
    await subscriber.subscribeAsync('muckwatch/v1/terminals/#', { qos: 1 });

    const logs: Array<Record<string, unknown>> = [];
    const fleet = await startFleet({ url, trucks: 3, seed: 5, speedup: 600, catchUpMs: 600_000, tickMs: 50, log: (r) => logs.push(r) });
    expect(fleet.stats.connected).toBe(3);
    // ten minutes of catch-up at 600× take about a second: 3 terminals × 60 fixes
    await until(() => telemetry.length >= 180 && fleet.stats.fixesPublished >= 180);
    await fleet.stop();
    await until(() => [...status.values()].filter((s) => s === 'offline').length === 3);

    expect(new Set(clientIds.filter((id) => id.startsWith('0138')))).toEqual(new Set(['013805330001', '013805330002', '013805330003']));
    expect(new Set(telemetry.map((t) => t.terminalId))).toEqual(new Set(['013805330001', '013805330002', '013805330003']));
    for (const message of telemetry) {
      expect(message.qos).toBe(1);
      const verdict = parseTelemetryPayload(message.payload);
      expect(verdict.ok && verdict.rejections).toEqual([]);
      if (verdict.ok) for (const { fix } of verdict.fixes) expect(fixTimeMs(fix.ts)!).toBeLessThanOrEqual(message.receivedAt);
    }
    expect(fleet.stats.publishErrors).toBe(0);
    expect(logs.map((l) => l['event'])).toEqual(['started', 'stopped']);

    // the status is retained: a newcomer reads offline for every terminal
    const late = await mqtt.connectAsync(url, { clientId: 'fleet-spec-late', clean: true });
    const retained = new Map<string, string>();
    late.on('message', (topic, payload) => retained.set(topic, payload.toString()));
    await late.subscribeAsync('muckwatch/v1/terminals/+/status', { qos: 1 });
    await until(() => retained.size === 3);
    expect([...retained.values()]).toEqual(['offline', 'offline', 'offline']);
    await late.endAsync();
    await subscriber.endAsync();
  });

  it("connects each terminal with its own credentials when given them, the shared account otherwise", async () => {
    const credentials = new Map([
      ['013805330001', { username: '013805330001', password: 'secret-1' }],
      ['013805330002', { username: '013805330002', password: 'secret-2' }],
    ]);
    const fleet = await startFleet({ url, trucks: 3, seed: 5, username: 'shared', password: 'pw', credentials });
    await fleet.stop();
    expect(logins.get('013805330001')).toBe('013805330001:secret-1');
    expect(logins.get('013805330002')).toBe('013805330002:secret-2');
    expect(logins.get('013805330003')).toBe('shared:pw');
  });

  it('fails to start with a clear message when the broker is unreachable', async () => {
    await expect(startFleet({ url: 'mqtt://127.0.0.1:1', trucks: 2, connectTimeoutMs: 500 })).rejects.toThrow(/2 of 2 connections to mqtt:\/\/127.0.0.1:1 not up/);
  });
});
