import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ApiError, GEOMETRY_LIMITS, HTTP_JSON_LIMITS } from '@muckwatch/contracts';
import { makeUscc } from '@muckwatch/linzi';
import type { RunningApi } from '@muckwatch/api';
import { type ApiClient, signInAdmin, signInAs } from '../support/api-client.js';
import { startTestApi, uniqueTag } from '../support/test-api.js';
import { insertViolation } from '../cases/case-fixtures.js';
import { registerTruck } from '../support/command-fixtures.js';

/**
 * One bad message must never stop the platform: hostile input at every HTTP door — JSON bodies,
 * query strings, path ids, sign-in — is a clear 4xx ApiError, never a 5xx, a crash or a hang.
 * First each reproduced finding, then a property-based fuzz (fast-check) over all of them.
 *
 * FUZZ_RUNS (default 300 requests) and FUZZ_SEED (default fixed, so CI is reproducible; `npm run fuzz`
 * uses a fresh one, printed) make longer or
 * replayed runs: FUZZ_RUNS=5000 FUZZ_SEED=123 npx vitest run --project integration tests/fuzz
 */

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 300);
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261204);

type Ring = [number, number][];

function circle(n: number, radius = 0.001, lon = 118.3, lat = 36.8): Ring {
  const ring: Ring = Array.from({ length: n }, (_, i) => [lon + radius * Math.cos((2 * Math.PI * i) / n), lat + radius * Math.sin((2 * Math.PI * i) / n)]);
  return [...ring, ring[0]!];
}

/** The {n/k} star: every edge crosses most others. */
function star(n: number, k = Math.floor(n / 2) - 1, lon = 118.3, lat = 36.8): Ring {
  const ring: Ring = Array.from({ length: n }, (_, i) => [lon + 0.001 * Math.cos((2 * Math.PI * k * i) / n), lat + 0.001 * Math.sin((2 * Math.PI * k * i) / n)]);
  return [...ring, ring[0]!];
}

interface Raw {
  status: number;
  body: unknown;
  text: string;
}

