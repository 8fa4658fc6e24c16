import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ComplianceLiveEvent, type HealthResponse, LIVE_NAMESPACE, type TripPage, type TruckPosition, type Violation, type ViolationPage } from '@muckwatch/contracts';
import { buildScenario, publishScenario } from '@muckwatch/fleet';
import { demoRegistry } from '@muckwatch/linzi';
import fc from 'fast-check';
import pg from 'pg';
import { clusterChannel, partitionOf } from '@muckwatch/api';
import { type ApiClient, signInAdmin } from '../support/api-client.js';
import { startApiProcess, type ApiProcess } from '../support/api-process.js';
import { demoDatabase } from '../support/demo-database.js';
import { testApiEnv, uniqueTag, waitFor } from '../support/test-api.js';

const HOUR = 3_600_000;
const realServices = inject('databaseKind') === 'postgresql' && inject('brokerKind') === 'external';

/**
 * Two API processes on one PostgreSQL and one Mosquitto, as a deployment runs them: the broker
 * shares the terminals' messages between them (a `$share` subscription, message by message), so
 * every truck's fixes are split across both. Each instance evaluates only the terminals of the
 * compliance partitions it holds (PostgreSQL advisory locks), and the other hands it what it
 * stored; events cross over LISTEN/NOTIFY. Real services only: the embedded database and broker
 * are one process by construction.
 */
