import pg from 'pg';
import { convert } from 'xmlbuilder2';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunningApi } from '@muckwatch/api';
import {
  decodeTrack,
  unpackReplayMarks,
  unpackReplayState,
  type PackedReplayMarks,
  type ApiError,
  type ReplayFixesResponse,
  type ReplayMarks,
  type ReplayTrackResponse,
} from '@muckwatch/contracts';
import { signInAdmin, signInAs, type ApiClient } from '../support/api-client.js';
import { startTestApi, uniqueTag } from '../support/test-api.js';
import { insertViolation } from '../cases/case-fixtures.js';
import { insertFixes, scriptedRun, seedReplayTruck, stateChangeIndices, type ReplayTruckSeed, type ScriptedFix } from './replay-fixtures.js';

const HOUR = 3_600_000;

describe('track replay API', () => {
  let api: RunningApi;
  let db: pg.Pool;
  let admin: ApiClient;
  let seed: ReplayTruckSeed;
  let fixes: ScriptedFix[];
  const tag = uniqueTag();
  // Two days ago, on the minute: an 80-minute run, then a 20-minute silence and ten more minutes.
  const start = Math.floor((Date.now() - 48 * HOUR) / 60_000) * 60_000;
  const from = new Date(start - 60_000).toISOString();
  const to = new Date(start + 3 * HOUR).toISOString();
  const period = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;

  beforeAll(async () => {
    api = await startTestApi();
    admin = await signInAdmin(api);
    db = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
    seed = await seedReplayTruck(db, tag, new Date(start - 24 * HOUR));
    const run = scriptedRun(start);
    const after = scriptedRun(start + 100 * 60_000, 10).map((f) => ({ ...f, lon: f.lon + 0.01 }));
    fixes = [...run, ...after];
    await insertFixes(db, seed.terminalId, fixes);
    await db.query(
      `INSERT INTO trips (id, terminal_id, truck_id, plate, started_at, start_geom, ended_at, end_geom, status, origin_name, destination_name)
       VALUES ($1, $2, $3, $4, $5, ST_SetSRID(ST_MakePoint(118.3, 36.82), 4326), $6, ST_SetSRID(ST_MakePoint(118.6, 36.82), 4326), 'closed', '回放工地', '回放消纳场')`,
      [`${seed.terminalId}/trip/${start}`, seed.terminalId, seed.truckId, seed.plate, new Date(start + 5 * 60_000), new Date(start + 64 * 60_000)],
    );
    await insertViolation(db, { terminalId: seed.terminalId, truckId: seed.truckId, plate: seed.plate, type: 'illegal_dumping', startedAt: new Date(start + 42 * 60_000), endedAt: new Date(start + 46 * 60_000) });
  });

  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  it('names the truck by id, plate or terminal id alike', async () => {
    const totals = await Promise.all(
      [seed.truckId, seed.plate, seed.terminalId].map(async (name) => {
        const res = await admin.get<ReplayTrackResponse>(`/api/v1/replay/${encodeURIComponent(name)}/track?${period}`);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.truck).toEqual({ truckId: seed.truckId, plate: seed.plate, terminalIds: [seed.terminalId] });
        return res.body.totalFixes;
      }),
    );
    expect(totals).toEqual([fixes.length, fixes.length, fixes.length]);
  });

  it('simplifies the track but keeps every fix where a state changes, and the fixes around a gap', async () => {
    const res = await admin.get<ReplayTrackResponse>(`/api/v1/replay/${seed.terminalId}/track?${period}&zoom=12`);
    expect(res.status).toBe(200);
    const track = decodeTrack(res.body.track);
    expect(track.count).toBeGreaterThan(10);
    expect(track.count).toBeLessThan(fixes.length / 4);
    const kept = new Set(Array.from(track.t));
    for (const i of stateChangeIndices(fixes)) expect(kept.has(fixes[i]!.timeMs), `state change at fix ${i}`).toBe(true);
    // The last fix before the 20-minute silence and the first after it.
    expect(kept.has(fixes[479]!.timeMs)).toBe(true);
    expect(kept.has(fixes[480]!.timeMs)).toBe(true);
    expect(kept.has(fixes[fixes.length - 1]!.timeMs)).toBe(true);
    // The kept fixes carry their own states.
    const i = track.t.indexOf(fixes[42 * 6]!.timeMs);
    expect(unpackReplayState(track.state[i]!)).toMatchObject({ body: 'raised', load: 'full', cover: 'closed', ignition: true, valid: true });
    // A closer zoom keeps more.
    const close = await admin.get<ReplayTrackResponse>(`/api/v1/replay/${seed.terminalId}/track?${period}&zoom=20`);
    expect(close.body.track.count).toBeGreaterThan(track.count);
  });

  it('pages the full-resolution fixes by cursor', async () => {
    const times: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: ReplayFixesResponse } = await admin.get<ReplayFixesResponse>(`/api/v1/replay/${seed.plate}/fixes?${period}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      times.push(...decodeTrack(res.body.track).t);
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 20);
    expect(pages).toBe(Math.ceil(fixes.length / 200));
    expect(times).toEqual(fixes.map((f) => f.timeMs));
  });

  it('marks trips, stops with the body state and place, violations, and geofence entries and exits', async () => {
    const res = await admin.get<ReplayMarks>(`/api/v1/replay/${seed.truckId}/marks?${period}&minStopMinutes=5`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { stops, trips, violations, fences } = res.body;
    expect(trips.map((t) => t.id)).toEqual([`${seed.terminalId}/trip/${start}`]);
    expect(violations).toEqual([expect.objectContaining({ type: 'illegal_dumping', startedAt: new Date(start + 42 * 60_000).toISOString() })]);
    // Standing at the site (0–10 min), at the roadside (40–50), in the disposal site (60–70), and after the silence.
    expect(stops.map((s) => [s.startedAt, s.endedAt])).toEqual(
      [[0, 10], [40, 50], [60, 70], [100, 110]].map(([a, b]) => [new Date(start + a! * 60_000).toISOString(), new Date(start + b! * 60_000 - 10_000).toISOString()]),
    );
    // Other specs (the browser replay spec seeds the same ground) may draw sites at the same place in
    // the shared database: the stops at the site and the disposal site stand in a place of that kind,
    // and the roadside stops in none of this run's.
    const ours = new Set([seed.constructionSiteId, seed.disposalSiteId]);
    expect(stops.map((s) => s.place?.kind ?? null).filter((_, i) => i === 0 || i === 2)).toEqual(['construction_site', 'disposal_site']);
    expect([stops[1], stops[3]].map((s) => Boolean(s?.place && ours.has(s.place.id)))).toEqual([false, false]);
    expect(stops.map((s) => [s.bodyRaised, s.suspicious])).toEqual([
      [false, false],
      [true, true],
      [true, false],
      [false, false],
    ]);
    expect(stops[1]!.durationS).toBe(590);
    const mine = fences.filter((f) => ours.has(f.place.id)).map((f) => [f.kind, f.place.id, f.at]);
    expect(mine).toEqual([
      ['exit', seed.constructionSiteId, expect.any(String)],
      ['enter', seed.disposalSiteId, expect.any(String)],
      ['exit', seed.disposalSiteId, expect.any(String)],
      ['enter', seed.constructionSiteId, expect.any(String)],
      ['exit', seed.constructionSiteId, expect.any(String)],
      ['enter', seed.constructionSiteId, expect.any(String)],
    ].slice(0, mine.length));
    expect(mine.length).toBeGreaterThanOrEqual(3);
    expect(Date.parse(mine[0]![2] as string)).toBeGreaterThan(start + 10 * 60_000 - 1);
    expect(Date.parse(mine[0]![2] as string)).toBeLessThan(start + 11 * 60_000);
  });

  it('packs the same marks as columns (format=packed), each place named once', async () => {
    const objects = await admin.get<ReplayMarks>(`/api/v1/replay/${seed.truckId}/marks?${period}`);
    const packed = await admin.get<PackedReplayMarks>(`/api/v1/replay/${seed.truckId}/marks?${period}&format=packed`);
    expect(packed.status).toBe(200);
    expect(packed.body.places.length).toBe(new Set(packed.body.places.map((p) => `${p.kind} ${p.id}`)).size);
    // Coordinates come back at 1e-5° (~1 m); everything else as it was.
    const e5 = (v: number): number => Math.round(v * 1e5) / 1e5;
    const expected: ReplayMarks = {
      ...objects.body,
      trips: objects.body.trips.map((t) => ({ ...t, start: [e5(t.start[0]), e5(t.start[1])], end: t.end ? [e5(t.end[0]), e5(t.end[1])] : null })),
      stops: objects.body.stops.map((s) => ({ ...s, lat: e5(s.lat), lon: e5(s.lon) })),
      violations: objects.body.violations.map((v) => ({ ...v, lat: e5(v.lat), lon: e5(v.lon) })),
      fences: objects.body.fences.map((f) => ({ ...f, lat: e5(f.lat), lon: e5(f.lon) })),
    };
    const unpacked = unpackReplayMarks(packed.body);
    const close = (a: number, b: number): boolean => Math.abs(a - b) < 1e-9;
    expect(unpacked.stops.every((s, i) => close(s.lat, expected.stops[i]!.lat) && close(s.lon, expected.stops[i]!.lon))).toBe(true);
    const withoutCoordinates = (m: ReplayMarks): unknown => ({
      ...m,
      trips: m.trips.map(({ start: _s, end: _e, ...t }) => t),
      stops: m.stops.map(({ lat: _a, lon: _o, ...s }) => s),
      violations: m.violations.map(({ lat: _a, lon: _o, ...v }) => v),
      fences: m.fences.map(({ lat: _a, lon: _o, ...f }) => f),
    });
    expect(withoutCoordinates(unpacked)).toEqual(withoutCoordinates(expected));
  });

  it('exports the period at full resolution as GPX, KML, GeoJSON and CSV, each audited', async () => {
    const base = `/api/v1/replay/${encodeURIComponent(seed.plate)}/export`;
    const gpx = await admin.get<string>(`${base}.gpx?${period}`);
    expect(gpx.status).toBe(200);
    expect(gpx.headers.get('content-disposition')).toContain(encodeURIComponent(seed.plate));
    const gpxDoc = convert(gpx.body, { format: 'object' }) as unknown as { gpx: { trk: { trkseg: { trkpt: Array<{ '@lat': string; time: string }> } } } };
    const points = gpxDoc.gpx.trk.trkseg.trkpt;
    expect(points).toHaveLength(fixes.length);
    expect(points[0]!.time).toBe(new Date(fixes[0]!.timeMs).toISOString());

    const kml = await admin.get<string>(`${base}.kml?${period}`);
    expect(kml.status).toBe(200);
    const kmlDoc = convert(kml.body, { format: 'object' }) as unknown as { kml: { Document: { Placemark: { 'gx:MultiTrack': { 'gx:Track': { when: string[]; 'gx:coord': string[] } } } } } };
    const kmlTrack = kmlDoc.kml.Document.Placemark['gx:MultiTrack']['gx:Track'];
    expect(kmlTrack.when).toHaveLength(fixes.length);
    expect(kmlTrack['gx:coord']).toHaveLength(fixes.length);

    const geojson = await admin.get<{ type: string; features: Array<{ geometry: { coordinates: number[] }; properties: { time: string; body: string } }> }>(`${base}.geojson?${period}`);
    expect(geojson.status).toBe(200);
    expect(geojson.body.type).toBe('FeatureCollection');
    expect(geojson.body.features).toHaveLength(fixes.length);
    expect(geojson.body.features[42 * 6]!.properties.body).toBe('raised');

    const csv = await admin.get<string>(`${base}.csv?${period}`);
    expect(csv.status).toBe(200);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines[0]).toMatch(/^定位时间,定位时间\(UTC\),终端号,纬度,经度,速度\(km\/h\)/);
    expect(lines).toHaveLength(fixes.length + 1);
    expect(lines[1]).toContain(seed.terminalId);

    const { rows } = await db.query<{ detail: { format: string; rows: number } }>(
      `SELECT detail FROM audit_log WHERE action = 'replay.export' AND resource_id = $1 ORDER BY at`,
      [seed.truckId],
    );
    expect(rows.map((r) => [r.detail.format, r.detail.rows])).toEqual([['gpx', fixes.length], ['kml', fixes.length], ['geojson', fixes.length], ['csv', fixes.length]]);
  });

  it('lets the readers of fixes replay, refuses town officials, and says 404 for an unknown truck', async () => {
    const officer = await signInAs(api, 'enforcement_officer');
    const auditor = await signInAs(api, 'auditor');
    const town = await signInAs(api, 'town_official');
    for (const client of [officer, auditor]) expect((await client.get(`/api/v1/replay/${seed.plate}/track?${period}`)).status).toBe(200);
    for (const path of ['track', 'fixes', 'marks', 'export.csv']) {
      const res = await town.get<ApiError>(`/api/v1/replay/${encodeURIComponent(seed.plate)}/${path}?${period}`);
      expect(res.status, path).toBe(403);
    }
    const unknown = await admin.get<ApiError>(`/api/v1/replay/${encodeURIComponent('鲁C00000')}/track?${period}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('replay.truck_not_found');
    const unknownId = await admin.get<ApiError>(`/api/v1/replay/00000000-0000-4000-8000-000000000000/marks?${period}`);
    expect(unknownId.status).toBe(404);
  });

  it('before the terminal was bound, the truck has no fixes of its own; the terminal has', async () => {
    const early = `from=${encodeURIComponent(new Date(start - 30 * 24 * HOUR).toISOString())}&to=${encodeURIComponent(new Date(start - 25 * HOUR).toISOString())}`;
    const res = await admin.get<ReplayTrackResponse>(`/api/v1/replay/${seed.truckId}/track?${early}`);
    expect(res.status).toBe(200);
    expect(res.body.truck.terminalIds).toEqual([]);
    expect(res.body.track.count).toBe(0);
  });

  it('refuses bad input with a 400 naming it', async () => {
    const cases: Array<[string, string, string]> = [
      [`track?from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`, 'input.range_reversed', 'from'],
      [`track?from=2026-01-01T00:00:00Z&to=2026-02-02T00:00:01Z`, 'input.range_too_long', 'to'],
      [`track?from=yesterday`, 'input.time_invalid', 'from'],
      [`track?${period}&zoom=23`, 'input.int_out_of_range', 'zoom'],
      [`track?${period}&zoom=1.5`, 'input.int_out_of_range', 'zoom'],
      // A repeated parameter is refused at the HTTP edge (common/input-boundary.ts).
      [`track?${period}&from=${encodeURIComponent(from)}`, 'input.unacceptable', 'from'],
      [`fixes?${period}&limit=0`, 'input.int_out_of_range', 'limit'],
      [`fixes?${period}&limit=20001`, 'input.int_out_of_range', 'limit'],
      [`fixes?${period}&cursor=abc`, 'input.time_invalid', 'cursor'],
      [`marks?${period}&minStopMinutes=0`, 'input.int_out_of_range', 'minStopMinutes'],
      [`marks?${period}&format=csv`, 'query.invalid', 'format'],
      [`export.gpx?from=x`, 'input.time_invalid', 'from'],
    ];
    for (const [path, code, field] of cases) {
      const res = await admin.get<ApiError & { field?: string }>(`/api/v1/replay/${seed.terminalId}/${path}`);
      expect(res.status, path).toBe(400);
      expect([res.body.code, res.body.field], path).toEqual([code, field]);
    }
    const long = await admin.get<ApiError>(`/api/v1/replay/${'x'.repeat(65)}/track?${period}`);
    expect([long.status, long.body.code]).toEqual([400, 'replay.truck_invalid']);
  });
});
