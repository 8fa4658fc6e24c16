/**
 * Several API instances on one machine: `npm run bench:cluster -- [flags]`. One run measures, each
 * on a fresh database and with the same traffic (tests/bench/bench-fixes.ts: `--messages` single-fix
 * QoS 1 messages of `--terminals` terminals, none of them registered, so each opens an
 * unregistered-terminal episode — compliance work as well as ingest):
 *   1. the do-nothing ceiling: subscribers in a `$share` group that only count (tests/bench/ceiling.ts);
 *   2. one API process;
 *   3. `--instances` API processes (default 2) on the same database, broker, share group and
 *      CLUSTER_NAME: the broker shares the messages between them, the compliance partitions are
 *      shared out by advisory locks (docs/scaling.md).
 * For 2 and 3: committed fixes/s (first publish → every fix stored) and publish→alarm latency: every
 * 250 ms during the run a probe publishes one fix of a terminal never seen before; the engine that
 * owns it opens an unregistered-terminal episode and a console connected to the FIRST instance times
 * the alarm (with several instances most alarms cross from another instance over LISTEN/NOTIFY).
 * Also the CPU time of each process per stored fix, and each API process's memory at the end.
 *
 *   --messages N     (default 60000)   --terminals N (default 2000)   --instances N (default 2)
 *   --publishers N   (default 4)       --window N (default 100)       --connections N per instance (default 4)
 *
 * Env: DATABASE_URL (server; the bench creates and drops a `muckwatch_bench_cluster_<tag>` per run),
 * MOSQUITTO_BIN (the bench runs a Mosquitto of our configuration, tests/bench/bench-broker.ts).
 * Results: a table on stdout and bench-results/cluster-<ts>.json.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs as parseCliArgs } from 'node:util';
import mqtt from 'mqtt';
import pg from 'pg';
import { io } from 'socket.io-client';
import { ComplianceLiveEvent, LIVE_NAMESPACE, type HealthResponse, type TokenResponse, type Violation, telemetryTopic } from '@muckwatch/contracts';
import { type BenchBroker, freePort, startBenchBroker } from './bench-broker.js';
import { planFor, type BenchPlan } from './bench-fixes.js';
import { doNothingCeiling, startPublisher, type SubscriberCeiling } from './ceiling.js';
import { fmt, freshDatabase, machineInfo, percentile, printTable, repoRoot, rssMiB, saveResults, sleep, spawnTs, stopProcess } from './bench-common.js';
import { type BudgetPart, childPids, cpuBetween, readCpu } from './cpu-budget.js';

interface Params {
  messages: number;
  terminals: number;
  instances: number;
  publishers: number;
  window: number;
  connections: number;
}

function parseArgs(argv: string[]): Params {
  const { values } = parseCliArgs({
    args: argv.filter((a) => a !== '--'),
    strict: true,
    options: {
      messages: { type: 'string' },
      terminals: { type: 'string' },
      instances: { type: 'string' },
      publishers: { type: 'string' },
      window: { type: 'string' },
      connections: { type: 'string' },
    },
  });
  const int = (flag: string, raw: string | undefined, fallback: number, max: number): number => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${flag} needs an integer from 1 to ${max}`);
    return n;
  };
  return {
    messages: int('messages', values.messages, 60_000, 10_000_000),
    terminals: int('terminals', values.terminals, 2_000, 100_000),
    instances: int('instances', values.instances, 2, 8),
    publishers: int('publishers', values.publishers, 4, 64),
    window: int('window', values.window, 100, 1_000),
    connections: int('connections', values.connections, 4, 64),
  };
}

const ADMIN = { username: 'bench-admin', password: 'Bench-cluster-2026!' };

interface ApiProc {
  name: string;
  url: string;
  child: ChildProcess;
  output: () => string;
}

async function startInstance(name: string, env: Record<string, string>): Promise<ApiProc> {
  const port = await freePort();
  const { child, output } = spawnTs(['apps/api/src/main.ts'], { ...env, PORT: String(port), INSTANCE_ID: name });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`API ${name} exited: ${output().slice(-2000)}`);
    const ok = await fetch(`${url}/api/health`).then((r) => r.status === 200, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`API ${name} not healthy within 90 s: ${output().slice(-2000)}`);
    await sleep(250);
  }
  return { name, url, child, output };
}

const health = async (api: ApiProc): Promise<HealthResponse> => (await fetch(`${api.url}/api/health`)).json() as Promise<HealthResponse>;
interface ClusterRun {
  instances: number;
  stored: number;
  durationMs: number;
  fixesPerSecond: number;
  alarms: { probes: number; heard: number; p50: number | null; p99: number | null; max: number | null };
  /** Probes whose alarm never came: whether their fix was stored and their episode written. */
  unheard: Array<{ id: string; stored: boolean; episode: boolean }>;
  cpuMicrosPerFix: Array<{ name: string; micros: number }>;
  rssMiBAtEnd: Array<{ name: string; mib: number | null }>;
  partitions: number[][];
}

