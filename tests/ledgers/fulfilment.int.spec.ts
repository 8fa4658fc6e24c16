import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CollectionPoint, CollectionRequestDetail, TelemetryFix, TownLedgerCoverage, TripPage } from '@muckwatch/contracts';
import { ComplianceService } from '@muckwatch/api';
import { publishScenario } from '@muckwatch/fleet';
import { demoRegistry } from '@muckwatch/linzi';
import { type ApiClient, signInAs } from '../support/api-client.js';
import { demoDatabase } from '../support/demo-database.js';
import { startTestApi, waitFor } from '../support/test-api.js';

type TestApi = Awaited<ReturnType<typeof startTestApi>>;
type LonLat = [number, number];

const HOUR = 3_600_000;
/** Fixes run from "now" into the next minutes: fix times ahead of receipt (not late). */
const ENV = { SEED_DEMO: 'true', FIX_MAX_FUTURE_SECONDS: '7200' };

/** Metres east and north of a point, in degrees (good enough at this latitude for a test track). */
function offset([lon, lat]: LonLat, eastM: number, northM: number): LonLat {
  return [lon + eastM / (111_320 * Math.cos((lat * Math.PI) / 180)), lat + northM / 110_540];
}

/**
 * A terminal's fixes, 10 s apart: drive to a collection point empty, load there (the load cell
 * fills), drive to a disposal site, tip with the body raised, drive off empty.
 */
function collectionTrip(startMs: number, point: LonLat, site: LonLat): TelemetryFix[] {
  const fixes: TelemetryFix[] = [];
  let t = startMs;
  let here = offset(point, 0, -400);
  let state: Partial<TelemetryFix> = { cover: 'closed', body: 'down', load: 'empty', loadT: 0.5, ignition: true };
  const emit = (speedKmh: number): void => {
    t += 10_000;
    fixes.push({ ts: t, lon: Math.round(here[0] * 1e7) / 1e7, lat: Math.round(here[1] * 1e7) / 1e7, speedKmh, headingDeg: 0, satellites: 12, hdop: 0.9, seq: fixes.length, ...state });
  };
  const driveTo = (to: LonLat, speedKmh: number): void => {
    const from = here;
    const steps = Math.max(1, Math.ceil(Math.hypot((to[0] - from[0]) * 89_000, (to[1] - from[1]) * 110_540) / ((speedKmh / 3.6) * 10)));
    for (let i = 1; i <= steps; i++) {
      here = [from[0] + ((to[0] - from[0]) * i) / steps, from[1] + ((to[1] - from[1]) * i) / steps];
      emit(speedKmh);
    }
  };
  const wait = (seconds: number): void => {
    for (let s = 0; s < seconds; s += 10) emit(0);
  };
  emit(0);
  driveTo(point, 25);
  wait(120);
  state = { ...state, load: 'full', loadT: 9 };
  wait(120);
  driveTo(site, 30);
  state = { ...state, body: 'raised' };
  wait(90);
  state = { ...state, body: 'down', load: 'empty', loadT: 0.5 };
  wait(20);
  driveTo(offset(site, 0, -600), 20);
  return fixes;
}

