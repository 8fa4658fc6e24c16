import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  ComplianceLiveEvent,
  type HealthResponse,
  LIVE_NAMESPACE,
  type TripPage,
  type Violation,
  type ViolationDetail,
  type ViolationPage,
} from '@muckwatch/contracts';
import { buildScenario, publishScenario, SCENARIO_NAMES, type Scenario } from '@muckwatch/fleet';
import { ComplianceService, PG_POOL } from '@muckwatch/api';
import type pg from 'pg';
import { demoRegistry } from '@muckwatch/linzi';
import { type ApiClient, signInAs } from '../support/api-client.js';
import { demoDatabase } from '../support/demo-database.js';
import { startTestApi, waitFor } from '../support/test-api.js';

type TestApi = Awaited<ReturnType<typeof startTestApi>>;

const HOUR = 3_600_000;
/** Scenarios run from "now" into the next half hour: fix times ahead of receipt (not late). */
const SCENARIO_ENV = { SEED_DEMO: 'true', FIX_MAX_FUTURE_SECONDS: '7200' };

// Every fleet scenario through the broker, the ingest, the engine and the API, on the demo
// registry: each raises the violation it is named after, the clean trip closes without one.
describe('compliance end to end: scenarios through MQTT to the violations API', () => {
  let api: TestApi;
  let dispatcher: ApiClient;
  let database: Awaited<ReturnType<typeof demoDatabase>>;
  let apiEnv: Record<string, string>;
  const mqttUrl = inject('mqttUrl');
  const window = (): string => `from=${encodeURIComponent(new Date(Date.now() - 3 * 24 * HOUR).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 24 * HOUR).toISOString())}`;

  async function violationsOf(client: ApiClient, terminalId: string, query = ''): Promise<Violation[]> {
    const res = await client.get<ViolationPage>(`/api/v1/violations?${window()}&pageSize=500${query}`);
    expect(res.status).toBe(200);
    return res.body.items.filter((v) => v.terminalId === terminalId);
  }

  async function tripsOf(client: ApiClient, plate: string): Promise<TripPage['items']> {
    const res = await client.get<TripPage>(`/api/v1/trips?${window()}&plate=${encodeURIComponent(plate)}`);
    expect(res.status).toBe(200);
    return res.body.items;
  }

  beforeAll(async () => {
    database = await demoDatabase();
    apiEnv = { ...SCENARIO_ENV, ...database.env };
    api = await startTestApi(apiEnv);
    dispatcher = await signInAs(api, 'dispatcher');
    const truck = await dispatcher.get(`/api/v1/trucks/${demoRegistry.trucks[0]!.id}`);
    expect(truck.status, 'the demo registry is seeded').toBe(200);
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  describe('every scenario', () => {
    const scenarios = new Map<string, Scenario>();

    beforeAll(async () => {
      const startMs = Date.now();
      for (const name of SCENARIO_NAMES) scenarios.set(name, buildScenario(name, { startMs }));
      await Promise.all([...scenarios.values()].map((s) => publishScenario(s, { url: mqttUrl })));
    });

    for (const name of SCENARIO_NAMES.filter((n) => n !== 'clean_trip')) {
      it(`${name}: raises ${name}`, async () => {
        const scenario = scenarios.get(name)!;
        let found: Violation[] = [];
        await waitFor(async () => {
          found = await violationsOf(dispatcher, scenario.terminalId);
          return scenario.expectedTypes.every((t) => found.some((v) => v.type === t));
        }, 30_000, `${name} violation of ${scenario.terminalId}`);
        const v = found.find((x) => x.type === name)!;
        expect(v).toMatchObject({ type: name, terminalId: scenario.terminalId, plate: scenario.plate });
        expect(v.townCode).toMatch(/^[0-9E]/);
        if (name !== 'outside_time_window') expect(v.reportedLate).toBe(false);

        const detail = await dispatcher.get<ViolationDetail>(`/api/v1/violations/${encodeURIComponent(v.id)}`);
        expect(detail.status).toBe(200);
        expect(detail.body.id).toBe(v.id);
        expect(detail.body.startPoint.geometry.coordinates).toEqual([v.start.lon, v.start.lat]);
        if (detail.body.evidence) {
          expect(detail.body.evidence.geometry.type).toBe('LineString');
          expect(detail.body.evidence.properties.times).toHaveLength(detail.body.evidence.geometry.coordinates.length);
        }
      });
    }

    it('clean_trip: one closed trip under its approval and no violation', async () => {
      const scenario = scenarios.get('clean_trip')!;
      let trips: TripPage['items'] = [];
      await waitFor(async () => {
        trips = await tripsOf(dispatcher, scenario.plate!);
        return trips.some((t) => t.status === 'closed');
      }, 30_000, 'the clean trip closed');
      expect(trips).toHaveLength(1);
      expect(trips[0]).toMatchObject({ status: 'closed', terminalId: scenario.terminalId, reportedLate: false });
      expect(trips[0]!.approvalNumber).toBeTruthy();
      expect(trips[0]!.distanceM).toBeGreaterThan(500);
      expect(await violationsOf(dispatcher, scenario.terminalId)).toEqual([]);
    });

    it('takes up registry changes without a restart: once the unknown terminal is bound, its episode ends', async () => {
      const scenario = scenarios.get('unregistered_terminal')!;
      const truck = demoRegistry.trucks.find((t) => demoRegistry.terminals.some((x) => x.truckId === t.id && !x.bound))!;
      expect((await dispatcher.post('/api/v1/terminals', { terminalId: scenario.terminalId })).status).toBe(201);
      expect((await dispatcher.put(`/api/v1/terminals/${scenario.terminalId}/binding`, { truckId: truck.id })).status).toBe(200);
      const lastFix = scenario.fixes[scenario.fixes.length - 1]!;
      let n = 0;
      await waitFor(async () => {
        n += 1;
        await publishScenario({ ...scenario, fixes: [{ ...lastFix, ts: Number(lastFix.ts) + n * 10_000 }] }, { url: mqttUrl });
        const episode = (await violationsOf(dispatcher, scenario.terminalId)).find((v) => v.type === 'unregistered_terminal');
        return episode?.status === 'closed';
      }, 30_000, 'the unregistered-terminal episode closed after the binding', 1000);
    });

    it('one episode per continuous breach, not a row per fix', async () => {
      const scenario = scenarios.get('unsealed_transport')!;
      const found = (await violationsOf(dispatcher, scenario.terminalId)).filter((v) => v.type === 'unsealed_transport');
      expect(found).toHaveLength(1);
      expect(found[0]!.status).toBe('closed');
    });

    it("scopes by town: an official sees their town's violations, another town's is 404", async () => {
      const scenario = scenarios.get('overload')!;
      const v = (await violationsOf(dispatcher, scenario.terminalId)).find((x) => x.type === 'overload')!;
      expect(v.townCode).toBeTruthy();
      const own = await signInAs(api, 'town_official', { townCode: v.townCode! });
      const otherCode = v.townCode === '370305001' ? '370305002' : '370305001';
      const other = await signInAs(api, 'town_official', { townCode: otherCode });
      const path = `/api/v1/violations/${encodeURIComponent(v.id)}`;
      expect((await own.get(path)).status).toBe(200);
      expect((await other.get(path)).status).toBe(404);
      expect((await violationsOf(own, scenario.terminalId)).map((x) => x.id)).toContain(v.id);
      expect(await violationsOf(other, scenario.terminalId)).toEqual([]);
      const ownList = await own.get<ViolationPage>(`/api/v1/violations?${window()}&pageSize=500`);
      expect(ownList.body.items.every((x) => x.townCode === v.townCode)).toBe(true);
      const ownTrips = await own.get<TripPage>(`/api/v1/trips?${window()}&pageSize=500`);
      expect(ownTrips.body.items.every((t) => t.townCode === v.townCode)).toBe(true);
    });

    it('shows an enforcement officer only what the dispatcher assigned to their department (audited)', async () => {
      const scenario = scenarios.get('illegal_dumping')!;
      const v = (await violationsOf(dispatcher, scenario.terminalId)).find((x) => x.type === 'illegal_dumping')!;
      const officer = await signInAs(api, 'enforcement_officer', { department: 'urban-management' });
      const path = `/api/v1/violations/${encodeURIComponent(v.id)}`;
      expect((await officer.get(path)).status).toBe(404);
      expect((await officer.post(`${path}/transitions`, { action: 'assign', version: v.version, departmentCode: 'urban-management' })).status).toBe(404);
      const assigned = await dispatcher.post<ViolationDetail>(`${path}/transitions`, {
        action: 'assign',
        version: v.version,
        departmentCode: 'urban-management',
        comment: '已派单',
      });
      expect(assigned.status).toBe(200);
      expect(assigned.body).toMatchObject({ caseState: 'assigned', departmentCode: 'urban-management', departmentName: '综合行政执法局' });
      expect(assigned.body.timeline.at(-1)).toMatchObject({ action: 'assign', comment: '已派单' });
      const badAction = await dispatcher.post<{ field: string }>(`${path}/transitions`, { action: 'done', version: assigned.body.version });
      expect(badAction.status).toBe(400);
      expect(badAction.body.field).toBe('action');
      expect((await officer.get(path)).status).toBe(200);
      const list = await officer.get<ViolationPage>(`/api/v1/violations?${window()}`);
      expect(list.body.items.map((x) => x.id)).toEqual([v.id]);
      const bad = await dispatcher.post<{ field: string }>(`${path}/transitions`, { action: 'comment', version: assigned.body.version, comment: 'x', status: 'closed' });
      expect(bad.status).toBe(400);
      expect(bad.body.field).toBe('status');
      const admin = await signInAs(api, 'admin');
      const audit = await admin.get<{ entries: Array<{ action: string; resourceId: string }> }>(`/api/v1/audit?action=case.assign`);
      expect(audit.body.entries.some((e) => e.action === 'case.assign' && e.resourceId === v.id)).toBe(true);
    });
  });

  it('validates the query, naming the parameter', async () => {
    for (const [query, field] of [
      ['type=speeding', 'type'],
      ['status=pending', 'status'],
      ['from=yesterday', 'from'],
      ['pageSize=0', 'pageSize'],
      ['townCode=lin zi', 'townCode'],
    ] as const) {
      const res = await dispatcher.get<{ field: string }>(`/api/v1/violations?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.field).toBe(field);
    }
    const trips = await dispatcher.get<{ field: string }>('/api/v1/trips?status=done');
    expect(trips.status).toBe(400);
    expect(trips.body.field).toBe('status');
    expect((await dispatcher.get('/api/v1/violations/nope')).status).toBe(404);
  });

  it('a backlog uploaded two hours late still produces its violations, marked reported late', async () => {
    const scenario = buildScenario('unsealed_transport', { startMs: Date.now() - 2 * HOUR, variant: 1 });
    await publishScenario(scenario, { url: mqttUrl, mode: 'backlog' });
    let found: Violation[] = [];
    await waitFor(async () => {
      found = (await violationsOf(dispatcher, scenario.terminalId)).filter((v) => v.type === 'unsealed_transport');
      return found.length > 0;
    }, 30_000, 'the late unsealed episode');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ reportedLate: true, status: 'closed' });
    expect(Date.parse(found[0]!.start.at)).toBeLessThan(Date.now() - HOUR);
  });

  it('evaluates out-of-order fixes in fix-time order: the later half first, then the earlier half, end as one clean trip', async () => {
    const scenario = buildScenario('clean_trip', { startMs: Date.now(), variant: 2 });
    const cut = Math.floor(scenario.fixes.length * 0.5);
    await publishScenario({ ...scenario, fixes: scenario.fixes.slice(cut) }, { url: mqttUrl, mode: 'backlog' });
    // Seen alone, the later half is a loaded truck appearing from nowhere: an unlicensed trip.
    await waitFor(async () => (await violationsOf(dispatcher, scenario.terminalId)).length > 0, 30_000, 'the provisional verdict on the later half');
    await publishScenario({ ...scenario, fixes: scenario.fixes.slice(0, cut) }, { url: mqttUrl, mode: 'backlog' });
    let trips: TripPage['items'] = [];
    await waitFor(async () => {
      trips = await tripsOf(dispatcher, scenario.plate!);
      return trips.length === 1 && trips[0]!.status === 'closed' && trips[0]!.originId !== null;
    }, 30_000, 'one closed trip from the site after the replay');
    expect(await violationsOf(dispatcher, scenario.terminalId)).toEqual([]);
  });

  it('pushes violation_opened to a connected console over the socket', async () => {
    const socket: Socket = io(`${api.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], auth: { token: dispatcher.token } });
    const opened: Violation[] = [];
    const closed: Violation[] = [];
    socket.on(ComplianceLiveEvent.ViolationOpened, (v: Violation) => opened.push(v));
    socket.on(ComplianceLiveEvent.ViolationClosed, (v: Violation) => closed.push(v));
    const official = await signInAs(api, 'town_official', { townCode: '370305111' });
    const elsewhere: Socket = io(`${api.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], auth: { token: official.token } });
    const seenElsewhere: Violation[] = [];
    elsewhere.on(ComplianceLiveEvent.ViolationOpened, (v: Violation) => seenElsewhere.push(v));
    try {
      await waitFor(() => socket.connected && elsewhere.connected, 10_000, 'sockets connected');
      const scenario = buildScenario('suspected_tampering', { startMs: Date.now(), variant: 1 });
      await publishScenario(scenario, { url: mqttUrl });
      await waitFor(() => opened.some((v) => v.terminalId === scenario.terminalId), 10_000, 'violation_opened on the socket');
      const alarm = opened.find((v) => v.terminalId === scenario.terminalId)!;
      expect(alarm).toMatchObject({ type: 'suspected_tampering', plate: scenario.plate });
      await waitFor(() => closed.some((v) => v.id === alarm.id), 10_000, 'violation_closed on the socket');
      // A town official's console only hears their own town's alarms.
      expect(seenElsewhere.filter((v) => v.townCode !== '370305111')).toEqual([]);
    } finally {
      socket.close();
      elsewhere.close();
    }
  });

  it('continues a trip across an API restart (state rebuilt from checkpoint and stored fixes)', async () => {
    const scenario = buildScenario('clean_trip', { startMs: Date.now(), variant: 1 });
    const cut = Math.floor(scenario.fixes.length * 0.6);
    await publishScenario({ ...scenario, fixes: scenario.fixes.slice(0, cut) }, { url: mqttUrl });
    await waitFor(async () => (await tripsOf(dispatcher, scenario.plate!)).some((t) => t.status === 'open'), 30_000, 'the trip open before the restart');

    await api.close();
    api = await startTestApi(apiEnv);
    dispatcher = await signInAs(api, 'dispatcher');

    await publishScenario({ ...scenario, fixes: scenario.fixes.slice(cut) }, { url: mqttUrl });
    let trips: TripPage['items'] = [];
    await waitFor(async () => {
      trips = await tripsOf(dispatcher, scenario.plate!);
      return trips.some((t) => t.status === 'closed');
    }, 30_000, 'the trip closed after the restart');
    expect(trips).toHaveLength(1);
    expect(trips[0]).toMatchObject({ status: 'closed', reportedLate: false });
    expect(await violationsOf(dispatcher, scenario.terminalId)).toEqual([]);
  });

  it('rebuilds the engines when their process dies mid-trip, and the trip ends as if nothing happened', async () => {
    const health = async (): Promise<HealthResponse> => (await fetch(`${api.url}/api/health`)).json() as Promise<HealthResponse>;
    const before = await health();
    expect(before.compliance).toMatchObject({ status: 'ok', restarts: 0 });
    // The truck of the restart test, an hour later: its trips from then on are this test's.
    const startMs = Date.now() + HOUR;
    const scenario = buildScenario('clean_trip', { startMs, variant: 1 });
    const tripsSinceStart = async () => (await tripsOf(dispatcher, scenario.plate!)).filter((t) => Date.parse(t.start.at) >= startMs);
    const cut = Math.floor(scenario.fixes.length * 0.5);
    await publishScenario({ ...scenario, fixes: scenario.fixes.slice(0, cut) }, { url: mqttUrl });
    await waitFor(async () => (await tripsSinceStart()).some((t) => t.status === 'open'), 30_000, 'the trip open before the crash');
    // Every fix of the first half evaluated: the engines' state is all in memory, nothing in a checkpoint since.
    await api.app.get(ComplianceService).idle();

    process.kill(before.compliance.pid!, 'SIGKILL');
    // Health says what happened (and 'down' until the next batch or tick starts a new process).
    await waitFor(async () => (await health()).compliance.lastError === 'exited (SIGKILL)', 10_000, 'health reporting the dead engines process');

    await publishScenario({ ...scenario, fixes: scenario.fixes.slice(cut) }, { url: mqttUrl });
    let trips: TripPage['items'] = [];
    await waitFor(async () => {
      trips = await tripsSinceStart();
      return trips.some((t) => t.status === 'closed');
    }, 30_000, 'the trip closed after the engines came back');
    await api.app.get(ComplianceService).idle();
    trips = await tripsSinceStart();
    expect(trips).toHaveLength(1);
    expect(trips[0]).toMatchObject({ status: 'closed' });
    expect((await violationsOf(dispatcher, scenario.terminalId)).filter((v) => Date.parse(v.start.at) >= startMs)).toEqual([]);
    expect((await health()).compliance).toMatchObject({ status: 'ok', restarts: 1 });
  });
  it('a rebuild deletes the trip and the open episode another engine stored and the stored fixes no longer produce, and consoles hear the retraction', async () => {
    // An instance killed before a late fix reached it leaves what its engine made of fewer fixes:
    // here a trip and an open episode that start a moment after the real ones. The engine that
    // rebuilds the terminals (after a crash, as on a takeover) sees every stored fix.
    const health = async (): Promise<HealthResponse> => (await fetch(`${api.url}/api/health`)).json() as Promise<HealthResponse>;
    const pool = api.app.get<pg.Pool>(PG_POOL);
    const startMs = Date.now() + 20 * 60_000;
    const trip = buildScenario('clean_trip', { startMs, variant: 2 });
    const breach = buildScenario('overspeed', { startMs, variant: 2 });
    await Promise.all([publishScenario(trip, { url: mqttUrl }), publishScenario(breach, { url: mqttUrl })]);
    const tripsSinceStart = async () => (await tripsOf(dispatcher, trip.plate!)).filter((t) => Date.parse(t.start.at) >= startMs);
    const breachesSinceStart = async () => (await violationsOf(dispatcher, breach.terminalId)).filter((v) => Date.parse(v.start.at) >= startMs);
    await waitFor(async () => (await tripsSinceStart()).some((t) => t.status === 'closed') && (await breachesSinceStart()).some((v) => v.status === 'closed'), 30_000, 'the trip and the episode closed');
    await api.app.get(ComplianceService).idle();
    const [realTrip] = await tripsSinceStart();
    const [realBreach] = await breachesSinceStart();
    // One fix (10 s) later than the real ones.
    const staleTripMs = Date.parse(realTrip!.start.at) + 10_000;
    const staleBreachMs = Date.parse(realBreach!.start.at) + 10_000;
    const staleTripId = `${trip.terminalId}/trip/${staleTripMs}`;
    const staleBreachId = `${breach.terminalId}/overspeed/${staleBreachMs}`;
    const copy = (table: 'trips' | 'violations', extra: string) =>
      `INSERT INTO ${table} SELECT (jsonb_populate_record(NULL::${table}, to_jsonb(t) || jsonb_build_object('id', $2::text, 'started_at', $3::timestamptz, 'status', 'open', 'ended_at', NULL, 'end_geom', NULL${extra}))).* FROM ${table} t WHERE t.id = $1`;
    await pool.query(copy('trips', ''), [realTrip!.id, staleTripId, new Date(staleTripMs).toISOString()]);
    await pool.query(copy('violations', ", 'version', 1"), [realBreach!.id, staleBreachId, new Date(staleBreachMs).toISOString()]);
    // That instance died before its first checkpoint of these trucks.
    await pool.query(`DELETE FROM compliance_checkpoints WHERE terminal_id = ANY($1)`, [[trip.terminalId, breach.terminalId]]);
    expect((await tripsSinceStart()).map((t) => t.id).sort()).toEqual([realTrip!.id, staleTripId].sort());

    const socket: Socket = io(`${api.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], auth: { token: dispatcher.token } });
    const retracted: string[] = [];
    socket.on(ComplianceLiveEvent.ViolationClosed, (v: Violation & { retracted?: boolean }) => v.retracted && retracted.push(v.id));
    try {
      await waitFor(() => socket.connected, 10_000, 'socket connected');
      const before = await health();
      process.kill(before.compliance.pid!, 'SIGKILL');
      await waitFor(async () => (await health()).compliance.pid !== before.compliance.pid, 10_000, 'the engines process gone');
      // The next batch starts a new engines process, which rebuilds every terminal first.
      const nudge = buildScenario('unregistered_terminal', { startMs: Date.now(), variant: 7 });
      await publishScenario({ ...nudge, fixes: nudge.fixes.slice(0, 1) }, { url: mqttUrl });
      let trips: TripPage['items'] = [];
      await waitFor(async () => (trips = await tripsSinceStart()).length === 1, 30_000, 'the stale trip gone').catch(() => undefined);
      expect(trips.map((t) => [t.id, t.status])).toEqual([[realTrip!.id, 'closed']]);
      expect((await breachesSinceStart()).map((v) => v.id)).toEqual([realBreach!.id]);
      await waitFor(() => retracted.includes(staleBreachId), 10_000, 'the stale episode retracted on the socket');
      expect(retracted).toEqual([staleBreachId]);
    } finally {
      socket.close();
    }
  });
});
