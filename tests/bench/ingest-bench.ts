/**
 * Ingest benchmark against a real Mosquitto and PostgreSQL: `npm run bench -- [flags]`.
 *
 *   --messages N     single-fix QoS 1 messages (default 100000)
 *   --connections N  ingest subscriber connections (INGEST_CONNECTIONS, default 4; env BENCH_CONNECTIONS)
 *   --publishers N   publisher connections in the separate publisher process (default 4)
 *   --terminals N    distinct terminal ids (default 2000)
 *   --window N       unacknowledged publishes per publisher connection (default 100)
 *   --skip-ceilings  only the ingest run
 *
 * Env: DATABASE_URL (server to use; the bench creates and drops its own database `muckwatch_bench`,
 * or BENCH_DATABASE), MOSQUITTO_BIN. Results: a table on stdout and bench-results/ingest-<ts>.json.
 */
import { parseArgs as parseCliArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { APPLICATION_NAME, loadApiConfig, startApi, type RunningApi } from '@muckwatch/api';
import { startBenchBroker, type BenchBroker } from './bench-broker.js';
import { type BudgetPart, type CpuReading, childPids, cpuBetween, readCpu } from './cpu-budget.js';
import { benchFix, planFor, type BenchPlan } from './bench-fixes.js';
import { type CpuBudget, type SubscriberCeiling, doNothingCeiling, perItem, startPublisher } from './ceiling.js';
import type { PublisherResult } from './publisher.js';
import { fmt, machineInfo, metric, percentile, printTable, repoRoot, saveResults, sleep, withDatabase } from './bench-common.js';

// ---------------------------------------------------------------------------------------- args
interface Params {
  messages: number;
  connections: number;
  publishers: number;
  terminals: number;
  window: number;
  skipCeilings: boolean;
}

function positive(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${flag} needs a positive integer`);
  return value;
}

function parseArgs(argv: string[]): Params {
  const { values } = parseCliArgs({
    args: argv,
    strict: true,
    options: {
      messages: { type: 'string' },
      connections: { type: 'string' },
      publishers: { type: 'string' },
      terminals: { type: 'string' },
      window: { type: 'string' },
      'skip-ceilings': { type: 'boolean', default: false },
    },
  });
  const params: Params = {
    messages: positive('messages', values.messages, 100_000),
    connections: positive('connections', values.connections ?? process.env['BENCH_CONNECTIONS'], 4),
    publishers: positive('publishers', values.publishers, 4),
    terminals: positive('terminals', values.terminals, 2000),
    window: positive('window', values.window, 100),
    skipCeilings: values['skip-ceilings'],
  };
  if (params.connections > 1024) throw new Error('--connections: at most 1024');
  return params;
}

// ------------------------------------------------------------------------------------ ingest run
interface IngestRun {
  published: number;
  stored: number;
  rejections: number;
  flagged: number;
  duplicatesMetric: number | null;
  storedMetric: number | null;
  durationMs: number;
  fixesPerSecond: number;
  publisherMs: number;
  complete: boolean;
  visibleLatency: { samples: number; p50: number | null; p99: number | null; max: number | null; pollMs: number };
  receivedLatency: { p50: number | null; p99: number | null };
  commits: { count: number | null; meanBatchFixes: number | null; meanCommitMs: number | null };
  /** CPU time of the process running the API (user + system), per stored fix, over the run. */
  apiCpuMicrosPerFix: number;
  /** CPU µs per stored fix of each process, over the run. */
  cpuMicrosPerFix: CpuBudget;
}

async function ingestRun(
  api: RunningApi,
  broker: BenchBroker,
  db: pg.Pool,
  plan: BenchPlan,
  params: Params,
  tag: string,
): Promise<IngestRun> {
  // Latency sample: every fix of ~20 terminals (≈1%), seen by polling as a reader would. A poll
  // asks only for fixes after the end of the shortest unbroken run seen so far (fix time = base +
  // seq × step), so measuring costs the system under test little (it once cost PostgreSQL a
  // quarter of a core) and a fix committed out of order is still seen.
  const sampleEvery = Math.max(1, Math.floor(plan.terminals / 20));
  const sample: string[] = [];
  for (let j = 0; j < plan.terminals; j += sampleEvery) sample.push(benchFix(plan, j).terminalId);
  const seen = new Set<string>();
  const unbroken = new Map(sample.map((id) => [id, -1])); // highest seq with every seq ≤ it seen
  const latencies: number[] = [];
  const pollMs = 25;
  let polling = true;
  const sampler = (async () => {
    while (polling) {
      const started = Date.now();
      // One index scan per sampled terminal (terminal_id = ANY, fix_time > the earliest unbroken
      // run's end); rows already seen are skipped here.
      const afterMs = plan.baseMs + Math.min(...sample.map((id) => unbroken.get(id)!)) * plan.stepMs;
      const { rows } = await db.query<{ id: string; seq: string; pub: number }>(
        `SELECT terminal_id AS id, seq, (extra->>'pubMs')::float8 AS pub
           FROM positions WHERE terminal_id = ANY($1) AND fix_time > $2`,
        [sample, new Date(afterMs).toISOString()],
      );
      const visibleAt = Date.now();
      for (const row of rows) {
        if (seen.has(`${row.id}@${row.seq}`)) continue;
        seen.add(`${row.id}@${row.seq}`);
        latencies.push(visibleAt - row.pub);
      }
      for (const id of sample) {
        let k = unbroken.get(id)!;
        while (seen.has(`${id}@${k + 1}`)) k += 1;
        unbroken.set(id, k);
      }
      await sleep(Math.max(0, pollMs - (Date.now() - started)));
    }
  })();

  let stored = 0;
  let lastCountAt = 0;
  const publisher = await startPublisher({ url: broker.url, plan, publishers: params.publishers, window: params.window, clientIdPrefix: `bench-pub-ingest-${tag}` });
  // CPU of this process (the API runs in it): steadier than a rate on a machine shared with the
  // publisher, the broker and PostgreSQL. And of every other process the fixes go through.
  const parts: BudgetPart[] = [
    { name: 'publisher', pids: () => [publisher.pid] },
    { name: 'broker', pids: () => [broker.pid] },
    { name: 'API (bench process)', pids: () => [process.pid] },
    { name: 'API compliance engines process', pids: () => childPids(process.pid, 'engines-child') },
    {
      name: "PostgreSQL (the API's sessions)",
      pids: async () => (await db.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`, [APPLICATION_NAME])).rows.map((r) => r.pid),
    },
  ];
  const budgetBefore = await readCpu(parts);
  let budgetAfter: CpuReading | null = null;
  const cpuBefore = process.cpuUsage();
  let pub: PublisherResult | null = null;
  try {
    const publishing = publisher.go().then((r) => (pub = r));
    const deadline = Date.now() + Math.max(120_000, plan.messages); // ≥ 1 ms per message
    // Counting is a scan of the growing table: every 500 ms while far from done, every 50 ms for
    // the last 5 %, so the end is timed closely without the count competing with ingest.
    while (Date.now() < deadline) {
      const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM positions');
      lastCountAt = Date.now();
      stored = Number(rows[0]!.n);
      if (stored >= plan.messages) break;
      await sleep(stored >= plan.messages * 0.95 ? 50 : 500);
    }
    await Promise.race([publishing, sleep(10_000)]);
  } finally {
    budgetAfter = await readCpu(parts).catch(() => null);
    publisher.stop();
  }
  const cpu = process.cpuUsage(cpuBefore);
  // Let the sampler see the last rows, then stop it.
  await sleep(pollMs * 3);
  polling = false;
  await sampler;
  if (!pub) throw new Error('publisher did not finish');
  const { firstPubMs, lastAckMs, published } = pub as PublisherResult;

  const rejections = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM rejections')).rows[0]!.n);
  const flagged = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM positions WHERE quality <> '{}'`)).rows[0]!.n);
  const recv = await db.query<{ p50: number | null; p99: number | null }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY d) AS p99
       FROM (SELECT extract(epoch FROM received_at) * 1000 - (extra->>'pubMs')::float8 AS d FROM positions) x`,
  );
  const metrics = await (await fetch(`${api.url}/metrics`)).text();
  latencies.sort((a, b) => a - b);
  const commitCount = metric(metrics, 'muckwatch_ingest_commit_seconds_count');
  const commitSum = metric(metrics, 'muckwatch_ingest_commit_seconds_sum');
  const batchSum = metric(metrics, 'muckwatch_ingest_batch_fixes_sum');
  const durationMs = lastCountAt - firstPubMs;
  return {
    published,
    stored,
    rejections,
    flagged,
    storedMetric: metric(metrics, 'muckwatch_ingest_fixes_total', '{result="stored"}'),
    duplicatesMetric: metric(metrics, 'muckwatch_ingest_fixes_total', '{result="duplicate"}'),
    durationMs,
    fixesPerSecond: (stored / durationMs) * 1000,
    publisherMs: lastAckMs - firstPubMs,
    complete: stored === published && published === plan.messages,
    visibleLatency: { samples: latencies.length, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), max: latencies.at(-1) ?? null, pollMs },
    receivedLatency: { p50: recv.rows[0]!.p50, p99: recv.rows[0]!.p99 },
    apiCpuMicrosPerFix: stored > 0 ? (cpu.user + cpu.system) / stored : 0,
    cpuMicrosPerFix: budgetAfter ? perItem(cpuBetween(budgetBefore, budgetAfter), stored) : [],
    commits: {
      count: commitCount,
      meanBatchFixes: commitCount && batchSum !== null ? batchSum / commitCount : null,
      meanCommitMs: commitCount && commitSum !== null ? (commitSum / commitCount) * 1000 : null,
    },
  };
}

