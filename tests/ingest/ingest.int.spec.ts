import type { MqttClient } from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { FixesResponse, RejectionsResponse, TruckSummary } from '@muckwatch/contracts';
import type { RunningApi } from '@muckwatch/api';
import { connectTerminal, lineOfFixes, publishFixes } from '../support/mqtt.js';
import { type ApiClient, signInAs } from '../support/api-client.js';
import { getJson, startTestApi, uniqueTag, waitFor } from '../support/test-api.js';

describe('ingest: terminal → MQTT → PostGIS', () => {
  let api: RunningApi;
  let terminal: MqttClient;
  let db: pg.Pool;
  let dispatcher: ApiClient;
  const tag = uniqueTag();
  const id = (name: string) => `${name}-${tag}`;

  const count = async (terminalId: string): Promise<number> => {
    const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM positions WHERE terminal_id = $1', [terminalId]);
    return Number(rows[0]!.n);
  };
  const rejections = async (terminalId: string) =>
    (await dispatcher.get<RejectionsResponse>(`/api/v1/rejections?terminalId=${terminalId}`)).body.rejections;

  beforeAll(async () => {
    api = await startTestApi();
    dispatcher = await signInAs(api, 'dispatcher');
    terminal = await connectTerminal(inject('mqttUrl'), `terminal-${tag}`);
    db = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
  });

  afterAll(async () => {
    await terminal?.endAsync();
    await db?.end();
    await api?.close();
  });

  it('stores a fix with its muck-truck states, unknown fields kept, as a PostGIS point', async () => {
    const terminalId = id('single');
    await publishFixes(terminal, terminalId, {
      ts: Date.now() - 1000,
      lat: 36.8123456,
      lon: 118.3123456,
      speedKmh: 35.5,
      headingDeg: 271,
      cover: 'open',
      body: 'down',
      load: 'full',
      loadT: 28.4,
      sensors: { cover: 'ok', lift: 'short', load: 'ok' },
      control: { locked: false, speedLimitKmh: 60, liftBlocked: true },
      vendorTemperatureC: 41,
    });
    await waitFor(async () => (await count(terminalId)) === 1, 15_000, 'fix stored');
    const { rows } = await db.query<Record<string, unknown>>(
      `SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat, ST_SRID(geom) AS srid, cover, load, load_t, sensors, control, extra
         FROM positions WHERE terminal_id = $1`,
      [terminalId],
    );
    expect(rows[0]).toMatchObject({
      lon: 118.3123456,
      lat: 36.8123456,
      srid: 4326,
      cover: 'open',
      load: 'full',
      sensors: { cover: 'ok', lift: 'short', load: 'ok' },
      control: { locked: false, speedLimitKmh: 60, liftBlocked: true },
      extra: { vendorTemperatureC: 41 },
    });
    expect(rows[0]!['load_t']).toBeCloseTo(28.4, 3);
  });

  it('stores a 500-fix backlog in one message, each fix once, in fix-time order', async () => {
    const terminalId = id('backlog');
    const start = Date.now() - 500 * 10_000;
    const fixes = lineOfFixes(start, 500).reverse();
    await publishFixes(terminal, terminalId, fixes);
    await waitFor(async () => (await count(terminalId)) === 500, 30_000, '500 fixes stored');
    const { body } = await dispatcher.get<FixesResponse>(
      `/api/v1/terminals/${terminalId}/fixes?from=${new Date(start - 1000).toISOString()}`,
    );
    expect(body.fixes).toHaveLength(500);
    const times = body.fixes.map((f) => Date.parse(f.ts));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(body.fixes.every((f) => f.quality.length === 0)).toBe(true);
  });

  it('refuses a message of more than 500 fixes, recording why', async () => {
    const terminalId = id('toomany');
    await publishFixes(terminal, terminalId, lineOfFixes(Date.now() - 600_000, 501, 1));
    await waitFor(async () => (await rejections(terminalId)).length === 1, 15_000, 'rejection recorded');
    expect((await rejections(terminalId))[0]).toMatchObject({ reason: 'too_many_fixes', fixIndex: null });
    expect(await count(terminalId)).toBe(0);
  });

  it('never duplicates a fix that arrives again (redelivery, terminal retry)', async () => {
    const terminalId = id('redelivery');
    const fixes = lineOfFixes(Date.now() - 60_000, 5);
    await publishFixes(terminal, terminalId, fixes);
    await publishFixes(terminal, terminalId, fixes);
    await publishFixes(terminal, terminalId, fixes.slice(2));
    const marker = id('redelivery-marker');
    await publishFixes(terminal, marker, lineOfFixes(Date.now() - 1000, 1));
    await waitFor(async () => (await count(marker)) === 1, 15_000, 'all messages handled');
    await waitFor(async () => (await count(terminalId)) === 5, 15_000, 'five fixes');
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toMatch(/muckwatch_ingest_fixes_total\{result="duplicate"\} ([1-9]\d*)/);
  });

  it('stores out-of-order fixes by fix time; the latest position only moves forward', async () => {
    const terminalId = id('order');
    const now = Date.now();
    const [early, middle, late] = lineOfFixes(now - 30_000, 3);
    await publishFixes(terminal, terminalId, late!);
    await waitFor(async () => (await count(terminalId)) === 1, 15_000, 'late fix stored');
    await publishFixes(terminal, terminalId, early!);
    await publishFixes(terminal, terminalId, middle!);
    await waitFor(async () => (await count(terminalId)) === 3, 15_000, 'all three stored');
    const { rows } = await db.query<{ fix_time: Date }>('SELECT fix_time FROM latest_positions WHERE terminal_id = $1', [terminalId]);
    expect(rows[0]!.fix_time.toISOString()).toBe(new Date(late!.ts as string).toISOString());
  });

  it('rejects bad input with a recorded reason and keeps the good fixes of the same backlog', async () => {
    const terminalId = id('bad');
    const good = lineOfFixes(Date.now() - 20_000, 2);
    await publishFixes(terminal, terminalId, 'not json at all');
    await publishFixes(terminal, terminalId, [
      good[0]!,
      { ...good[1]!, lat: 95 },
      { ts: Date.now(), lat: 0, lon: 0, speedKmh: 0, headingDeg: 0 },
      { ts: Date.now() + 3_600_000, lat: 36.8, lon: 118.3, speedKmh: 0, headingDeg: 0 },
      { ts: '2026-11-26 10:00:00', lat: 36.8, lon: 118.3, speedKmh: 0, headingDeg: 0 },
      { ts: Date.now() - 400 * 86_400_000, lat: 36.8, lon: 118.3, speedKmh: 0, headingDeg: 0 },
      { ...good[1]!, cover: 'ajar' },
      42,
    ]);
    await waitFor(async () => (await rejections(terminalId)).length === 8, 15_000, 'eight rejections');
    const reasons = (await rejections(terminalId)).map((r) => `${r.reason}@${r.fixIndex}`).sort();
    expect(reasons).toEqual(
      [
        'malformed_json@null',
        'schema_violation@1',
        'zero_position@2',
        'future_fix_time@3',
        'schema_violation@4',
        'outdated_fix_time@5',
        'schema_violation@6',
        'not_a_fix@7',
      ].sort(),
    );
    const malformed = (await rejections(terminalId)).find((r) => r.reason === 'malformed_json')!;
    expect(malformed.payload).toBe('not json at all');
    expect(await count(terminalId)).toBe(1);
  });

  it('stores an invalid fix and an impossible jump with quality flags, never as the latest position', async () => {
    const terminalId = id('quality');
    const now = Date.now();
    await publishFixes(terminal, terminalId, { ts: now - 30_000, lat: 36.82, lon: 118.3, speedKmh: 20, headingDeg: 0 });
    await waitFor(async () => (await count(terminalId)) === 1, 15_000, 'first fix');
    await publishFixes(terminal, terminalId, [
      { ts: now - 20_000, lat: 36.83, lon: 118.31, speedKmh: 0, headingDeg: 0, valid: false },
      { ts: now - 10_000, lat: 37.5, lon: 119.5, speedKmh: 20, headingDeg: 0 },
    ]);
    await waitFor(async () => (await count(terminalId)) === 3, 15_000, 'three fixes');
    const { body } = await dispatcher.get<FixesResponse>(`/api/v1/terminals/${terminalId}/fixes`);
    expect(body.fixes.map((f) => f.quality)).toEqual([[], ['invalid_fix'], ['implied_speed']]);
    const { rows } = await db.query<{ fix_time: Date }>('SELECT fix_time FROM latest_positions WHERE terminal_id = $1', [terminalId]);
    expect(rows[0]!.fix_time.getTime()).toBe(now - 30_000);
  });

  it('keeps fixes from a terminal the registry does not know', async () => {
    const terminalId = id('stranger');
    await publishFixes(terminal, terminalId, lineOfFixes(Date.now() - 5000, 1));
    await waitFor(async () => (await count(terminalId)) === 1, 15_000, 'stranger stored');
    const trucks = (await dispatcher.get<TruckSummary[]>(`/api/v1/trucks`)).body;
    expect(trucks.some((t) => t.terminalId === terminalId)).toBe(false);
  });

  it('answers bad query parameters with a 400 that names the parameter', async () => {
    const cases: Array<[string, string]> = [
      ['/api/v1/terminals/abc/fixes?from=yesterday', 'from'],
      ['/api/v1/terminals/abc/fixes?from=2026-11-26T10:00:00%2B08:00&to=2026-11-25T10:00:00%2B08:00', 'from'],
      ['/api/v1/terminals/abc/fixes?from=2026-01-01T00:00:00Z&to=2026-11-01T00:00:00Z', 'to'],
      ['/api/v1/terminals/abc/fixes?limit=0', 'limit'],
      ['/api/v1/terminals/a%20b/fixes', 'terminalId'],
      ['/api/v1/rejections?terminalId=%2B%2B', 'terminalId'],
      ['/api/v1/rejections?to=2026-13-40T00:00:00Z', 'to'],
    ];
    for (const [path, field] of cases) {
      const { status, body } = await dispatcher.get<{ field?: string; message: string; stack?: string }>(path);
      expect({ path, status, field: body.field }).toEqual({ path, status: 400, field });
      expect(body.stack).toBeUndefined();
    }
  });

  it('serves health, metrics and the OpenAPI document', async () => {
    const health = await getJson<{ status: string; database: { status: string }; broker: { status: string } }>(`${api.url}/api/health`);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', database: { status: 'ok' }, broker: { status: 'ok' } });
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    for (const name of [
      'muckwatch_ingest_fixes_total',
      'muckwatch_ingest_rejections_total',
      'muckwatch_ingest_batch_fixes_bucket',
      'muckwatch_ingest_commit_seconds_bucket',
      'muckwatch_broker_connected_subscribers',
    ]) {
      expect(metrics).toContain(name);
    }
    const openapi = await getJson<{ paths: Record<string, unknown> }>(`${api.url}/api/openapi.json`);
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining(['/api/health', '/api/v1/terminals/{terminalId}/fixes', '/api/v1/rejections']),
    );
  });
});
