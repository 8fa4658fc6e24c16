import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/**
 * What the benches share (ingest-bench.ts, jt808-bench.ts): forking a TypeScript worker that
 * answers over IPC, percentiles, the machine's description, the printed table and the JSON file.
 */

export const benchDir = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(benchDir, '../..');

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Linear-interpolated percentile of an ascending array; null when empty. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = (sorted.length - 1) * p;
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A Prometheus sample's value from a /metrics text, or null. */
export function metric(text: string, name: string, labels = ''): number | null {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}${labels} `) || (labels === '' && line.startsWith(`${name} `))) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return null;
}

/** A forked bench worker (a .ts file under tests/bench/) that speaks `{type: …}` messages over IPC. */
export interface BenchWorker {
  pid: number;
  send(message: Record<string, unknown>): void;
  /** The next message of this type; rejects on a `{type:'error'}` message or the worker's exit. */
  next(type: string): Promise<Record<string, unknown>>;
  /** Asks the worker to exit (`{type:'exit'}`), killing it 2 s later if it has not. */
  stop(): void;
}

export function forkWorker(file: string, name: string): BenchWorker {
  const child: ChildProcess = fork(join(benchDir, file), [], {
    cwd: repoRoot,
    execArgv: ['--import', '@swc-node/register/esm-register'],
    env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.json' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    pid: child.pid ?? 0,
    send(message) {
      if (child.connected) child.send(message);
    },
    next(type) {
      return new Promise((resolveMessage, reject) => {
        const onMessage = (message: Record<string, unknown>): void => {
          if (message['type'] === type) {
            cleanup();
            resolveMessage(message);
          } else if (message['type'] === 'error') {
            cleanup();
            reject(new Error(`${name}: ${String(message['message'])}`));
          }
        };
        const onExit = (code: number | null): void => {
          cleanup();
          reject(new Error(`${name} exited (code ${code}) before "${type}"`));
        };
        const cleanup = (): void => {
          child.off('message', onMessage);
          child.off('exit', onExit);
        };
        child.on('message', onMessage);
        child.on('exit', onExit);
      });
    },
    stop() {
      if (child.connected) child.send({ type: 'exit' });
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    },
  };
}

export function machineInfo(): { cpus: number; cpuModel: string | undefined; totalMemMiB: number; node: string; kernel: string; loadavg: number[] } {
  const cpu = cpus();
  return { cpus: cpu.length, cpuModel: cpu[0]?.model, totalMemMiB: Math.round(totalmem() / 2 ** 20), node: process.version, kernel: release(), loadavg: loadavg() };
}

/** Writes bench-results/<prefix>-<at>.json and returns its path. */
export function saveResults(prefix: string, at: string, results: unknown): string {
  mkdirSync(join(repoRoot, 'bench-results'), { recursive: true });
  const file = join(repoRoot, 'bench-results', `${prefix}-${at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

export function fmt(n: number | null | undefined, digits = 0): string {
  return n === null || n === undefined ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** Prints rows of (metric, value, target) as aligned columns under a title. */
export function printTable(title: string, rows: Array<[string, string, string]>): void {
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  console.log(`\n${title}`);
  console.log(`${'metric'.padEnd(w0)}  ${'value'.padStart(w1)}  target`);
  for (const [a, v, t] of rows) console.log(`${a.padEnd(w0)}  ${v.padStart(w1)}  ${t}`);
}

/** A database of its own on `server`, with PostGIS; `drop()` removes it (whoever still holds it). */
export async function freshDatabase(server: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(server, name);
  const setup = new pg.Client({ connectionString: url });
  await setup.connect();
  await setup.query('CREATE EXTENSION IF NOT EXISTS postgis');
  await setup.end();
  return {
    url,
    async drop() {
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** A TypeScript entry point of the repo (the API, the simulator) as a process of its own, its output's tail kept. */
export function spawnTs(args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env, SWC_NODE_PROJECT: 'tsconfig.json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-8_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => output };
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export async function stopProcess(child: ChildProcess, graceMs = 20_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(graceMs)]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/**
 * A process's resident memory in MiB, from /proc (null when it is gone): `VmRSS`, or `RssAnon` — its private memory only, without the
 * shared memory it has touched (a PostgreSQL session's VmRSS counts every page of shared_buffers it
 * has read, so summed over sessions it grows for hours with nothing leaking).
 */
export function rssMiB(pid: number | undefined, field: 'VmRSS' | 'RssAnon' = 'VmRSS'): number | null {
  if (!pid) return null;
  try {
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
  } catch {
    return null;
  }
}
