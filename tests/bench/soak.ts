/**
 * Soak: `npm run bench:soak -- [--minutes 30] [--instances 2] [--trucks 2000] [--interval 5]`.
 * A fresh database, a Mosquitto of our configuration, `--instances` API processes (one cluster,
 * the demo registry seeded by the first) and the fleet simulator (simulators/fleet) with `--trucks`
 * trucks each reporting every `--interval` s, for `--minutes`. Every minute it samples the resident
 * memory of every process — each API, its compliance engines process, the broker, the simulator, and
 * the APIs' PostgreSQL sessions together (their private memory: RssAnon, since a session's RSS
 * counts the shared buffers it has touched) — with the fixes committed and each instance's health. At
 * the end: memory at the start (after the first minute, the fleet connected) and the end, the
 * highest, the growth per hour from a straight line through the samples, fixes/s committed against
 * the fleet's rate, and every health other than ok. Nothing growing is what the soak is for.
 *
 * Env: DATABASE_URL (server; the soak creates and drops `muckwatch_soak_<tag>`), MOSQUITTO_BIN.
 * Results: a table on stdout and bench-results/soak-<ts>.json.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { HealthResponse } from '@muckwatch/contracts';
import { freePort, startBenchBroker } from './bench-broker.js';
import { fmt, freshDatabase, machineInfo, printTable, repoRoot, rssMiB, saveResults, sleep, spawnTs, stopProcess } from './bench-common.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    minutes: { type: 'string', default: '30' },
    instances: { type: 'string', default: '2' },
    trucks: { type: 'string', default: '2000' },
    interval: { type: 'string', default: '5' },
  },
});
const bounded = (name: string, raw: string, min: number, max: number): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} needs an integer from ${min} to ${max}`);
  return n;
};
const MINUTES = bounded('minutes', values.minutes, 1, 24 * 60);
const INSTANCES = bounded('instances', values.instances, 1, 8);
const TRUCKS = bounded('trucks', values.trucks, 1, 20_000);
const INTERVAL_S = bounded('interval', values.interval, 1, 600);
const ADMIN = { username: 'soak-admin', password: 'Soak-cluster-2026!' };

const childOf = (pid: number, match: string): number | undefined => {
  try {
    return execFileSync('pgrep', ['-P', String(pid), '-f', match]).toString().trim().split('\n').map(Number).find((n) => n > 0);
  } catch {
    return undefined;
  }
};

/** MiB per hour: the slope of a least-squares line through (minute, MiB). */
function growthPerHour(points: Array<[number, number]>): number | null {
  if (points.length < 2) return null;
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den === 0 ? null : (num / den) * 60;
}

