/**
 * JT/T 808 ingest benchmark: `npm run bench:jt808 -- [flags]`. One run measures, on this machine:
 *   1. a do-nothing TCP ceiling: tests/bench/jt808-null-server.ts (its own process) answers every
 *      frame with 0x8001 at once and stores nothing;
 *   2. the real door: the API (in this process, apps/api/src/jt808/) on a fresh PostgreSQL database
 *      with `--connections` registry terminals (protocol jt808-2019, auth-code hashes inserted
 *      straight into jt808_auth_codes); 0x8001 follows the commit, so answered = committed;
 *   3. the MQTT figure beside it: tests/bench/ingest-bench.ts --skip-ceilings with as many messages
 *      as the door committed and as many terminals as connections.
 * Both JT/T 808 runs use the same load process (tests/bench/jt808-load.ts): one TCP connection per
 * terminal, authenticate, then `--window` unanswered 0x0200 per connection for `--duration` s.
 *
 *   --connections N  terminals and TCP connections (default 2000)
 *   --window N       unanswered reports per connection (default 4; the door pauses reading at 64)
 *   --duration S     seconds of reporting per run (default 30)
 *   --reports N      stop after N reports in all (default: only the duration)
 *   --skip-ceiling   no do-nothing TCP run
 *   --skip-mqtt      no MQTT ingest run
 *
 * Env: DATABASE_URL (server; the bench creates and drops `muckwatch_bench_jt808`, or
 * BENCH_JT808_DATABASE), MQTT_URL (else a Mosquitto of our configuration, tests/bench/bench-broker.ts),
 * MOSQUITTO_BIN. Results: a table on stdout and bench-results/jt808-<ts>.json.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs as parseCliArgs } from 'node:util';
import pg from 'pg';
import { APPLICATION_NAME, hashSecret, loadApiConfig, newSecret, startApi, type RunningApi } from '@muckwatch/api';
import { benchDir, fmt, forkWorker, machineInfo, printTable, repoRoot, saveResults, withDatabase } from './bench-common.js';
import { startBenchBroker, type BenchBroker } from './bench-broker.js';
import { type BudgetPart, childPids, cpuBetween, readCpu } from './cpu-budget.js';
import type { Jt808LoadConnected, Jt808LoadJob, Jt808LoadResult } from './jt808-load.js';

// ---------------------------------------------------------------------------------------- args
interface Params {
  connections: number;
  window: number;
  durationS: number;
  reports: number;
  skipCeiling: boolean;
  skipMqtt: boolean;
}

function bounded(flag: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${flag} needs an integer from ${min} to ${max}`);
  return value;
}

function parseArgs(argv: string[]): Params {
  const { values } = parseCliArgs({
    args: argv,
    strict: true,
    options: {
      connections: { type: 'string' },
      window: { type: 'string' },
      duration: { type: 'string' },
      reports: { type: 'string' },
      'skip-ceiling': { type: 'boolean', default: false },
      'skip-mqtt': { type: 'boolean', default: false },
    },
  });
  return {
    connections: bounded('connections', values.connections, 2000, 1, 20_000),
    window: bounded('window', values.window, 4, 1, 64),
    durationS: bounded('duration', values.duration, 30, 1, 3600),
    reports: bounded('reports', values.reports, 0, 0, 100_000_000),
    skipCeiling: values['skip-ceiling'],
    skipMqtt: values['skip-mqtt'],
  };
}

/** Fix times span 45 min before the run (tests/bench/bench-fixes.ts does the same): at most one report per terminal-second. */
const PER_TERMINAL_CAP = 45 * 60;
const ANSWER_TIMEOUT_MS = 60_000;