async function clusterRun(serverUrl: string, broker: BenchBroker, plan: BenchPlan, params: Params, instances: number): Promise<ClusterRun> {
  const tag = randomBytes(3).toString('hex');
  const database = await freshDatabase(serverUrl, 'muckwatch_bench_cluster');
  const databaseUrl = database.url;
  const env = {
    DATABASE_URL: databaseUrl,
    MQTT_URL: broker.url,
    LOG_LEVEL: 'warn',
    WEB_DIST: 'none',
    JT808_PORT: '0',
    INGEST_CONNECTIONS: String(params.connections),
    INGEST_SHARED_SUBSCRIPTION: 'true',
    INGEST_SHARE_GROUP: `bench-cluster-${tag}`,
    CLUSTER_NAME: `bench-${tag}`,
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    MONTH_CLOSE_MINUTES: '0',
    REPLAY_OVERVIEW_MINUTES: '0',
    LOGIN_RATE_PER_MINUTE: '1000',
  };
  const apis: ApiProc[] = [];
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  try {
    // One after the other: the first runs the migrations.
    for (let n = 0; n < instances; n += 1) apis.push(await startInstance(`bench${n + 1}`, { ...env, INGEST_CLIENT_ID_PREFIX: `bench-cluster-${tag}-${n + 1}` }));
    const deadline = Date.now() + 60_000;
    for (;;) {
      const states = await Promise.all(apis.map(health));
      const subscribed = states.every((h) => h.broker.connectedSubscribers === h.broker.expectedSubscribers);
      const held = states.map((h) => h.compliance.partitions?.length ?? 0);
      if (subscribed && held.reduce((a, b) => a + b, 0) === 32 && Math.max(...held) <= Math.ceil(32 / instances)) break;
      if (Date.now() > deadline) throw new Error(`instances not subscribed and balanced within 60 s: ${JSON.stringify(states.map((h) => h.compliance))}`);
      await sleep(250);
    }
    const partitions = (await Promise.all(apis.map(health))).map((h) => h.compliance.partitions ?? []);

    // A console on the first instance, and the probe terminal's connection.
    const login = await fetch(`${apis[0]!.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
    const { accessToken } = (await login.json()) as TokenResponse;
    const socket = io(`${apis[0]!.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], auth: { token: accessToken } });
    const heardAt = new Map<string, number>();
    socket.on(ComplianceLiveEvent.ViolationOpened, (v: Violation) => {
      if (v.terminalId.startsWith('PROBE') && !heardAt.has(v.terminalId)) heardAt.set(v.terminalId, Date.now());
    });
    const probe = await mqtt.connectAsync(broker.url, { clientId: `bench-probe-${tag}`, clean: true, reconnectPeriod: 0 });
    const sentAt = new Map<string, number>();
    let probing = true;
    const prober = (async () => {
      for (let i = 0; probing; i += 1) {
        const terminalId = `PROBE${tag}${String(i).padStart(5, '0')}`;
        const now = Date.now();
        sentAt.set(terminalId, now);
        await probe.publishAsync(telemetryTopic(terminalId), JSON.stringify({ ts: new Date(now).toISOString(), lat: 36.81, lon: 118.31, speedKmh: 20, headingDeg: 90, satellites: 9, hdop: 0.9 }), { qos: 1 });
        await sleep(250);
      }
    })();

    const publisher = await startPublisher({ url: broker.url, plan, publishers: params.publishers, window: params.window, clientIdPrefix: `bench-pub-cluster-${tag}` });
    const parts: BudgetPart[] = [
      { name: 'publisher', pids: () => [publisher.pid] },
      { name: 'broker', pids: () => [broker.pid] },
      ...apis.map((api) => ({ name: `API ${api.name}`, pids: () => [api.child.pid!] })),
      ...apis.map((api) => ({ name: `API ${api.name} engines`, pids: () => childPids(api.child.pid!, 'engines-child') })),
      {
        name: 'PostgreSQL (the APIs’ sessions)',
        pids: async () => (await db.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'muckwatch%'`)).rows.map((r) => r.pid),
      },
    ];
    const before = await readCpu(parts);
    const published = publisher.go();
    let stored = 0;
    let doneAt = Date.now();
    const until = Date.now() + Math.max(180_000, plan.messages * 2);
    while (Date.now() < until) {
      const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM positions WHERE terminal_id LIKE 'BENCH%'`);
      stored = Number(rows[0]!.n);
      doneAt = Date.now();
      if (stored >= plan.messages) break;
      await sleep(stored > plan.messages * 0.95 ? 50 : 500);
    }
    const pub = await published;
    const after = await readCpu(parts);
    probing = false;
    await prober;
    // Every probe's alarm is awaited (30 s at most): one that never comes is a lost alarm, reported.
    const waitUntil = Date.now() + 30_000;
    while (heardAt.size < sentAt.size && Date.now() < waitUntil) await sleep(100);
    socket.close();
    await probe.endAsync();
    publisher.stop();
    const latencies = [...heardAt].map(([id, at]) => at - sentAt.get(id)!).sort((a, b) => a - b);
    // An alarm not heard: was its fix stored, its episode written (then the announcement was lost), or neither?
    const unheard = [...sentAt.keys()].filter((id) => !heardAt.has(id));
    const { rows: unheardRows } = await db.query<{ id: string; stored: boolean; episode: boolean }>(
      `SELECT t AS id, EXISTS (SELECT 1 FROM positions p WHERE p.terminal_id = t) AS stored,
              EXISTS (SELECT 1 FROM violations v WHERE v.terminal_id = t) AS episode
         FROM unnest($1::text[]) AS t`,
      [unheard],
    );
    const durationMs = doneAt - pub.firstPubMs;
    const cpu = cpuBetween(before, after);
    return {
      instances,
      stored,
      durationMs,
      fixesPerSecond: (stored / durationMs) * 1000,
      unheard: unheardRows,
      alarms: { probes: sentAt.size, heard: latencies.length, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), max: latencies.at(-1) ?? null },
      cpuMicrosPerFix: cpu.map(({ name, ms }) => ({ name, micros: stored > 0 ? (ms * 1000) / stored : 0 })),
      rssMiBAtEnd: apis.map((api) => ({ name: api.name, mib: rssMiB(api.child.pid) })),
      partitions,
    };
  } finally {
    if (process.env['BENCH_SHOW_LOGS']) for (const api of apis) console.log(`--- ${api.name} log (tail)\n${api.output().split('\n').filter((l) => /"level":(40|50|60)/.test(l)).slice(-30).join('\n')}`);
    await Promise.all(apis.map((api) => stopProcess(api.child)));
    await db.end();
    await database.drop();
  }
}