// A collection request fulfilled from GPS, never by hand: the dispatched truck's fixes go through
// the broker, the ingest and the compliance engine; the trip it closes at a licensed site fulfils
// the request. A truck dispatched to a point it never visits leaves its request dispatched.
describe('collection requests fulfilled from the dispatched truck’s fixes', () => {
  let api: TestApi;
  let database: Awaited<ReturnType<typeof demoDatabase>>;
  let dispatcher: ApiClient;
  let town: ApiClient;
  const mqttUrl = inject('mqttUrl');

  beforeAll(async () => {
    database = await demoDatabase();
    api = await startTestApi({ ...ENV, ...database.env });
    dispatcher = await signInAs(api, 'dispatcher');
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  it('the visiting truck’s closed trip fulfils its request (same day); the one that never came stays dispatched', async () => {
    const site = demoRegistry.disposalSites.find((s) => s.status === 'licensed')!;
    const siteCentre = site.tippingPoint;
    const [first, second] = demoRegistry.terminals.filter((t) => t.bound).slice(0, 2).map((t) => ({ terminalId: t.id, truckId: t.truckId }));
    expect(first && second, 'two trucks with terminals in the demo registry').toBeTruthy();

    // Two collection points 1.5 km north and east of a licensed site, in whichever town holds them.
    const pointAt = offset(siteCentre, 0, 1500);
    const otherAt = offset(siteCentre, 1500, 0);
    const compliance = api.app.get(ComplianceService);
    const loadsBefore = compliance.factsLoads;
    const points: CollectionPoint[] = [];
    for (const [name, at] of [['北侧收集点', pointAt], ['东侧收集点', otherAt]] as const) {
      const res = await dispatcher.post<CollectionPoint>('/api/v1/ledgers/collection-points', { name, location: { type: 'Point', coordinates: at }, radiusM: 60 });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      points.push(res.body);
    }
    // The engine takes active points up as trip origins (a reload after the change).
    await waitFor(() => Promise.resolve(compliance.factsLoads > loadsBefore), 20_000, 'the engine reloaded its facts');
    await compliance.idle();

    town = await signInAs(api, 'town_official', { townCode: points[0]!.townCode });
    const requestedAt = new Date(Date.now() - 2 * HOUR).toISOString();
    const visited = await town.post<CollectionRequestDetail>('/api/v1/ledgers/collection-requests', {
      requesterKind: 'village', requesterName: '北侧村', collectionPointId: points[0]!.id, volumeM3: 8, requestedAt,
    });
    const missed = await town.post<CollectionRequestDetail>('/api/v1/ledgers/collection-requests', {
      requesterKind: 'village', requesterName: '北侧村二组', collectionPointId: points[0]!.id, volumeM3: 4, requestedAt,
    });
    expect(visited.status, JSON.stringify(visited.body)).toBe(201);
    expect(missed.status).toBe(201);
    const d1 = await town.post<CollectionRequestDetail>(`/api/v1/ledgers/collection-requests/${visited.body.id}/dispatch`, { truckId: first!.truckId, version: 1 });
    const d2 = await town.post<CollectionRequestDetail>(`/api/v1/ledgers/collection-requests/${missed.body.id}/dispatch`, { truckId: second!.truckId, version: 1 });
    expect(d1.status, JSON.stringify(d1.body)).toBe(200);
    expect(d2.status).toBe(200);
    expect(d1.body).toMatchObject({ state: 'dispatched', truckId: first!.truckId });

    // The first truck loads at the request's point; the second at the other point. Both unload at the licensed site.
    const startMs = Date.now() + 2000;
    await Promise.all([
      publishScenario({ name: 'clean_trip', terminalId: first!.terminalId, plate: null, townCode: null, expectedTypes: [], fixes: collectionTrip(startMs, pointAt, siteCentre) }, { url: mqttUrl }),
      publishScenario({ name: 'clean_trip', terminalId: second!.terminalId, plate: null, townCode: null, expectedTypes: [], fixes: collectionTrip(startMs, otherAt, siteCentre) }, { url: mqttUrl }),
    ]);

    let fulfilled: CollectionRequestDetail | null = null;
    await waitFor(async () => {
      const res = await town.get<CollectionRequestDetail>(`/api/v1/ledgers/collection-requests/${visited.body.id}`);
      fulfilled = res.body;
      return res.body.state === 'fulfilled';
    }, 60_000, 'the visited request fulfilled');
    const done = fulfilled!;
    const window = `from=${encodeURIComponent(new Date(startMs - HOUR).toISOString())}&to=${encodeURIComponent(new Date(startMs + 2 * HOUR).toISOString())}`;
    const trips = await dispatcher.get<TripPage>(`/api/v1/trips?${window}&pageSize=100`);
    const trip = trips.body.items.find((t) => t.id === done.tripId)!;
    expect(trip).toMatchObject({ status: 'closed', terminalId: first!.terminalId, destinationId: expect.any(String) as string });
    expect(done.fulfilledAt).toBe(trip.end!.at);
    expect(Date.parse(done.visitAt!)).toBeGreaterThanOrEqual(Date.parse(done.dispatchedAt!));
    expect(Date.parse(done.visitAt!)).toBeLessThan(Date.parse(done.fulfilledAt!));
    expect(done.sameDay).toBe(true);
    expect(done.history.at(-1)).toMatchObject({ action: 'fulfil', fromStatus: 'dispatched', toStatus: 'fulfilled', actorUsername: null });

    // The second truck closed its own trip at the licensed site, but never came to the request's point.
    await waitFor(async () => {
      const res = await dispatcher.get<TripPage>(`/api/v1/trips?${window}&pageSize=100`);
      return res.body.items.some((t) => t.terminalId === second!.terminalId && t.status === 'closed');
    }, 60_000, 'the second truck’s trip closed');
    await compliance.idle();
    const still = await town.get<CollectionRequestDetail>(`/api/v1/ledgers/collection-requests/${missed.body.id}`);
    expect(still.body).toMatchObject({ state: 'dispatched', fulfilledAt: null, visitAt: null, tripId: null });

    const coverage = await town.get<TownLedgerCoverage[]>('/api/v1/ledgers/coverage');
    expect(coverage.body[0]).toMatchObject({ requests: 2, fulfilled: 1, fulfilledSameDay: 1, sameDayRate: 0.5 });
  });
});