/** One request with a raw body (any text, any content type) as the client signed in, or anonymous. */
async function send(baseUrl: string, client: ApiClient | null, method: string, path: string, body?: string, contentType = 'application/json'): Promise<Raw> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(client ? { authorization: `Bearer ${client.token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': contentType }),
    },
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Asserted below: every error is JSON.
  }
  return { status: res.status, body: parsed, text };
}

/** A clear 4xx: an ApiError with the status and a message, never a 5xx or an HTML page. */
function expectClear4xx(res: Raw, what: string): void {
  expect(res.status, `${what} → ${res.status} ${res.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(res.status, `${what} → ${res.status} ${res.text.slice(0, 300)}`).toBeLessThan(500);
  const error = res.body as ApiError;
  expect(error, `${what}: ${res.text.slice(0, 300)}`).toMatchObject({ statusCode: res.status, message: expect.any(String) as string });
}

function expect400(res: Raw, field: string | RegExp, what: string): void {
  expectClear4xx(res, what);
  expect(res.status, what).toBe(400);
  const actual = (res.body as ApiError).field;
  if (typeof field === 'string') expect(actual, what).toBe(field);
  else expect(actual, what).toMatch(field);
}

describe('HTTP input boundary', () => {
  let api: RunningApi;
  let admin: ApiClient;
  let dispatcher: ApiClient;
  const tag = uniqueTag();
  const ids: Record<'company' | 'timeWindow' | 'site' | 'terminal' | 'violation' | 'pile' | 'point' | 'request' | 'finding' | 'terminalModel' | 'truck', string> = {
    company: '', timeWindow: '', site: '', terminal: '', violation: '', pile: '', point: '', request: '', finding: '', terminalModel: '', truck: '',
  };

  beforeAll(async () => {
    api = await startTestApi();
    admin = await signInAdmin(api);
    dispatcher = await signInAs(api, 'dispatcher');
    const company = await dispatcher.post<{ id: string }>('/api/v1/companies', { name: `模糊测试运输-${tag}`, creditCode: makeUscc('370305', `MF${tag.toUpperCase().replace(/[^0-9A-H]/g, '7')}00`.slice(0, 8)) });
    const window = await dispatcher.post<{ id: string }>('/api/v1/time-windows', { name: `模糊-${tag}`, weekly: [{ days: [1, 2, 3, 4, 5], start: '22:00', end: '06:00', crossesMidnight: true }] });
    const site = await dispatcher.post<{ id: string }>('/api/v1/construction-sites', { name: `模糊工地-${tag}`, geometry: { type: 'Polygon', coordinates: [circle(8)] } });
    const terminal = await dispatcher.post<{ terminal: { terminalId: string } }>('/api/v1/terminals', { terminalId: `fz-${tag}`, sim: '14805330000' });
    for (const res of [company, window, site, terminal]) expect(res.status, JSON.stringify(res.body)).toBe(201);
    Object.assign(ids, { company: company.body.id, timeWindow: window.body.id, site: site.body.id, terminal: terminal.body.terminal.terminalId });
    // The fuzz's own terminal model: PATCHes never touch the shipped defaults other specs read.
    const terminalModel = await (await signInAdmin(api)).post<{ id: string }>('/api/v1/terminal-models', { maker: `模糊厂商-${tag}`, name: `模糊型号-${tag}`, mapping: {} });
    expect(terminalModel.status, JSON.stringify(terminalModel.body)).toBe(201);
    ids.terminalModel = terminalModel.body.id;
    // A truck with its own terminal for the remote-control commands (no terminal connects: they stay pending).
    ids.truck = (await registerTruck(dispatcher, tag)).truckId;
    // The towns' ledgers: one record of each (the office leaves the town to the location).
    const place = { type: 'Point', coordinates: [118.3, 36.8] };
    const pile = await dispatcher.post<{ id: string }>('/api/v1/ledgers/piles', { name: `模糊堆-${tag}`, geometry: { type: 'Polygon', coordinates: [circle(8)] }, landNature: 'other', volumeM3: 10 });
    const point = await dispatcher.post<{ id: string }>('/api/v1/ledgers/collection-points', { name: `模糊收集点-${tag}`, location: place });
    const request = await dispatcher.post<{ id: string }>('/api/v1/ledgers/collection-requests', { requesterKind: 'community', requesterName: `模糊-${tag}`, collectionPointId: point.body.id, volumeM3: 2 });
    const finding = await dispatcher.post<{ id: string }>('/api/v1/ledgers/findings', { kind: 'road_pollution', location: place, foundAt: new Date().toISOString(), areaM2: 10 });
    for (const res of [pile, point, request, finding]) expect(res.status, JSON.stringify(res.body)).toBe(201);
    Object.assign(ids, { pile: pile.body.id, point: point.body.id, request: request.body.id, finding: finding.body.id });
    const db = new pg.Client({ connectionString: inject('databaseUrl') });
    await db.connect();
    try {
      ids.violation = await insertViolation(db, { terminalId: `fz-${tag}` });
    } finally {
      await db.end();
    }
  });

  afterAll(async () => {
    // Fuzzed switches must not leave a control policy on for the specs that share the database.
    if (admin) await admin.put('/api/v1/control-policies', { enabled: { lift_outside_disposal: false, speed_cap_cover_open: false, lock_unlicensed: false } });
    await api?.close();
  });

  const url = (): string => api.url;

  describe('each finding is a 400 naming the field', () => {
    it('U+0000 in a JSON body field', async () => {
      expect400(await send(url(), dispatcher, 'POST', '/api/v1/companies', JSON.stringify({ name: 'a\u0000b', creditCode: 'x' })), 'name', 'NUL in name');
      expect400(await send(url(), dispatcher, 'PATCH', `/api/v1/time-windows/${ids.timeWindow}`, JSON.stringify({ name: '夜间\u0000' })), 'name', 'NUL in PATCH');
      expect400(await send(url(), dispatcher, 'POST', '/api/v1/time-windows', JSON.stringify({ name: 'x', weekly: [{ days: [1], start: '07:00\u0000', end: '08:00' }] })), 'weekly.0.start', 'NUL nested');
      expect400(await send(url(), dispatcher, 'POST', '/api/v1/companies', JSON.stringify({ ['na\u0000me']: 'x' })), 'body', 'NUL in a key');
    });

    it('lone surrogates in a JSON body (they cannot go into jsonb)', async () => {
      expect400(await send(url(), dispatcher, 'POST', '/api/v1/companies', '{"name":"\\ud800","creditCode":"x"}'), 'name', 'lone high surrogate');
      expect400(await send(url(), dispatcher, 'POST', '/api/v1/time-windows', '{"name":"x","weekly":[],"exceptions":[{"date":"2026-12-15","kind":"closed","reason":"\\udc00"}]}'), 'exceptions.0.reason', 'lone low surrogate');
    });

    it('U+0000 in a path id and in query parameters', async () => {
      expect400(await send(url(), admin, 'GET', '/api/v1/terminals/%00'), 'path', 'NUL terminal id');
      expect400(await send(url(), admin, 'GET', '/api/v1/violations?plate=%00'), 'plate', 'NUL plate');
      expect400(await send(url(), admin, 'GET', '/api/v1/audit?actor=%00'), 'actor', 'NUL actor');
      expect400(await send(url(), admin, 'GET', '/api/v1/terminals/%ED%A0%80'), 'path', 'a surrogate as percent-encoded bytes');
      expect400(await send(url(), admin, 'GET', '/api/v1/trucks/%E0%A4%A'), 'path', 'broken percent-encoding');
      expect400(await send(url(), admin, 'GET', '/api/v1/violations?plate=a&plate=b'), 'plate', 'a repeated parameter');
    });

    it('U+0000 in a username at sign-in', async () => {
      expect400(await send(url(), null, 'POST', '/api/v1/auth/login', JSON.stringify({ username: 'admin\u0000', password: 'whatever-it-is-1A' })), 'username', 'NUL username');
    });

    it('out-of-range times name the parameter', async () => {
      expect400(await send(url(), admin, 'GET', '/api/v1/trips?from=99999999999999999999'), 'from', 'trips from');
      expect400(await send(url(), admin, 'GET', '/api/v1/violations?to=%2B275760-09-13T00%3A00%3A00.001Z'), 'to', 'violations to');
      expect400(await send(url(), admin, 'GET', `/api/v1/time-windows/${ids.timeWindow}/open?at=99999999999999999999`), 'at', 'open at');
      expect400(await send(url(), admin, 'GET', `/api/v1/time-windows/${ids.timeWindow}/open?at=-271821-04-20T00%3A00%3A00Z`), 'at', 'open at, far past');
      expect400(await send(url(), admin, 'GET', '/api/v1/audit?from=1e400'), 'from', 'audit from');
      expect400(await send(url(), admin, 'GET', '/api/v1/rankings/2026-13'), 'month', 'month 13');
      expect400(await send(url(), admin, 'GET', '/api/v1/rankings/..%2Fx'), 'month', 'a path in the month');
      expect400(await send(url(), admin, 'GET', '/api/v1/rankings/trend?months=99999999999999999999'), 'months', 'trend months');
      expect400(await send(url(), admin, 'GET', '/api/v1/rankings/trend?to=9999-12'), 'to', 'trend to');
      expect400(await send(url(), admin, 'POST', '/api/v1/assessment/adjustments', JSON.stringify({ month: '2023-01', townCode: '370305001', kind: 'bonus', points: 1e308, reason: 'x', documentRef: 'y' })), 'points', 'huge points');
    });

    it('a 100,000-position polygon is refused at the limit, a 9,001-position star at its first crossing', async () => {
      const big = await send(url(), dispatcher, 'POST', '/api/v1/construction-sites', JSON.stringify({ name: `大-${tag}`, geometry: { type: 'Polygon', coordinates: [circle(99_999)] } }));
      expect400(big, 'geometry', 'big polygon');
      expect((big.body as ApiError).message).toContain(`at most ${GEOMETRY_LIMITS.positionsPerRing} per ring`);
      const starred = await send(url(), dispatcher, 'POST', '/api/v1/construction-sites', JSON.stringify({ name: `星-${tag}`, geometry: { type: 'Polygon', coordinates: [star(9_000)] } }));
      expect400(starred, 'geometry', 'star polygon');
      expect((starred.body as ApiError).message).toMatch(/^geometry: self-intersection at 118\.\d+,36\.\d+$/);
      // The API is still answering, and a modest polygon near the limit still goes in.
      const fine = await send(url(), dispatcher, 'POST', '/api/v1/construction-sites', JSON.stringify({ name: `圆-${tag}`, geometry: { type: 'Polygon', coordinates: [circle(5_000, 0.001, 118.31)] } }));
      expect(fine.status, fine.text.slice(0, 300)).toBe(201);
    });

    it('an import beyond its limits, and lines beyond theirs', async () => {
      const features = Array.from({ length: GEOMETRY_LIMITS.featuresPerImport + 1 }, () => ({ type: 'Feature', properties: {}, geometry: null }));
      expect400(await send(url(), dispatcher, 'POST', '/api/v1/construction-sites/import', JSON.stringify({ type: 'FeatureCollection', features })), 'features', 'too many features');
      // Sizes are bounded before anything else is looked at: degenerate rings keep the body small.
      const ring = Array.from({ length: 9_000 }, () => [1, 1]);
      const heavy = Array.from({ length: 25 }, () => ({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } }));
      expect400(await send(url(), dispatcher, 'POST', '/api/v1/construction-sites/import', JSON.stringify({ type: 'FeatureCollection', features: heavy })), 'features', 'too many positions');
      const line = { type: 'LineString', coordinates: circle(GEOMETRY_LIMITS.positionsPerLine + 1).slice(0, GEOMETRY_LIMITS.positionsPerLine + 1) };
      expect400(await send(url(), dispatcher, 'POST', '/api/v1/routes', JSON.stringify({ name: 'r', corridorWidthM: 50, geometry: line })), 'geometry', 'long line');
      expect400(
        await send(url(), dispatcher, 'POST', '/api/v1/towns/import?crs=GCJ02', JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: '370305101', name: '辛店街道', kind: 'street' }, geometry: { type: 'Nope' } }] })),
        'features.0.geometry',
        'GCJ-02 geometry gcoord cannot read',
      );
    });

    it('malformed, deep and oversized bodies', async () => {
      expect400(await send(url(), dispatcher, 'POST', '/api/v1/companies', '{"name": '), 'body', 'malformed JSON');
      expect400(await send(url(), dispatcher, 'POST', '/api/v1/companies', `${'['.repeat(200_000)}${']'.repeat(200_000)}`), /^(0\.)+0$/, '200,000-deep array');
      expect400(await send(url(), dispatcher, 'POST', '/api/v1/companies', JSON.stringify({ name: 'x'.repeat(HTTP_JSON_LIMITS.maxStringLength + 1) })), 'name', 'long string');
      const tooBig = await send(url(), dispatcher, 'POST', '/api/v1/companies', JSON.stringify({ name: 'x'.repeat(6 * 1024 * 1024) }));
      expectClear4xx(tooBig, 'body over BODY_LIMIT_KB');
      expect(tooBig.status).toBe(413);
      expect400(await send(url(), dispatcher, 'POST', '/api/v1/companies', 'name=a%00b', 'application/x-www-form-urlencoded'), 'name', 'NUL in a form body');
    });
  });

  describe('fuzz', () => {
    // --- hostile values ---
    const nasty = fc.constantFrom(
      '\u0000', 'a\u0000b', '\ud800', '\udc00', 'x\udbff', '\ud83d\ude00', '', ' ', '鲁C12345', '鲁C1234\u0000',
      '99999999999999999999', '-1', '1e400', 'NaN', 'Infinity', '-0', '0x10', '2026-02-30', '0000-00-00', '9999-12-31', '10000-01-01',
      '+275760-09-13T00:00:00.001Z', '-271821-04-20T00:00:00Z', '2026-11-26T08:00:00+08:00', '8640000000000001', '__proto__', 'constructor',
      '%00', '../../etc/passwd', "'; DROP TABLE trucks; --", '<script>', '{"$ne":1}', 'WGS84', 'GCJ02',
      'admin', 'dispatcher', 'confirm', 'assign', 'handle', 'comment', 'traffic-police', 'other', 'x'.repeat(HTTP_JSON_LIMITS.maxStringLength + 1), '字'.repeat(300), '00000000-0000-0000-0000-000000000000',
    );
    const anyText = fc.oneof(nasty, fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 20 }));
    const hugeNumber = fc.oneof(
      fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -(2 ** 63), 1e20, 0, -0, 0.1, 8.64e15 + 1, 1e20 + 1, 5e-324),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
    );
    const lonLat = fc.tuple(fc.double({ min: -200, max: 200, noNaN: true }), fc.double({ min: -100, max: 100, noNaN: true }));
    const polygon = fc.oneof(
      fc.array(lonLat, { minLength: 0, maxLength: 12 }).map((points) => ({ type: 'Polygon', coordinates: [points.length ? [...points, points[0]] : points] })),
      fc.integer({ min: 3, max: 12_000 }).map((n) => ({ type: 'Polygon', coordinates: [circle(n)] })),
      fc.integer({ min: 5, max: 9_001 }).map((n) => ({ type: 'Polygon', coordinates: [star(n)] })),
      fc.integer({ min: 1, max: 150 }).map((holes) => ({ type: 'Polygon', coordinates: [circle(64, 0.01), ...Array.from({ length: holes }, (_, i) => circle(4, 0.0001, 118.3 + i * 0.0001))] })),
      fc.constantFrom({ type: 'Polygon' }, { type: 'Polygon', coordinates: 5 }, { type: 'Polygon', coordinates: [[['a', 'b']]] }, { type: 'MultiPolygon', coordinates: [[[]]] }, { type: 'GeometryCollection' }),
    );
    const line = fc.oneof(
      fc.array(lonLat, { maxLength: 8 }).map((coordinates) => ({ type: 'LineString', coordinates })),
      fc.integer({ min: 2, max: 12_000 }).map((n) => ({ type: 'LineString', coordinates: circle(n).slice(0, n) })),
    );
    const pointGeometry = fc.oneof(
      lonLat.map((coordinates) => ({ type: 'Point', coordinates })),
      fc.tuple(fc.double({ min: 117.8, max: 118.8, noNaN: true }), fc.double({ min: 36.3, max: 37.3, noNaN: true })).map((coordinates) => ({ type: 'Point', coordinates })),
      fc.constantFrom({ type: 'Point' }, { type: 'Point', coordinates: [118.3] }, { type: 'Point', coordinates: [118.3, 36.8, 10] }, { type: 'Point', coordinates: ['118.3', '36.8'] }),
    );
    const geometry = fc.oneof(polygon, line, pointGeometry, polygon.map((p) => ({ type: 'MultiPolygon', coordinates: [p.coordinates] })));
    const featureCollection = fc
      .tuple(fc.array(fc.record({ type: fc.constant('Feature'), properties: fc.dictionary(fc.constantFrom('id', 'name', 'code', 'kind', 'status', 'limitKmh', 'corridorWidthM'), fc.oneof(anyText, hugeNumber)), geometry }), { maxLength: 4 }), fc.option(anyText))
      .map(([features, crs]) => ({ type: 'FeatureCollection', features, ...(crs === null ? {} : { crs: { type: 'name', properties: { name: crs } } }) }));
    const fieldNames = fc.constantFrom(
      'name', 'creditCode', 'plate', 'companyId', 'ratedLoadT', 'sealedCertifiedOn', 'permitValidTo', 'terminalId', 'sim', 'maker', 'model', 'protocol', 'truckId',
      'geometry', 'weekly', 'exceptions', 'days', 'start', 'end', 'crossesMidnight', 'date', 'kind', 'reason', 'validFrom', 'validTo', 'number', 'constructionSiteId',
      'disposalSiteIds', 'truckIds', 'routeIds', 'timeWindowId', 'username', 'password', 'currentPassword', 'newPassword', 'role', 'displayName', 'townCode',
      'department', 'disabled', 'note', 'action', 'version', 'comment', 'dismissReason', 'departmentCode', 'deadline', 'outcome', 'attachmentIds', 'items',
      'defaultDeadlineHours', 'active', 'decisionNumber', 'amountYuan', 'penaltyPoints', 'noCaseReason', 'status', 'corridorWidthM', 'limitKmh', 'capacityM3', 'type', 'features', 'crs', 'id',
      'landNature', 'volumeM3', 'responsibleParty', 'governancePlan', 'location', 'radiusM', 'villageCode', 'requesterKind', 'requesterName', 'contact',
      'collectionPointId', 'requestedAt', 'foundAt', 'areaM2', 'description', 'finder', 'to',
    );
    const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        anyText,
        hugeNumber,
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('v'), { maxLength: 4 }),
        fc.dictionary(fc.oneof(fieldNames, anyText), tie('v'), { maxKeys: 5 }),
      ),
    })).v;
    const record = fc.dictionary(fieldNames, fc.oneof(value, geometry, featureCollection), { maxKeys: 8 });

    /** Terminal-model mappings (libs/contracts/src/jt808/terminal-model-schema.ts): near-valid shapes with hostile numbers and states. */
    const num = fc.oneof(fc.integer({ min: -2, max: 300 }), hugeNumber, anyText);
    const state = fc.oneof(fc.constantFrom('open', 'closed', 'partial', 'fault', 'raised', 'down', 'empty', 'half', 'full', 'overload'), anyText);
    const table = fc.array(fc.record({ value: num, state }), { maxLength: 20 });
    const source = fc.oneof(
      fc.record({ from: fc.constant('status-bit'), bit: num, whenSet: state }),
      fc.record({ from: fc.constant('item-bits'), itemId: num, offset: num, mask: num, whenSet: state }),
      fc.record({ from: fc.constant('item-values'), itemId: num, offset: num, values: table }),
      fc.record({ from: fc.constant('status-field'), bit: num, width: num, values: table }),
      fc.record({
        from: fc.constant('voltage'),
        itemId: num,
        offset: num,
        width: fc.oneof(fc.constantFrom(1, 2, 4), num),
        scaleV: num,
        bands: fc.array(fc.record({ state, minV: num, maxV: num }), { maxLength: 10 }),
      }),
      value,
    );
    const command = fc.oneof(
      fc.record({ via: fc.constant('terminal-control'), command: num, params: anyText }),
      fc.record({ via: fc.constant('vendor-message'), messageId: num, bodyTemplate: fc.oneof(anyText, fc.constantFrom('01{speedKmh:u16}', '0', '{speedKmh:u64}')) }),
      fc.record({ via: fc.constant('set-parameters'), parameters: fc.array(fc.record({ id: num, type: fc.oneof(fc.constantFrom('byte', 'word', 'dword', 'string'), anyText), value: num }), { maxLength: 20 }) }),
      value,
    );
    const mapping = fc.record(
      { cover: source, body: source, load: source, commands: fc.dictionary(fc.oneof(fc.constantFrom('lock', 'unlock', 'speedCap', 'speedRelease', 'liftInhibit', 'liftRelease'), anyText), command, { maxKeys: 7 }) },
      { requiredKeys: [] },
    );
    const terminalModelBody = fc
      .record({ maker: fc.oneof(anyText, value), model: fc.oneof(anyText, value), name: fc.oneof(anyText, value), notes: fc.oneof(anyText, value), mapping: fc.oneof(mapping, value) }, { requiredKeys: [] })
      .map((r) => ({ text: JSON.stringify(r), type: 'application/json' }));

    /** A body as sent: JSON text (valid or not), a form, or a deep nest. */
    const body = fc.oneof(
      { weight: 6, arbitrary: record.map((r) => ({ text: JSON.stringify(r), type: 'application/json' })) },
      { weight: 2, arbitrary: featureCollection.map((r) => ({ text: JSON.stringify(r), type: 'application/json' })) },
      { weight: 2, arbitrary: fc.jsonValue().map((v) => ({ text: JSON.stringify(v) ?? 'null', type: 'application/json' })) },
      { weight: 1, arbitrary: fc.integer({ min: 2, max: 200_000 }).map((d) => ({ text: `${'['.repeat(d)}${']'.repeat(d)}`, type: 'application/json' })) },
      { weight: 1, arbitrary: fc.integer({ min: 2, max: 100_000 }).map((d) => ({ text: `${'{"a":'.repeat(d)}1${'}'.repeat(d)}`, type: 'application/json' })) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }).map((text) => ({ text, type: 'application/json' })) },
      { weight: 1, arbitrary: fc.dictionary(fieldNames, anyText, { maxKeys: 4 }).map((r) => ({ text: new URLSearchParams(r).toString(), type: 'application/x-www-form-urlencoded' })) },
      { weight: 1, arbitrary: fc.constantFrom('{"name":"\\u0000"}', '{"name":"\\ud800"}', '{"a":1,"a":2}', '{"__proto__":{"admin":true}}', '[]', '"x"', 'null', '1e400', '{"name":1e400}').map((text) => ({ text, type: 'application/json' })) },
    );

    /** A path segment: a real id, an invalid one, or hostile text percent-encoded (raw bytes when not encodable). */
    const segment = (real: () => string): fc.Arbitrary<string> =>
      fc.oneof(
        fc.constant(null).map(() => real()),
        fc.uuid().map(String),
        fc.constantFrom('%00', '%ED%A0%80', '%', '%E0%A4%A', '%FF', 'x'.repeat(12_000), '..', '%2F', 'null', '-1'),
        anyText.map((t) => {
          try {
            return encodeURIComponent(t) || 'x';
          } catch {
            return '%ED%B0%80';
          }
        }),
      );
    const encode = (t: string): string => {
      try {
        return encodeURIComponent(t);
      } catch {
        return '%ED%A0%80';
      }
    };
    const query = (names: string[]): fc.Arbitrary<string> =>
      fc
        .array(fc.tuple(fc.constantFrom(...names), fc.oneof(anyText, hugeNumber.map(String))), { maxLength: 5 })
        .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${encode(v)}`).join('&')}` : ''));

    const TIME = ['from', 'to'];
    const TRIP_QUERY = [...TIME, 'truck', 'plate', 'companyId', 'originId', 'destinationId', 'townCode', 'status', 'violations', 'sort', 'order', 'page', 'pageSize'];
    const VIOLATION_QUERY = [...TIME, 'type', 'severity', 'caseState', 'status', 'townCode', 'companyId', 'truckId', 'plate', 'departmentCode', 'overdue', 'sort', 'order', 'page', 'pageSize'];
    interface Target {
      method: string;
      path: fc.Arbitrary<string>;
      body: boolean;
      /** The bodies to send when not the generic ones. */
      bodies?: fc.Arbitrary<{ text: string; type: string }>;
      as: 'admin' | 'dispatcher' | 'anonymous';
    }
    const geofenceKinds = ['construction-sites', 'disposal-sites', 'routes', 'speed-zones'];
    const targets: Target[] = [
      { method: 'POST', path: fc.constant('/api/v1/auth/login'), body: true, as: 'anonymous' },
      { method: 'POST', path: fc.constant('/api/v1/auth/password'), body: true, as: 'dispatcher' },
      { method: 'POST', path: fc.constant('/api/v1/users'), body: true, as: 'admin' },
      { method: 'PATCH', path: segment(() => '00000000-0000-4000-8000-000000000000').map((s) => `/api/v1/users/${s}`), body: true, as: 'admin' },
      { method: 'GET', path: segment(() => '00000000-0000-4000-8000-000000000000').map((s) => `/api/v1/users/${s}`), body: false, as: 'admin' },
      { method: 'POST', path: fc.constant('/api/v1/companies'), body: true, as: 'dispatcher' },
      { method: 'PATCH', path: segment(() => ids.company).map((s) => `/api/v1/companies/${s}`), body: true, as: 'dispatcher' },
      { method: 'POST', path: fc.constant('/api/v1/trucks'), body: true, as: 'dispatcher' },
      { method: 'PATCH', path: segment(() => ids.company).map((s) => `/api/v1/trucks/${s}`), body: true, as: 'dispatcher' },
      { method: 'GET', path: segment(() => ids.company).map((s) => `/api/v1/trucks/${s}/bindings`), body: false, as: 'dispatcher' },
      { method: 'POST', path: fc.constant('/api/v1/terminals'), body: true, as: 'dispatcher' },
      { method: 'PATCH', path: segment(() => ids.terminal).map((s) => `/api/v1/terminals/${s}`), body: true, as: 'dispatcher' },
      { method: 'PUT', path: segment(() => ids.terminal).map((s) => `/api/v1/terminals/${s}/binding`), body: true, as: 'dispatcher' },
      { method: 'GET', path: segment(() => ids.terminal).map((s) => `/api/v1/terminals/${s}`), body: false, as: 'admin' },
      { method: 'GET', path: fc.tuple(segment(() => ids.terminal), query([...TIME, 'limit'])).map(([s, q]) => `/api/v1/terminals/${s}/fixes${q}`), body: false, as: 'admin' },
      { method: 'POST', path: fc.constant('/api/v1/time-windows'), body: true, as: 'dispatcher' },
      { method: 'PATCH', path: segment(() => ids.timeWindow).map((s) => `/api/v1/time-windows/${s}`), body: true, as: 'dispatcher' },
      { method: 'GET', path: fc.tuple(segment(() => ids.timeWindow), query(['at'])).map(([s, q]) => `/api/v1/time-windows/${s}/open${q}`), body: false, as: 'dispatcher' },
      { method: 'POST', path: fc.constant('/api/v1/approvals'), body: true, as: 'dispatcher' },
      { method: 'PATCH', path: segment(() => ids.site).map((s) => `/api/v1/approvals/${s}`), body: true, as: 'dispatcher' },
      { method: 'GET', path: query(['constructionSiteId', 'companyId', 'validOn']).map((q) => `/api/v1/approvals${q}`), body: false, as: 'dispatcher' },
      { method: 'POST', path: fc.constantFrom(...geofenceKinds).map((k) => `/api/v1/${k}`), body: true, as: 'dispatcher' },
      { method: 'PATCH', path: fc.tuple(fc.constantFrom(...geofenceKinds), segment(() => ids.site)).map(([k, s]) => `/api/v1/${k}/${s}`), body: true, as: 'dispatcher' },
      { method: 'POST', path: fc.tuple(fc.constantFrom('towns', ...geofenceKinds), query(['crs'])).map(([k, q]) => `/api/v1/${k}/import${q}`), body: true, as: 'dispatcher' },
      { method: 'GET', path: query(VIOLATION_QUERY).map((q) => `/api/v1/violations${q}`), body: false, as: 'admin' },
      { method: 'GET', path: query(VIOLATION_QUERY).map((q) => `/api/v1/violations/export.xlsx${q}`), body: false, as: 'dispatcher' },
      { method: 'GET', path: segment(() => encodeURIComponent(ids.violation)).map((s) => `/api/v1/violations/${s}`), body: false, as: 'dispatcher' },
      { method: 'POST', path: segment(() => encodeURIComponent(ids.violation)).map((s) => `/api/v1/violations/${s}/transitions`), body: true, as: 'dispatcher' },
      { method: 'POST', path: fc.constant('/api/v1/violations/bulk'), body: true, as: 'dispatcher' },
      { method: 'POST', path: segment(() => encodeURIComponent(ids.violation)).map((s) => `/api/v1/violations/${s}/attachments`), body: true, as: 'dispatcher' },
      { method: 'GET', path: fc.tuple(segment(() => encodeURIComponent(ids.violation)), segment(() => '00000000-0000-4000-8000-000000000000')).map(([s, a]) => `/api/v1/violations/${s}/attachments/${a}`), body: false, as: 'dispatcher' },
      { method: 'GET', path: query(TIME).map((q) => `/api/v1/departments/performance${q}`), body: false, as: 'dispatcher' },
      { method: 'POST', path: fc.constant('/api/v1/departments'), body: true, as: 'admin' },
      { method: 'PATCH', path: segment(() => 'traffic-police').map((s) => `/api/v1/departments/${s}`), body: true, as: 'admin' },
      { method: 'GET', path: query(TRIP_QUERY).map((q) => `/api/v1/trips${q}`), body: false, as: 'admin' },
      { method: 'GET', path: query(TRIP_QUERY).map((q) => `/api/v1/trips/totals${q}`), body: false, as: 'dispatcher' },
      { method: 'GET', path: query(TRIP_QUERY).map((q) => `/api/v1/trips/export.xlsx${q}`), body: false, as: 'dispatcher' },
      { method: 'GET', path: query([...TIME, 'action', 'actor', 'outcome', 'page', 'pageSize']).map((q) => `/api/v1/audit${q}`), body: false, as: 'admin' },
      { method: 'GET', path: query([...TIME, 'action', 'actor', 'outcome']).map((q) => `/api/v1/audit/export${q}`), body: false, as: 'admin' },
      { method: 'GET', path: query([...TIME, 'action', 'actor', 'outcome']).map((q) => `/api/v1/audit/export.xlsx${q}`), body: false, as: 'admin' },
      { method: 'GET', path: query([...TIME, 'terminalId', 'reason', 'limit', 'offset']).map((q) => `/api/v1/rejections${q}`), body: false, as: 'admin' },
      { method: 'GET', path: query(['on']).map((q) => `/api/v1/registry/rates${q}`), body: false, as: 'dispatcher' },
      { method: 'GET', path: query(['companyId']).map((q) => `/api/v1/trucks${q}`), body: false, as: 'dispatcher' },
      // Whereabouts: a truck id (none is registered here, so a random UUID) and the batch's id list.
      { method: 'GET', path: segment(() => '00000000-0000-4000-8000-000000000000').map((s) => `/api/v1/trucks/${s}/whereabouts`), body: false, as: 'dispatcher' },
      { method: 'GET', path: query(['truckIds']).map((q) => `/api/v1/whereabouts${q}`), body: false, as: 'dispatcher' },
      { method: 'GET', path: fc.array(fc.oneof(fc.uuid().map(String), anyText.map(encode)), { maxLength: 260 }).map((ids) => `/api/v1/whereabouts?truckIds=${ids.join(',')}`), body: false, as: 'dispatcher' },
      { method: 'POST', path: segment(() => ids.terminal).map((s) => `/api/v1/terminals/${s}/credentials`), body: false, as: 'dispatcher' },
      // The ranking: a real month (2023-01, which no other test uses), or hostile text.
      { method: 'GET', path: segment(() => '2023-01').map((s) => `/api/v1/rankings/${s}`), body: false, as: 'dispatcher' },
      { method: 'GET', path: query(['to', 'months']).map((q) => `/api/v1/rankings/trend${q}`), body: false, as: 'dispatcher' },
      { method: 'GET', path: fc.tuple(segment(() => '2023-01'), segment(() => '370305001'), query(['item'])).map(([m, t, q]) => `/api/v1/rankings/${m}/towns/${t}/records${q}`), body: false, as: 'dispatcher' },
      { method: 'GET', path: fc.tuple(segment(() => '2023-01'), segment(() => '1')).map(([m, r]) => `/api/v1/rankings/${m}/revisions/${r}`), body: false, as: 'dispatcher' },
      { method: 'GET', path: segment(() => '2023-01').map((s) => `/api/v1/rankings/${s}/after-close`), body: false, as: 'dispatcher' },
      { method: 'GET', path: segment(() => '2023-01').map((s) => `/api/v1/rankings/${s}/export.xlsx`), body: false, as: 'dispatcher' },
      { method: 'POST', path: segment(() => '2023-01').map((s) => `/api/v1/rankings/${s}/close`), body: true, as: 'admin' },
      { method: 'POST', path: segment(() => '2023-01').map((s) => `/api/v1/rankings/${s}/revisions`), body: true, as: 'admin' },
      { method: 'POST', path: fc.constant('/api/v1/assessment/methodologies'), body: true, as: 'admin' },
      { method: 'POST', path: fc.constant('/api/v1/assessment/adjustments'), body: true, as: 'admin' },
      { method: 'GET', path: query(['month']).map((q) => `/api/v1/assessment/adjustments${q}`), body: false, as: 'dispatcher' },
      { method: 'DELETE', path: segment(() => '00000000-0000-4000-8000-000000000000').map((s) => `/api/v1/assessment/adjustments/${s}`), body: false, as: 'admin' },
      ...ledgerTargets(),
      ...replayTargets(),
      ...terminalModelTargets(),
      ...commandTargets(),
    ];

    /** Remote control: manual commands and releases (dispatcher), the policy switches (admin). */
    function commandTargets(): Target[] {
      return [
        { method: 'GET', path: segment(() => ids.truck).map((s) => `/api/v1/trucks/${s}/commands`), body: false, as: 'dispatcher' },
        { method: 'POST', path: segment(() => ids.truck).map((s) => `/api/v1/trucks/${s}/commands`), body: true, as: 'dispatcher' },
        { method: 'POST', path: fc.oneof(fc.uuid().map(String), fc.constantFrom('%00', 'x'.repeat(12_000), '-1')).map((s) => `/api/v1/commands/${s}/release`), body: true, as: 'dispatcher' },
        { method: 'GET', path: fc.constant('/api/v1/control-policies'), body: false, as: 'admin' },
        { method: 'PUT', path: fc.constant('/api/v1/control-policies'), body: true, as: 'admin' },
      ];
    }

    /** Terminal models (admin; bodies shaped like mappings as well as anything else) and JT/T 808 auth codes. */
    function terminalModelTargets(): Target[] {
      const bodies = fc.oneof({ weight: 3, arbitrary: terminalModelBody }, { weight: 1, arbitrary: body });
      return [
        { method: 'POST', path: fc.constant('/api/v1/terminal-models'), body: true, bodies, as: 'admin' },
        { method: 'PATCH', path: segment(() => ids.terminalModel).map((s) => `/api/v1/terminal-models/${s}`), body: true, bodies, as: 'admin' },
        { method: 'GET', path: segment(() => ids.terminalModel).map((s) => `/api/v1/terminal-models/${s}`), body: false, as: 'dispatcher' },
        // Random ids only: deleting a real model would take it from the other specs sharing the database.
        { method: 'DELETE', path: fc.oneof(fc.uuid().map(String), fc.constantFrom('%00', 'x'.repeat(12_000), '-1')).map((s) => `/api/v1/terminal-models/${s}`), body: false, as: 'admin' },
        { method: 'POST', path: segment(() => ids.terminal).map((s) => `/api/v1/terminals/${s}/jt808-auth-code`), body: false, as: 'admin' },
        { method: 'DELETE', path: segment(() => ids.terminal).map((s) => `/api/v1/terminals/${s}/jt808-auth-code`), body: false, as: 'admin' },
        { method: 'GET', path: fc.constant('/api/v1/jt808-auth-codes'), body: false, as: 'dispatcher' },
      ];
    }

    /** Track replay: the truck named by terminal id (a real one), every read and every export. */
    function replayTargets(): Target[] {
      const reads: Array<[string, string[]]> = [
        ['track', [...TIME, 'zoom']],
        ['fixes', [...TIME, 'cursor', 'limit']],
        ['marks', [...TIME, 'minStopMinutes']],
        ['export.gpx', TIME],
        ['export.kml', TIME],
        ['export.geojson', TIME],
        ['export.csv', TIME],
      ];
      return reads.map(([path, names]) => ({
        method: 'GET',
        path: fc.tuple(segment(() => ids.terminal), query(names)).map(([s, q]) => `/api/v1/replay/${s}/${path}${q}`),
        body: false,
        as: 'dispatcher' as const,
      }));
    }

    /** The towns' ledgers: every list, create, read, edit and move (photo uploads: raw bodies, not multipart). */
    function ledgerTargets(): Target[] {
      const LIST = ['townCode', 'page', 'pageSize'];
      const kinds: Array<[string, () => string, string[]]> = [
        ['piles', () => ids.pile, [...LIST, 'status', 'landNature', 'overdue']],
        ['findings', () => ids.finding, [...LIST, ...TIME, 'status', 'kind', 'finder', 'overdue']],
        ['collection-points', () => ids.point, [...LIST, 'villageCode', 'active']],
        ['collection-requests', () => ids.request, [...LIST, 'state', 'villageCode']],
      ];
      const out: Target[] = [{ method: 'GET', path: query(TIME).map((q) => `/api/v1/ledgers/coverage${q}`), body: false, as: 'dispatcher' }];
      for (const [kind, real, names] of kinds) {
        out.push(
          { method: 'GET', path: query(names).map((q) => `/api/v1/ledgers/${kind}${q}`), body: false, as: 'dispatcher' },
          { method: 'POST', path: fc.constant(`/api/v1/ledgers/${kind}`), body: true, as: 'dispatcher' },
          { method: 'GET', path: segment(real).map((s) => `/api/v1/ledgers/${kind}/${s}`), body: false, as: 'dispatcher' },
          { method: 'PATCH', path: segment(real).map((s) => `/api/v1/ledgers/${kind}/${s}`), body: true, as: 'dispatcher' },
        );
      }
      for (const [kind, real] of [['piles', () => ids.pile], ['findings', () => ids.finding]] as const) {
        out.push(
          { method: 'POST', path: segment(real).map((s) => `/api/v1/ledgers/${kind}/${s}/transitions`), body: true, as: 'dispatcher' },
          { method: 'POST', path: segment(real).map((s) => `/api/v1/ledgers/${kind}/${s}/photos`), body: true, as: 'dispatcher' },
          { method: 'GET', path: fc.tuple(segment(real), segment(() => '00000000-0000-4000-8000-000000000000')).map(([s, p]) => `/api/v1/ledgers/${kind}/${s}/photos/${p}`), body: false, as: 'dispatcher' },
        );
      }
      for (const action of ['dispatch', 'cancel']) {
        out.push({ method: 'POST', path: segment(() => ids.request).map((s) => `/api/v1/ledgers/collection-requests/${s}/${action}`), body: true, as: 'dispatcher' });
      }
      out.push({
        method: 'GET',
        path: fc.tuple(segment(() => ids.request), query(['q', 'page', 'pageSize'])).map(([s, q]) => `/api/v1/ledgers/collection-requests/${s}/dispatchable-trucks${q}`),
        body: false,
        as: 'dispatcher',
      });
      return out;
    }

    it(`answers ${RUNS} hostile requests without a 5xx, and stays healthy`, async () => {
      console.log(`http fuzz: seed ${SEED}, ${RUNS} runs (FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} to replay)`);
      const request = fc.constantFrom(...targets).chain((t) => fc.tuple(fc.constant(t), t.path, t.body ? fc.option(t.bodies ?? body, { freq: 10 }) : fc.constant(null)));
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(request, async ([target, path, payload]) => {
          const client = target.as === 'admin' ? admin : target.as === 'dispatcher' ? dispatcher : null;
          const res = await send(url(), client, target.method, path, payload?.text, payload?.type);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          const what = `${target.method} ${path.slice(0, 200)} ${payload?.text.slice(0, 200) ?? ''}`;
          expect(res.status, `${what} → ${res.status} ${res.text.slice(0, 300)}`).toBeLessThan(500);
          // 431: Node's HTTP parser refuses a request line over 16 KiB before the API sees it.
          if (res.status >= 400 && res.status !== 431) expectClear4xx(res, what);
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      const answered = [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`);
      console.log(`http fuzz: ${[...statuses.values()].reduce((a, b) => a + b, 0)} requests, no 5xx (${answered.join(', ')})`);
      const health = await fetch(`${api.url}/api/health`);
      expect(health.status).toBe(200);
      // Still signed in and answering writes after all of it.
      expect((await dispatcher.get('/api/v1/companies')).status).toBe(200);
    });
  });
});