/** The soft limit on open files this process (and what it forks) has, read through a shell. */
function openFileLimit(): number {
  const out = execFileSync('bash', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
  return out === 'unlimited' ? Number.POSITIVE_INFINITY : Number(out);
}

type CpuBudget = Array<{ name: string; micros: number }>;

function perItem(parts: Array<{ name: string; ms: number }>, items: number): CpuBudget {
  const budget = parts.map(({ name, ms }) => ({ name, micros: items > 0 ? (ms * 1000) / items : 0 }));
  return [...budget, { name: 'total', micros: budget.reduce((sum, p) => sum + p.micros, 0) }];
}

// ------------------------------------------------------------------------------ one load run
interface LoadRun {
  connect: Jt808LoadConnected;
  load: Jt808LoadResult;
  /** First report sent → last 0x8001 received. */
  durationMs: number;
  answeredPerSecond: number;
}

/** Forks the load process, connects and authenticates every terminal, then reports; `during` runs beside the reporting. */
async function loadRun(
  job: Jt808LoadJob,
  parts: (loadPid: number) => BudgetPart[],
  items: (load: Jt808LoadResult) => Promise<number>,
): Promise<LoadRun & { cpu: CpuBudget; cpuMs: Array<{ name: string; ms: number }> }> {
  const worker = forkWorker('jt808-load.ts', 'jt808 load');
  try {
    const connectedMessage = worker.next('connected');
    worker.send({ type: 'start', ...job });
    const connect = (await connectedMessage) as unknown as Jt808LoadConnected;
    if (connect.authenticated < job.terminals.length) {
      throw new Error(`only ${connect.authenticated} of ${job.terminals.length} terminals authenticated: ${connect.failures.join('; ')}`);
    }
    const budget = parts(worker.pid);
    const before = await readCpu(budget);
    const done = worker.next('done');
    worker.send({ type: 'go' });
    const load = (await done) as unknown as Jt808LoadResult;
    const after = await readCpu(budget);
    const durationMs = Math.max(1, load.lastAnswerMs - load.firstSendMs);
    const cpuMs = cpuBetween(before, after);
    return { connect, load, durationMs, answeredPerSecond: (load.accepted / durationMs) * 1000, cpu: perItem(cpuMs, await items(load)), cpuMs };
  } finally {
    worker.stop();
  }
}

// ------------------------------------------------------------------------------ the MQTT figure
interface MqttFigure {
  messages: number;
  terminals: number;
  fixesPerSecond: number | null;
  complete: boolean | null;
  visibleP50Ms: number | null;
  visibleP99Ms: number | null;
  resultsFile: string | null;
  exitCode: number | null;
}

/** Runs tests/bench/ingest-bench.ts --skip-ceilings as a child and reads its results file. */
async function mqttFigure(messages: number, terminals: number): Promise<MqttFigure> {
  const child = spawn(
    process.execPath,
    ['--import', '@swc-node/register/esm-register', join(benchDir, 'ingest-bench.ts'), '--skip-ceilings', '--messages', String(messages), '--terminals', String(terminals)],
    {
      cwd: repoRoot,
      env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.json', BENCH_DATABASE: process.env['BENCH_JT808_MQTT_DATABASE'] ?? 'muckwatch_bench_jt808_mqtt' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
    process.stdout.write(chunk.replace(/^(?=.)/gm, '  [mqtt] '));
  });
  const exitCode = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const resultsFile = /^results: (.+)$/m.exec(out)?.[1]?.trim() ?? null;
  if (!resultsFile) return { messages, terminals, fixesPerSecond: null, complete: null, visibleP50Ms: null, visibleP99Ms: null, resultsFile, exitCode };
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as {
    ingest: { fixesPerSecond: number; complete: boolean; visibleLatency: { p50: number | null; p99: number | null } };
  };
  return {
    messages,
    terminals,
    fixesPerSecond: results.ingest.fixesPerSecond,
    complete: results.ingest.complete,
    visibleP50Ms: results.ingest.visibleLatency.p50,
    visibleP99Ms: results.ingest.visibleLatency.p99,
    resultsFile,
    exitCode,
  };
}

// ------------------------------------------------------------------------------------------- main
async function main(): Promise<number> {
  const params = parseArgs(process.argv.slice(2));
  const limit = openFileLimit();
  // Per process: this one holds the API's end of every connection, the load process the other end.
  const needed = params.connections + 1024;
  if (limit < needed) {
    console.error(`bench: open-file limit ${limit} is below the ${needed} this run needs; run it from a shell after \`ulimit -n 65536\` (or: bash -c 'ulimit -n 65536; exec npm run bench:jt808')`);
    return 2;
  }
  const tag = randomBytes(3).toString('hex');
  const serverUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const benchDb = process.env['BENCH_JT808_DATABASE'] ?? 'muckwatch_bench_jt808';
  if (!/^[a-z_][a-z0-9_]*$/.test(benchDb)) throw new Error('BENCH_JT808_DATABASE must be a plain lower-case identifier');
  const databaseUrl = withDatabase(serverUrl, benchDb);
  // Every terminal's fixes are one second apart, from 50 min ago (inside the ingest's age window).
  const baseMs = Math.floor((Date.now() - 50 * 60_000) / 1000) * 1000;

  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    console.error(`bench: PostgreSQL is not reachable at ${serverUrl} (${(error as Error).message}); set DATABASE_URL to a server with PostGIS.`);
    return 2;
  }
  const cleanups: Array<() => Promise<void>> = [];
  const cleanup = async (): Promise<void> => {
    for (const step of cleanups.splice(0).reverse()) await step().catch((e: Error) => console.error(`bench cleanup: ${e.message}`));
  };
  const onSignal = (): void => {
    console.error('bench: interrupted, cleaning up…');
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const pgVersion = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
    await admin.query(`DROP DATABASE IF EXISTS ${benchDb} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${benchDb}`);
    cleanups.push(async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${benchDb} WITH (FORCE)`);
      await admin.end();
    });
    const db = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    db.on('error', (error) => console.error(`bench pool: ${error.message}`));
    cleanups.push(() => db.end());
    await db.query('CREATE EXTENSION IF NOT EXISTS postgis');

    let brokerUrl = process.env['MQTT_URL'] ?? null;
    let broker: BenchBroker | null = null;
    if (!brokerUrl) {
      broker = await startBenchBroker(join(repoRoot, 'docker/mosquitto/mosquitto.conf'), process.env['MOSQUITTO_BIN'] ?? 'mosquitto');
      const b = broker;
      cleanups.push(() => b.stop());
      brokerUrl = broker.url;
    }
    console.log(`bench ${tag}: ${params.connections} JT/T 808 connections, window ${params.window}, ${params.durationS} s${params.reports ? ` or ${params.reports} reports` : ''}`);
    console.log(`  PostgreSQL ${pgVersion}, database ${benchDb}; broker ${brokerUrl}; open-file limit ${limit}`);

    // The terminals: phone numbers (SIM) and auth codes, the same for both runs.
    const terminals = Array.from({ length: params.connections }, (_, j) => ({
      terminalId: `J808${String(j).padStart(6, '0')}`,
      phone: `139${String(j).padStart(8, '0')}`,
      authCode: newSecret(),
    }));
    const job = (port: number): Jt808LoadJob => ({
      host: '127.0.0.1',
      port,
      terminals: terminals.map(({ phone, authCode }) => ({ phone, authCode })),
      window: params.window,
      durationMs: params.durationS * 1000,
      maxReports: params.reports,
      baseMs,
      perTerminalCap: PER_TERMINAL_CAP,
      answerTimeoutMs: ANSWER_TIMEOUT_MS,
    });

    // 1. The do-nothing TCP ceiling, before the API exists.
    let ceiling: (LoadRun & { cpu: CpuBudget }) | null = null;
    if (!params.skipCeiling) {
      const server = forkWorker('jt808-null-server.ts', 'jt808 null server');
      try {
        const listening = server.next('listening');
        server.send({ type: 'start' });
        const { port } = (await listening) as { port: number };
        ceiling = await loadRun(
          job(port),
          (loadPid) => [
            { name: 'load generator', pids: () => [loadPid] },
            { name: 'do-nothing server', pids: () => [server.pid] },
          ],
          async () => {
            const counted = server.next('count');
            server.send({ type: 'count' });
            return Number((await counted)['reports']);
          },
        );
        console.log(`  do-nothing TCP: ${ceiling.load.accepted}/${ceiling.load.sent} answered in ${ceiling.durationMs} ms → ${Math.round(ceiling.answeredPerSecond)} reports/s`);
      } finally {
        server.stop();
      }
    }

    // 2. The real door.
    await db.query('CHECKPOINT');
    const api: RunningApi = await startApi(
      loadApiConfig({
        DATABASE_URL: databaseUrl,
        MQTT_URL: brokerUrl,
        PORT: '0',
        LOG_LEVEL: 'warn',
        WEB_DIST: 'none',
        INGEST_CLIENT_ID_PREFIX: `bench808-${tag}`,
        INGEST_SHARE_GROUP: `bench808-${tag}`,
        JT808_HOST: '127.0.0.1',
        JT808_PORT: '0',
      }),
    );
    cleanups.push(() => api.close());
    const health = (await (await fetch(`${api.url}/api/health`)).json()) as { jt808: { port: number } | null };
    if (!health.jt808) throw new Error('the API has no JT/T 808 door (JT808_PORT=off?)');
    // Registry terminals and their codes, straight into the tables the door reads (migrations ran at start).
    const hashes = await Promise.all(terminals.map((t) => hashSecret(t.authCode)));
    await db.query(
      `INSERT INTO terminals (terminal_id, sim, maker, model, protocol) SELECT id, sim, 'BENCH', 'JT808', 'jt808-2019' FROM unnest($1::text[], $2::text[]) AS u(id, sim)`,
      [terminals.map((t) => t.terminalId), terminals.map((t) => t.phone)],
    );
    await db.query(`INSERT INTO jt808_auth_codes (terminal_id, code_hash, issued_via) SELECT id, h, 'admin' FROM unnest($1::text[], $2::text[]) AS u(id, h)`, [
      terminals.map((t) => t.terminalId),
      hashes,
    ]);
    const countJt808 = async (): Promise<number> => Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM positions WHERE source = 'jt808'`)).rows[0]!.n);
    const before = await countJt808();
    let rssPeak = 0;
    const rssTimer = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 250);
    let committed = 0;
    const door = await loadRun(
      job(health.jt808.port),
      (loadPid) => [
        { name: 'load generator', pids: () => [loadPid] },
        { name: 'API (bench process)', pids: () => [process.pid] },
        { name: 'API compliance engines process', pids: () => childPids(process.pid, 'engines-child') },
        {
          name: "PostgreSQL (the API's sessions)",
          pids: async () => (await db.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`, [APPLICATION_NAME])).rows.map((r) => r.pid),
        },
      ],
      async () => (committed = (await countJt808()) - before),
    );
    clearInterval(rssTimer);
    const rejections = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM rejections`)).rows[0]!.n);
    const apiCpuMs = door.cpuMs.find((p) => p.name === 'API (bench process)')?.ms ?? 0;
    const doorRun = {
      ...door,
      committed,
      committedPerSecond: (committed / door.durationMs) * 1000,
      rejections,
      apiRssPeakMiB: rssPeak / 2 ** 20,
      apiCpuPercentOfCore: (apiCpuMs / door.durationMs) * 100,
      apiCpuMicrosPerFix: committed > 0 ? (apiCpuMs * 1000) / committed : 0,
    };
    console.log(`  JT/T 808 door: ${committed} committed (${door.load.accepted}/${door.load.sent} answered) in ${door.durationMs} ms → ${Math.round(doorRun.committedPerSecond)} fixes/s`);
    await api.close();
    cleanups.pop();

    // 3. The MQTT figure, same size.
    const mqtt = params.skipMqtt ? null : await mqttFigure(Math.max(1000, committed), params.connections);
    if (mqtt) console.log(`  MQTT ingest: ${fmt(mqtt.fixesPerSecond)} fixes/s (${mqtt.messages} messages, ${mqtt.terminals} terminals)`);

    const machine = machineInfo();
    const at = new Date().toISOString();
    const results = {
      at,
      parameters: { ...params, tag, version: '2019', perTerminalCap: PER_TERMINAL_CAP, answerTimeoutMs: ANSWER_TIMEOUT_MS, doorLimits: 'API defaults (JT808_FRAMES_PER_SECOND 20, 64 pending reports per connection)' },
      machine: { ...machine, postgres: pgVersion },
      jt808Door: doorRun,
      doNothingTcp: ceiling,
      percentOfDoNothing: ceiling ? (doorRun.committedPerSecond / ceiling.answeredPerSecond) * 100 : null,
      mqtt,
      meaning: {
        committedPerSecond: "positions with source 'jt808' added by the run ÷ (first 0x0200 sent → last 0x8001 received); the door answers only after the commit.",
        latency: 'report → 0x8001: performance.now() in the load process from writing the 0x0200 to reading its 0x8001, every report.',
        mqtt: 'tests/bench/ingest-bench.ts --skip-ceilings: first publish → last fix committed, QoS 1, its own Mosquitto and database.',
      },
    };
    const file = saveResults('jt808', at, results);

    const load = doorRun.load;
    const rows: Array<[string, string, string]> = [
      [`JT/T 808 committed fixes/s (${params.connections} connections, window ${params.window})`, fmt(doorRun.committedPerSecond), ''],
      ['  committed / answered 0 / sent / refused / unanswered', `${committed} / ${load.accepted} / ${load.sent} / ${load.refused} / ${load.unanswered}`, 'all equal, 0, 0'],
      ['  rejections recorded', String(rejections), '0'],
      [`  report → 0x8001 p50 / p99 / max (ms, n=${load.latencyMs.samples})`, `${fmt(load.latencyMs.p50)} / ${fmt(load.latencyMs.p99)} / ${fmt(load.latencyMs.max)}`, ''],
      ['  API (bench process) peak RSS (MiB) / CPU (% of a core)', `${fmt(doorRun.apiRssPeakMiB)} / ${fmt(doorRun.apiCpuPercentOfCore)}`, ''],
      ['  CPU per fix (µs) of each process:', '', ''],
      ...doorRun.cpu.map((p): [string, string, string] => [`    ${p.name}`, fmt(p.micros, 1), '']),
      [`  connect + authenticate ${params.connections} terminals (ms)`, fmt(doorRun.connect.connectMs), ''],
      ...(ceiling
        ? ([
            ['do-nothing TCP reports/s (same load)', fmt(ceiling.answeredPerSecond), ''],
            [`  report → 0x8001 p50 / p99 (ms)`, `${fmt(ceiling.load.latencyMs.p50)} / ${fmt(ceiling.load.latencyMs.p99)}`, ''],
            [`  CPU per report (µs): ${ceiling.cpu.map((p) => `${p.name} ${fmt(p.micros, 1)}`).join(', ')}`, '', ''],
            ['JT/T 808 as % of do-nothing', `${fmt(results.percentOfDoNothing, 1)} %`, ''],
          ] as Array<[string, string, string]>)
        : []),
      ...(mqtt
        ? ([
            [`MQTT committed fixes/s (${mqtt.messages} messages, ${mqtt.terminals} terminals)`, fmt(mqtt.fixesPerSecond), ''],
            ['  MQTT publish → visible p50 / p99 (ms)', `${fmt(mqtt.visibleP50Ms)} / ${fmt(mqtt.visibleP99Ms)}`, ''],
          ] as Array<[string, string, string]>)
        : []),
    ];
    printTable(`muckwatch JT/T 808 bench — ${machine.cpus} CPUs (${machine.cpuModel ?? '?'}), Node ${process.version}, load average ${machine.loadavg.map((l) => l.toFixed(2)).join(' ')}`, rows);
    console.log(`\nresults: ${file}`);
    const lossless = committed === load.accepted && load.refused === 0 && load.unanswered === 0 && rejections === 0;
    if (!lossless) console.error(`bench: NOT LOSSLESS: committed ${committed}, answered ${load.accepted}, refused ${load.refused}, unanswered ${load.unanswered}, rejections ${rejections}`);
    return lossless && (mqtt === null || mqtt.exitCode === 0) ? 0 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('bench failed:', error);
    process.exit(1);
  },
);