async function main(): Promise<number> {
  const params = parseArgs(process.argv.slice(2));
  const serverUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const machine = machineInfo();
  // A Mosquitto of our configuration, of its own: its CPU is counted, and nothing else shares it.
  const broker: BenchBroker = await startBenchBroker(join(repoRoot, 'docker/mosquitto/mosquitto.conf'), process.env['MOSQUITTO_BIN'] ?? 'mosquitto');
  try {
    const plan = planFor(params.messages, params.terminals);
    const ceiling: SubscriberCeiling = await doNothingCeiling(broker, plan, params, params.connections * params.instances, true, randomBytes(3).toString('hex'));
    const one = await clusterRun(serverUrl, broker, planFor(params.messages, params.terminals), params, 1);
    const several = await clusterRun(serverUrl, broker, planFor(params.messages, params.terminals), params, params.instances);
    const at = new Date().toISOString();
    const file = saveResults('cluster', at, { at, machine, params, ceiling, runs: [one, several] });
    const row = (r: ClusterRun): Array<[string, string, string]> => [
      [`${r.instances} instance(s): committed fixes/s`, fmt(r.fixesPerSecond), `${fmt(r.stored)} stored in ${fmt(r.durationMs / 1000, 1)} s`],
      [`  publish→alarm on the first instance's console p50 / p99 / max (ms)`, `${fmt(r.alarms.p50)} / ${fmt(r.alarms.p99)} / ${fmt(r.alarms.max)}`, `${r.alarms.heard} of ${r.alarms.probes} probes heard`],
      [`  CPU per fix (µs)`, fmt(r.cpuMicrosPerFix.reduce((s, p) => s + p.micros, 0), 1), r.cpuMicrosPerFix.map((p) => `${p.name} ${fmt(p.micros, 1)}`).join(', ')],
      [`  alarms not heard within 30 s: fix stored / episode written`, String(r.unheard.length), r.unheard.map((u) => `${u.id}: ${u.stored ? 'stored' : 'not stored'} / ${u.episode ? 'episode' : 'no episode'}`).join('; ')],
      [`  API memory at the end (MiB)`, r.rssMiBAtEnd.map((m) => fmt(m.mib)).join(' / '), `partitions held: ${r.partitions.map((p) => p.length).join(' / ')}`],
    ];
    printTable(`muckwatch cluster bench — ${machine.cpus} CPUs (${machine.cpuModel ?? '?'}), load ${machine.loadavg.map((l) => l.toFixed(2)).join(' ')}`, [
      ['do-nothing ceiling (msg/s)', fmt(ceiling.messagesPerSecond), ceiling.arrangement],
      ...row(one),
      ...row(several),
    ]);
    console.log(`results: ${file}`);
    return one.stored >= params.messages && several.stored >= params.messages ? 0 : 1;
  } finally {
    await broker.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('bench failed:', error);
    process.exit(1);
  },
);