async function main(): Promise<number> {
  const server = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const tag = randomBytes(3).toString('hex');
  const database = await freshDatabase(server, 'muckwatch_soak');
  const databaseUrl = database.url;
  const broker = await startBenchBroker(join(repoRoot, 'docker/mosquitto/mosquitto.conf'), process.env['MOSQUITTO_BIN'] ?? 'mosquitto');
  const db = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const apis: Array<{ name: string; url: string; child: ChildProcess; output: () => string }> = [];
  let simulator: ReturnType<typeof spawnTs> | null = null;
  try {
    for (let n = 1; n <= INSTANCES; n += 1) {
      const port = await freePort();
      const api = spawnTs(['apps/api/src/main.ts'], {
        DATABASE_URL: databaseUrl,
        MQTT_URL: broker.url,
        PORT: String(port),
        LOG_LEVEL: 'warn',
        WEB_DIST: 'none',
        JT808_PORT: '0',
        INSTANCE_ID: `soak${n}`,
        CLUSTER_NAME: `soak-${tag}`,
        INGEST_SHARED_SUBSCRIPTION: 'true',
        INGEST_SHARE_GROUP: `soak-${tag}`,
        ADMIN_USERNAME: ADMIN.username,
        ADMIN_PASSWORD: ADMIN.password,
        ...(n === 1 ? { SEED_DEMO: 'true' } : {}),
      });
      const url = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 120_000;
      while (!(await fetch(`${url}/api/health`).then((r) => r.status === 200, () => false))) {
        if (api.child.exitCode !== null || Date.now() > deadline) throw new Error(`API soak${n} did not start: ${api.output().slice(-2000)}`);
        await sleep(500);
      }
      apis.push({ name: `soak${n}`, url, ...api });
    }
    simulator = spawnTs(['simulators/fleet/src/main.ts', '--url', broker.url, '--trucks', String(TRUCKS), '--interval', String(INTERVAL_S), '--duration', String(MINUTES * 60 + 60)], {});
    const samples: Array<{ minute: number; fixes: number; rss: Record<string, number | null>; health: string[] }> = [];
    const started = Date.now();
    for (let minute = 1; minute <= MINUTES; minute += 1) {
      await sleep(Math.max(0, started + minute * 60_000 - Date.now()));
      const pgPids = (await db.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'muckwatch%'`)).rows.map((r) => r.pid);
      const rss: Record<string, number | null> = {
        broker: rssMiB(broker.pid),
        simulator: rssMiB(simulator.child.pid),
        'PostgreSQL sessions (private)': pgPids.reduce((s, p) => s + (rssMiB(p, 'RssAnon') ?? 0), 0),
      };
      for (const api of apis) {
        rss[`API ${api.name}`] = rssMiB(api.child.pid);
        rss[`API ${api.name} engines`] = rssMiB(childOf(api.child.pid!, 'engines-child'));
      }
      const health = await Promise.all(apis.map((api) => fetch(`${api.url}/api/health`).then((r) => r.json() as Promise<HealthResponse>, () => null)));
      const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM positions');
      samples.push({ minute, fixes: Number(rows[0]!.n), rss, health: health.map((h, i) => `${apis[i]!.name}:${h?.status ?? 'no answer'}`) });
      console.log(`minute ${minute}: ${rows[0]!.n} fixes; ${Object.entries(rss).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}; ${samples.at(-1)!.health.join(' ')}`);
    }
    const first = samples[0]!;
    const last = samples.at(-1)!;
    const names = Object.keys(first.rss);
    const rows: Array<[string, string, string]> = names.map((name) => {
      const series = samples.map((s) => [s.minute, s.rss[name] ?? NaN] as [number, number]).filter(([, v]) => Number.isFinite(v));
      const max = Math.max(...series.map(([, v]) => v));
      return [`${name}: MiB at minute 1 → ${MINUTES} (max)`, `${fmt(first.rss[name])} → ${fmt(last.rss[name])} (${fmt(max)})`, `${fmt(growthPerHour(series), 1)} MiB/h`];
    });
    const rate = (last.fixes - first.fixes) / ((last.minute - first.minute) * 60 || 1);
    const unhealthy = samples.flatMap((s) => s.health.filter((h) => !h.endsWith(':ok')).map((h) => `min ${s.minute} ${h}`));
    rows.push(['fixes/s committed (minute 1 → end) / the fleet’s rate', `${fmt(rate, 1)} / ${fmt(TRUCKS / INTERVAL_S, 1)}`, '']);
    rows.push(['health other than ok', String(unhealthy.length), unhealthy.slice(0, 5).join('; ')]);
    const machine = machineInfo();
    printTable(`muckwatch soak — ${MINUTES} min, ${INSTANCES} instance(s), ${TRUCKS} trucks every ${INTERVAL_S} s — ${machine.cpus} CPUs, load ${machine.loadavg.map((l) => l.toFixed(2)).join(' ')}`, rows);
    const at = new Date().toISOString();
    console.log(`results: ${saveResults('soak', at, { at, machine, minutes: MINUTES, instances: INSTANCES, trucks: TRUCKS, intervalS: INTERVAL_S, samples })}`);
    return 0;
  } finally {
    if (simulator) await stopProcess(simulator.child, 30_000);
    await Promise.all(apis.map((api) => stopProcess(api.child, 30_000)));
    await db.end();
    await broker.stop();
    await database.drop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('soak failed:', error);
    process.exit(1);
  },
);
