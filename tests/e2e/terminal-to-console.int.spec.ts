import type { MqttClient } from 'mqtt';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LIVE_NAMESPACE, LiveEvent, statusTopic, type TruckPosition } from '@muckwatch/contracts';
import type { RunningApi } from '@muckwatch/api';
import { connectTerminal, publishFixes } from '../support/mqtt.js';
import { type ApiClient, signInAs } from '../support/api-client.js';
import { startTestApi, uniqueTag, waitFor } from '../support/test-api.js';

describe('end to end: a terminal publishes, the fix lands in PostGIS and on the live socket', () => {
  let api: RunningApi;
  let terminal: MqttClient;
  let socket: Socket;
  let db: pg.Pool;
  let dispatcher: ApiClient;
  const tag = uniqueTag();
  const snapshots: TruckPosition[][] = [];
  const batches: TruckPosition[][] = [];

  beforeAll(async () => {
    api = await startTestApi({ LIVE_BATCH_MS: '300' });
    db = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
    terminal = await connectTerminal(inject('mqttUrl'), `e2e-${tag}`);
    dispatcher = await signInAs(api, 'dispatcher');
    socket = io(`${api.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], auth: { token: dispatcher.token } });
    socket.on(LiveEvent.Snapshot, (positions: TruckPosition[]) => snapshots.push(positions));
    socket.on(LiveEvent.Positions, (positions: TruckPosition[]) => batches.push(positions));
    await waitFor(() => snapshots.length === 1, 10_000, 'snapshot on connect');
  });

  afterAll(async () => {
    socket?.close();
    await terminal?.endAsync();
    await db?.end();
    await api?.close();
  });

  it('stores the fix as a PostGIS point and pushes it to the console', async () => {
    const terminalId = `e2e-${tag}`;
    const ts = new Date(Date.now() - 2000).toISOString();
    await publishFixes(terminal, terminalId, { ts, lat: 36.8201, lon: 118.3102, speedKmh: 42, headingDeg: 45, load: 'full', cover: 'closed' });

    await waitFor(async () => {
      const { rows } = await db.query('SELECT 1 FROM positions WHERE terminal_id = $1', [terminalId]);
      return rows.length === 1;
    }, 15_000, 'fix in PostGIS');
    const { rows } = await db.query<{ inside: boolean }>(
      `SELECT ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint(118.3102, 36.8201), 4326)::geography, 0.01) AS inside
         FROM positions WHERE terminal_id = $1`,
      [terminalId],
    );
    expect(rows[0]!.inside).toBe(true);

    await waitFor(() => batches.flat().some((p) => p.terminalId === terminalId), 10_000, 'fix on the socket');
    const pushed = batches.flat().find((p) => p.terminalId === terminalId)!;
    expect(pushed).toMatchObject({ terminalId, ts, lat: 36.8201, lon: 118.3102, speedKmh: 42, load: 'full', cover: 'closed', plate: null });
  });

  it('sends only the latest fix per truck in a batch, and liveness changes', async () => {
    const terminalId = `e2e-many-${tag}`;
    const base = Date.now() - 60_000;
    for (let i = 0; i < 10; i += 1) {
      await publishFixes(terminal, terminalId, { ts: base + i * 1000, lat: 36.82, lon: 118.31 + i * 0.0001, speedKmh: 20, headingDeg: 90 });
    }
    await waitFor(
      () => batches.flat().some((p) => p.terminalId === terminalId && Date.parse(p.ts) === base + 9000),
      10_000,
      'latest fix pushed',
    );
    for (const batch of batches) {
      expect(batch.filter((p) => p.terminalId === terminalId).length).toBeLessThanOrEqual(1);
    }
    await terminal.publishAsync(statusTopic(terminalId), 'offline', { qos: 1, retain: true });
    await waitFor(
      () => batches.flat().some((p) => p.terminalId === terminalId && p.liveness === 'offline'),
      10_000,
      'offline pushed',
    );
    await terminal.publishAsync(statusTopic(terminalId), '', { qos: 1, retain: true });
  });

  it('gives a newly connected console a snapshot with every truck', async () => {
    const second = io(`${api.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], auth: { token: dispatcher.token } });
    const snapshot = await new Promise<TruckPosition[]>((resolve) => second.once(LiveEvent.Snapshot, resolve));
    second.close();
    expect(snapshot.map((p) => p.terminalId)).toEqual(expect.arrayContaining([`e2e-${tag}`, `e2e-many-${tag}`]));
  });
});