// ---------------------------------------------------------------------------------- raw SQL ceiling
interface SqlCeiling {
  method: string;
  rows: number;
  durationMs: number;
  rowsPerSecond: number;
}

/** The same rows as the ingest writes, INSERT … SELECT FROM unnest in batches of 10,000, one connection. */
async function rawSqlCeiling(db: pg.Pool, plan: BenchPlan): Promise<SqlCeiling> {
  await db.query('TRUNCATE positions');
  await db.query('CHECKPOINT');
  const batchSize = 10_000;
  const client = await db.connect();
  const receivedMs = Date.now();
  const started = performance.now();
  let rows = 0;
  try {
    for (let from = 0; from < plan.messages; from += batchSize) {
      const fixes = Array.from({ length: Math.min(batchSize, plan.messages - from) }, (_, d) => {
        const f = benchFix(plan, from + d);
        f.fix.pubMs = receivedMs;
        return f;
      });
      const result = await client.query(
        `INSERT INTO positions (terminal_id, fix_time, received_at, geom, speed_kmh, heading_deg, altitude_m,
           satellites, hdop, valid, ignition, mileage_km, seq, cover, body, load, load_t, sensors, control, extra, quality)
         SELECT t, ft, ra, ST_SetSRID(ST_MakePoint(lon, lat), 4326), sp, hd, NULL, sat, hdop, true, NULL, NULL, sq,
                NULL, NULL, NULL, NULL, NULL, NULL, ex::jsonb, string_to_array(qu, ',')
           FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::float8[], $5::float8[], $6::real[],
                       $7::real[], $8::smallint[], $9::real[], $10::bigint[], $11::text[], $12::text[])
             AS u(t, ft, ra, lon, lat, sp, hd, sat, hdop, sq, ex, qu)
         ON CONFLICT (terminal_id, fix_time) DO NOTHING`,
        [
          fixes.map((f) => f.terminalId),
          fixes.map((f) => new Date(f.fixTimeMs).toISOString()),
          fixes.map(() => new Date(receivedMs).toISOString()),
          fixes.map((f) => f.fix.lon),
          fixes.map((f) => f.fix.lat),
          fixes.map((f) => f.fix.speedKmh),
          fixes.map((f) => f.fix.headingDeg),
          fixes.map((f) => f.fix.satellites),
          fixes.map((f) => f.fix.hdop),
          fixes.map((f) => f.fix.seq),
          fixes.map((f) => JSON.stringify({ pubMs: f.fix.pubMs })),
          fixes.map(() => ''),
        ],
      );
      rows += result.rowCount ?? 0;
    }
  } finally {
    client.release();
  }
  const durationMs = performance.now() - started;
  return {
    method: 'INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING, batches of 10,000, 1 connection (pg-copy-streams not installed; rows built in Node, timed)',
    rows,
    durationMs,
    rowsPerSecond: (rows / durationMs) * 1000,
  };
}