describe.skipIf(!realServices)('two API instances on one database and one broker', () => {
  let a: ApiProcess;
  let b: ApiProcess;
  let adminA: ApiClient;
  let adminB: ApiClient;
  let database: Awaited<ReturnType<typeof demoDatabase>>;
  let envOf: (instance: string) => Record<string, string>;
  let clusterName = '';
  const mqttUrl = inject('mqttUrl');
  const window = (): string => `from=${encodeURIComponent(new Date(Date.now() - 3 * 24 * HOUR).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 24 * HOUR).toISOString())}`;

  const health = async (api: ApiProcess): Promise<HealthResponse> => (await fetch(`${api.url}/api/health`)).json() as Promise<HealthResponse>;
  const violationsOf = async (client: ApiClient, terminalId: string): Promise<Violation[]> =>
    (await client.get<ViolationPage>(`/api/v1/violations?${window()}&pageSize=500`)).body.items.filter((v) => v.terminalId === terminalId);
  const tripsOf = async (client: ApiClient, plate: string): Promise<TripPage['items']> =>
    (await client.get<TripPage>(`/api/v1/trips?${window()}&plate=${encodeURIComponent(plate)}`)).body.items;
  /** Which of the two evaluates a terminal, by the partitions their health reports. */
  async function ownerOf(terminalId: string): Promise<'a' | 'b'> {
    const p = partitionOf(terminalId);
    if ((await health(a)).compliance.partitions?.includes(p)) return 'a';
    if ((await health(b)).compliance.partitions?.includes(p)) return 'b';
    throw new Error(`partition ${p} of ${terminalId} is nobody's`);
  }
  async function balanced(): Promise<boolean> {
    const [pa, pb] = [(await health(a)).compliance.partitions ?? [], (await health(b)).compliance.partitions ?? []];
    return pa.length === 16 && pb.length === 16 && pa.every((p) => !pb.includes(p));
  }

  beforeAll(async () => {
    database = await demoDatabase();
    const tag = uniqueTag();
    clusterName = `two-${tag}`;
    const shared = testApiEnv({ SEED_DEMO: 'true', FIX_MAX_FUTURE_SECONDS: '7200', ...database.env, CLUSTER_NAME: `two-${tag}`, INGEST_SHARE_GROUP: `two-${tag}`, INGEST_CONNECTIONS: '2', COMPLIANCE_TICK_SECONDS: '2' });
    envOf = (instance) => ({ ...shared, INSTANCE_ID: instance, INGEST_CLIENT_ID_PREFIX: `two-${tag}-${instance}` });
    // Both at once on a fresh database: the migrations run once (an advisory lock), the other waits.
    [a, b] = await Promise.all([startApiProcess(envOf('a')), startApiProcess(envOf('b'))]);
    adminA = await signInAdmin(a);
    adminB = await signInAdmin(b);
    await waitFor(balanced, 30_000, 'the 32 partitions shared 16 and 16', 500);
  }, 180_000);

  afterAll(async () => {
    await a?.stop().catch(() => undefined);
    await b?.stop().catch(() => undefined);
    await database?.drop();
  });

  it('splits the terminals between them, each partition held by exactly one', async () => {
    const [ha, hb] = [await health(a), await health(b)];
    expect(ha.cluster).toMatchObject({ status: 'ok', instanceId: 'a', listening: true });
    expect(hb.cluster).toMatchObject({ status: 'ok', instanceId: 'b', listening: true });
    expect([...ha.compliance.partitions!, ...hb.compliance.partitions!].sort((x, y) => x - y)).toEqual(Array.from({ length: 32 }, (_, i) => i));
  });

  it('one truck’s trip, its fixes split across both instances, is exactly one trip, and a violation is one episode, announced on both consoles', async () => {
    const sockets: Socket[] = [a, b].map((api, i) => io(`${api.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], auth: { token: [adminA, adminB][i]!.token } }));
    const alarms: Violation[][] = [[], []];
    const retracted: string[][] = [[], []];
    const positions: string[][] = [[], []];
    sockets.forEach((s, i) => {
      s.on(ComplianceLiveEvent.ViolationOpened, (v: Violation) => alarms[i]!.push(v));
      s.on(ComplianceLiveEvent.ViolationClosed, (v: Violation & { retracted?: boolean }) => v.retracted && retracted[i]!.push(v.id));
      s.on('positions', (ps: TruckPosition[]) => positions[i]!.push(...ps.map((p) => p.terminalId)));
    });
    try {
      await waitFor(() => sockets.every((s) => s.connected), 10_000, 'both consoles connected');
      const trip = buildScenario('clean_trip', { startMs: Date.now() });
      const breach = buildScenario('overspeed', { startMs: Date.now() });
      await Promise.all([publishScenario(trip, { url: mqttUrl }), publishScenario(breach, { url: mqttUrl })]);

      let trips: TripPage['items'] = [];
      await waitFor(async () => (trips = await tripsOf(adminA, trip.plate!)).some((t) => t.status === 'closed'), 60_000, 'the clean trip closed');
      expect(trips).toHaveLength(1);
      expect(trips[0]).toMatchObject({ status: 'closed', terminalId: trip.terminalId });
      expect(await violationsOf(adminB, trip.terminalId)).toEqual([]);
      // The broker did split the fixes: both instances stored some, and each handed the other its share.
      for (const api of [a, b]) {
        expect(await api.metric('muckwatch_ingest_fixes_total')).toBeGreaterThan(0);
        expect(await api.metric('muckwatch_cluster_events_total')).toBeGreaterThan(0);
      }

      let found: Violation[] = [];
      await waitFor(async () => (found = await violationsOf(adminB, breach.terminalId)).some((v) => v.type === 'overspeed'), 60_000, 'the overspeed episode');
      expect(found.filter((v) => v.type === 'overspeed')).toHaveLength(1);
      // Announced by the one instance that evaluated it, and heard once on the consoles of both: no
      // id twice (two evaluators would each announce it). Half the fixes reach the evaluator late,
      // through the other instance, so an episode it announced from the later half may be superseded
      // by the replay's, which starts at an earlier fix: the stored one is announced too, the other
      // is gone from the database (retracted on the socket while it was open).
      const stored = found.find((v) => v.type === 'overspeed')!;
      await waitFor(() => alarms.every((list) => list.some((v) => v.id === stored.id)), 10_000, 'the stored episode’s alarm on both consoles');
      for (const list of alarms) {
        const ids = list.filter((v) => v.terminalId === breach.terminalId && v.type === 'overspeed').map((v) => v.id);
        expect(new Set(ids).size, 'no episode announced twice').toBe(ids.length);
      }
      expect(retracted.length).toBe(2);
      // Each console sees the trucks whose fixes the other instance stored.
      for (const seen of positions) expect(seen).toEqual(expect.arrayContaining([trip.terminalId, breach.terminalId]));
    } finally {
      for (const s of sockets) s.close();
    }
  });

  it('a registry edit on one instance changes the verdicts of the other', async () => {
    const scenario = buildScenario('unregistered_terminal', { startMs: Date.now() });
    await publishScenario(scenario, { url: mqttUrl });
    const evaluator = await ownerOf(scenario.terminalId);
    const [editor, reader] = evaluator === 'a' ? [adminB, adminA] : [adminA, adminB];
    await waitFor(async () => (await violationsOf(reader, scenario.terminalId)).some((v) => v.type === 'unregistered_terminal' && v.status === 'open'), 60_000, 'the unregistered-terminal episode open');
    // Bound on the instance that does not evaluate the terminal: the evaluator must hear of it.
    const truck = demoRegistry.trucks.find((t) => demoRegistry.terminals.some((x) => x.truckId === t.id && !x.bound))!;
    expect((await editor.post('/api/v1/terminals', { terminalId: scenario.terminalId })).status).toBe(201);
    expect((await editor.put(`/api/v1/terminals/${scenario.terminalId}/binding`, { truckId: truck.id })).status).toBe(200);
    const lastFix = scenario.fixes[scenario.fixes.length - 1]!;
    let n = 0;
    await waitFor(async () => {
      n += 1;
      await publishScenario({ ...scenario, fixes: [{ ...lastFix, ts: Number(lastFix.ts) + n * 10_000 }] }, { url: mqttUrl });
      return (await violationsOf(reader, scenario.terminalId)).find((v) => v.type === 'unregistered_terminal')?.status === 'closed';
    }, 30_000, 'the episode closed after the binding made on the other instance', 1000);
  });

  it('shrugs off whatever else arrives on its channel (malformed, lying parts, unknown events) and keeps hearing the other instance', async () => {
    const db = new pg.Client({ connectionString: database.env['DATABASE_URL'] });
    await db.connect();
    try {
      const hostile = fc.sample(
        fc.oneof(
          fc.string({ maxLength: 7000 }),
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.record({ f: fc.string(), s: fc.nat(), n: fc.constantFrom('registry.changed', 'live.positions', 'trip.closed', 'nope'), p: fc.jsonValue() }).map((v) => JSON.stringify(v)),
          fc.record({ f: fc.string(), s: fc.nat(), i: fc.integer({ min: -1, max: 600 }), k: fc.integer({ min: -1, max: 600 }), d: fc.string() }).map((v) => JSON.stringify(v)),
        ),
        { seed: Number(process.env['FUZZ_SEED'] ?? 20261206), numRuns: Number(process.env['FUZZ_RUNS'] ?? 300) },
      );
      for (let i = 0; i < hostile.length; i += 50) {
        await db.query(`SELECT pg_notify($1, m) FROM unnest($2::text[]) AS t(m)`, [clusterChannel(clusterName), hostile.slice(i, i + 50)]);
      }
    } finally {
      await db.end();
    }
    for (const api of [a, b]) expect((await health(api)).status).toBe('ok');
    // Still one system: signed in through b, the console is signed in on a too (one signing key),
    // and when the session ends through b, a hears of it and closes the console's socket.
    const socket = io(`${a.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], auth: { token: adminB.token } });
    try {
      await waitFor(() => socket.connected, 10_000, 'console signed in through b connected to a');
      const ended = new Promise<void>((resolve) => socket.on('disconnect', () => resolve()));
      expect((await adminB.post('/api/v1/auth/logout', {})).status).toBeLessThan(300);
      await ended;
    } finally {
      socket.close();
    }
    adminB = await signInAdmin(b);
  });

  it('the clock runs once: a truck gone silent mid-trip is offline in one episode, announced once, however many times both instances tick', async () => {
    // A loaded drive that stopped reporting more than ten minutes ago (the scenario's fixes before its silence).
    const silence = (fixes: Array<{ ts: unknown }>): number => fixes.findIndex((f, i) => i + 1 < fixes.length && Number(fixes[i + 1]!.ts) - Number(f.ts) > 10 * 60_000);
    const probe = buildScenario('terminal_offline', { startMs: Date.now() - HOUR });
    const driven = Number(probe.fixes[silence(probe.fixes)]!.ts) - Number(probe.fixes[0]!.ts);
    const scenario = buildScenario('terminal_offline', { startMs: Date.now() - driven - 11 * 60_000 });
    const beforeSilence = scenario.fixes.slice(0, silence(scenario.fixes) + 1);
    expect(beforeSilence.length).toBeGreaterThan(10);
    const sockets: Socket[] = [a, b].map((api, i) => io(`${api.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], auth: { token: [adminA, adminB][i]!.token } }));
    const heard: string[][] = [[], []];
    sockets.forEach((s, i) => s.on(ComplianceLiveEvent.ViolationOpened, (v: Violation) => v.terminalId === scenario.terminalId && v.type === 'terminal_offline' && heard[i]!.push(v.id)));
    try {
      await waitFor(() => sockets.every((s) => s.connected), 10_000, 'both consoles connected');
      await publishScenario({ ...scenario, fixes: beforeSilence }, { url: mqttUrl });
      let offline: Violation[] = [];
      await waitFor(async () => (offline = (await violationsOf(adminA, scenario.terminalId)).filter((v) => v.type === 'terminal_offline')).length > 0, 60_000, 'the offline episode');
      // Both instances tick every 2 s; ten ticks on, still one episode, heard once on each console.
      await new Promise((resolve) => setTimeout(resolve, 20_000));
      offline = (await violationsOf(adminB, scenario.terminalId)).filter((v) => v.type === 'terminal_offline');
      expect(offline).toHaveLength(1);
      expect(offline[0]).toMatchObject({ status: 'open' });
      for (const ids of heard) expect(ids).toEqual([offline[0]!.id]);
    } finally {
      for (const s of sockets) s.close();
    }
  });

  it('SIGKILL one instance mid-trip: the other takes its partitions and the trip ends as one, nothing lost or doubled', async () => {
    const trip = buildScenario('clean_trip', { startMs: Date.now(), variant: 1 });
    const cut = Math.floor(trip.fixes.length * 0.5);
    await publishScenario({ ...trip, fixes: trip.fixes.slice(0, cut) }, { url: mqttUrl });
    await waitFor(async () => (await tripsOf(adminA, trip.plate!)).some((t) => t.status === 'open'), 60_000, 'the trip open');
    const victim = await ownerOf(trip.terminalId);
    const [dead, survivor, survivorAdmin] = victim === 'a' ? [a, b, adminB] : [b, a, adminA];
    await dead.kill();
    await waitFor(async () => (await health(survivor)).compliance.partitions?.length === 32, 30_000, 'the survivor holds every partition', 500);
    await publishScenario({ ...trip, fixes: trip.fixes.slice(cut) }, { url: mqttUrl });
    let trips: TripPage['items'] = [];
    await waitFor(async () => (trips = await tripsOf(survivorAdmin, trip.plate!)).some((t) => t.status === 'closed'), 60_000, 'the trip closed by the survivor');
    expect(trips).toHaveLength(1);
    expect(trips[0]).toMatchObject({ status: 'closed', terminalId: trip.terminalId });
    expect(await violationsOf(survivorAdmin, trip.terminalId)).toEqual([]);
    // The killed instance comes back (its MQTT session holds what it had received) and takes its share again.
    const restarted = await startApiProcess(envOf(victim));
    if (victim === 'a') a = restarted;
    else b = restarted;
    await waitFor(balanced, 30_000, 'the partitions shared again', 500);
  });
});