// ------------------------------------------------------------------------------------------- main
async function main(): Promise<number> {
  const params = parseArgs(process.argv.slice(2));
  const tag = randomBytes(3).toString('hex');
  const serverUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const benchDb = process.env['BENCH_DATABASE'] ?? 'muckwatch_bench';
  if (!/^[a-z_][a-z0-9_]*$/.test(benchDb)) throw new Error('BENCH_DATABASE must be a plain lower-case identifier');
  const databaseUrl = withDatabase(serverUrl, benchDb);

  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    console.error(`bench: PostgreSQL is not reachable at ${serverUrl} (${(error as Error).message}).`);
    console.error('bench: the ingest bench needs a real PostgreSQL with PostGIS; set DATABASE_URL to its server.');
    return 2;
  }
  let broker: BenchBroker | null = null;
  let api: RunningApi | null = null;
  let db: pg.Pool | null = null;
  const cleanups: Array<() => Promise<void>> = [];
  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true;
    console.error('bench: interrupted, cleaning up…');
    void cleanup().finally(() => process.exit(130));
  };
  const cleanup = async (): Promise<void> => {
    for (const step of cleanups.splice(0).reverse()) await step().catch((e: Error) => console.error(`bench cleanup: ${e.message}`));
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
    db = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    const pool = db;
    // DROP DATABASE … WITH (FORCE) at the end ends any connection still open: not a crash.
    pool.on('error', (error) => console.error(`bench pool: ${error.message}`));
    cleanups.push(() => pool.end());
    try {
      await db.query('CREATE EXTENSION IF NOT EXISTS postgis');
    } catch (error) {
      console.error(`bench: cannot create the postgis extension in ${benchDb}: ${(error as Error).message}`);
      return 2;
    }
    const postgisVersion = (await db.query<{ v: string }>('SELECT postgis_lib_version() AS v')).rows[0]!.v;

    try {
      broker = await startBenchBroker(join(repoRoot, 'docker/mosquitto/mosquitto.conf'), process.env['MOSQUITTO_BIN'] ?? 'mosquitto');
    } catch (error) {
      console.error(`bench: cannot start Mosquitto (${(error as Error).message}). Install mosquitto (Debian: apt-get install mosquitto) or set MOSQUITTO_BIN.`);
      return 2;
    }
    const b = broker;
    cleanups.push(() => b.stop());
    console.log(`bench ${tag}: ${params.messages} messages, ${params.publishers} publishers, ${params.terminals} terminals, ${params.connections} ingest connections`);
    console.log(`  broker ${broker.version} at ${broker.url}; PostgreSQL ${pgVersion} + PostGIS ${postgisVersion}, database ${benchDb}`);

    // 1. Ceilings of the broker: do-nothing subscribers (before the API exists, so nothing else listens).
    const subscriberCeilings: SubscriberCeiling[] = [];
    if (!params.skipCeilings) {
      for (const [connections, shared] of [[1, false], [params.connections, true]] as const) {
        const plan = planFor(params.messages, params.terminals);
        const result = await doNothingCeiling(broker, plan, params, connections, shared, tag);
        subscriberCeilings.push(result);
        console.log(`  do-nothing (${result.arrangement}): ${result.received}/${params.messages} in ${result.durationMs} ms → ${Math.round(result.messagesPerSecond)} msg/s`);
        if (interrupted) return 130;
      }
    }

    // 2. The real ingest.
    await db.query('CHECKPOINT');
    const apiConfig = loadApiConfig({
      DATABASE_URL: databaseUrl,
      MQTT_URL: broker.url,
      PORT: '0',
      LOG_LEVEL: 'warn',
      WEB_DIST: 'none',
      INGEST_CONNECTIONS: String(params.connections),
      INGEST_SHARED_SUBSCRIPTION: 'true',
      INGEST_CLIENT_ID_PREFIX: `bench-${tag}`,
      ...(process.env['INGEST_INFLIGHT_PER_CONNECTION'] ? { INGEST_INFLIGHT_PER_CONNECTION: process.env['INGEST_INFLIGHT_PER_CONNECTION'] } : {}),
      INGEST_SHARE_GROUP: `bench-${tag}`,
    });
    api = await startApi(apiConfig);
    const running = api;
    cleanups.push(() => running.close());
    // Wait until every ingest connection is subscribed (health reports the broker connections).
    const healthDeadline = Date.now() + 30_000;
    for (;;) {
      const res = await fetch(`${api.url}/metrics`).then((r) => r.text()).catch(() => '');
      if (metric(res, 'muckwatch_broker_connected_subscribers') === params.connections) break;
      if (Date.now() > healthDeadline) throw new Error('API ingest did not connect within 30 s');
      await sleep(200);
    }
    await sleep(500); // subscriptions follow CONNACK
    const plan = planFor(params.messages, params.terminals);
    const ingest = await ingestRun(api, broker, db, plan, params, tag);
    console.log(`  ingest: ${ingest.stored}/${ingest.published} stored in ${ingest.durationMs} ms → ${Math.round(ingest.fixesPerSecond)} fixes/s`);
    await api.close();
    cleanups.pop();
    api = null;

    // 3. Raw SQL ceiling, API stopped.
    let sqlCeiling: SqlCeiling | null = null;
    if (!params.skipCeilings) {
      sqlCeiling = await rawSqlCeiling(db, planFor(params.messages, params.terminals));
      console.log(`  raw SQL: ${sqlCeiling.rows} rows in ${Math.round(sqlCeiling.durationMs)} ms → ${Math.round(sqlCeiling.rowsPerSecond)} rows/s`);
    }

    // Report.
    const bestNull = subscriberCeilings.reduce<SubscriberCeiling | null>((best, c) => (!best || c.messagesPerSecond > best.messagesPerSecond ? c : best), null);
    const shareOfNull = bestNull ? ingest.fixesPerSecond / bestNull.messagesPerSecond : null;
    const lost = ingest.published - ingest.stored;
    const machine = machineInfo();
    const results = {
      at: new Date().toISOString(),
      parameters: { ...params, qos: 1, fixesPerMessage: 1, brokerConfig: 'docker/mosquitto/mosquitto.conf, own listener, persistence off', tag },
      machine: { ...machine, mosquitto: broker.version, postgres: pgVersion, postgis: postgisVersion },
      ingest,
      lost,
      doNothingSubscriber: subscriberCeilings,
      percentOfDoNothing: shareOfNull === null ? null : shareOfNull * 100,
      rawSqlCeiling: sqlCeiling,
      latencyMeaning: {
        visible: `publish → visible to a reader: Date.now() when a ${ingest.visibleLatency.pollMs} ms SELECT poller (every fix of ~1% of terminals) first saw the row, minus pubMs set by the publisher just before publish(); an upper bound by up to one poll period plus the poll query.`,
        received: 'publish → ingest received it: positions.received_at − pubMs, over all rows; a lower bound (excludes validation wait, group-commit queueing and the COMMIT).',
      },
      targets: { fixesPerSecond: 10_000, percentOfDoNothing: 50 },
    };
    const file = saveResults('ingest', results.at, results);

    const rows: Array<[string, string, string]> = [
      ['committed fixes/s (first publish → last fix committed)', fmt(ingest.fixesPerSecond), '≥ 10,000'],
      ['  stored / published / lost', `${ingest.stored} / ${ingest.published} / ${lost}`, 'lost = 0'],
      ['  rejections / flagged / duplicates (metric)', `${ingest.rejections} / ${ingest.flagged} / ${fmt(ingest.duplicatesMetric)}`, '0 / 0 / 0'],
      ['  API process CPU per fix (µs, user + system)', fmt(ingest.apiCpuMicrosPerFix, 1), ''],
      ['  CPU per fix (µs) of each process:', '', ''],
      ...ingest.cpuMicrosPerFix.map((p): [string, string, string] => [`    ${p.name}`, fmt(p.micros, 1), '']),
      ['  commits, mean fixes per commit, mean commit ms', `${fmt(ingest.commits.count)}, ${fmt(ingest.commits.meanBatchFixes, 1)}, ${fmt(ingest.commits.meanCommitMs, 1)}`, ''],
      ['  publisher: first publish → last PUBACK (ms)', fmt(ingest.publisherMs), ''],
      ...subscriberCeilings.flatMap((c): Array<[string, string, string]> => [
        [`do-nothing subscriber msg/s (${c.arrangement})`, `${fmt(c.messagesPerSecond)}${c.received < params.messages ? ` (only ${c.received} arrived!)` : ''}`, ''],
        [`  CPU per message (µs): ${c.cpuMicrosPerMessage.map((p) => `${p.name} ${fmt(p.micros, 1)}`).join(', ')}`, '', ''],
      ]),
      ['ingest as % of best do-nothing rate', shareOfNull === null ? '—' : `${fmt(shareOfNull * 100, 1)} %`, '≥ 50 %'],
      ['raw SQL ceiling rows/s (unnest INSERT, 10k batches)', fmt(sqlCeiling?.rowsPerSecond), ''],
      [`latency publish→visible p50 / p99 / max (ms, n=${ingest.visibleLatency.samples})`, `${fmt(ingest.visibleLatency.p50)} / ${fmt(ingest.visibleLatency.p99)} / ${fmt(ingest.visibleLatency.max)}`, ''],
      ['latency publish→received_at p50 / p99 (ms, all rows)', `${fmt(ingest.receivedLatency.p50)} / ${fmt(ingest.receivedLatency.p99)}`, ''],
    ];
    printTable(`muckwatch ingest bench — ${machine.cpus} CPUs (${machine.cpuModel ?? '?'}), Node ${process.version}`, rows);
    console.log(`\nlatency "visible": ${results.latencyMeaning.visible}`);
    console.log(`latency "received": ${results.latencyMeaning.received}`);
    console.log(`results: ${file}`);
    if (!ingest.complete || ingest.rejections > 0) {
      console.error(`bench: LOSS OR REJECTIONS: published ${ingest.published}, stored ${ingest.stored}, rejections ${ingest.rejections}`);
      return 1;
    }
    return 0;
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
