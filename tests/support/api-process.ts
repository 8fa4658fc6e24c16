import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { waitFor } from './test-api.js';
import { freePort } from './test-broker.js';

/** The API as a separate process, so a test can kill it outright (SIGKILL) or watch its memory. */
export interface ApiProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  output(): string;
  /** Resident set size in MiB, from /proc. */
  rssMiB(): Promise<number>;
  /** A gauge or counter's value from /metrics (summed over labels). */
  metric(name: string): Promise<number>;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `keepOutput`: how many of the last characters of stdout and stderr `output()` keeps (default 20,000).
 * `detached`: the API leads a process group of its own (with its engines child), so a test can
 * signal the whole group as a terminal's Ctrl-C does: `process.kill(-api.pid, 'SIGINT')`.
 */
export async function startApiProcess(
  env: Record<string, string>,
  { keepOutput = 20_000, detached = false }: { keepOutput?: number; detached?: boolean } = {},
): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', 'apps/api/src/main.ts'], {
    env: { ...process.env, ...env, PORT: String(port), SWC_NODE_PROJECT: 'tsconfig.json' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-keepOutput)));
  child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-keepOutput)));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`API exited: ${output.slice(-2000)}`);
    return (await fetch(`${url}/api/health`)).status === 200;
  }, 60_000, 'API process healthy', 250);
  return {
    url,
    pid: child.pid!,
    child,
    output: () => output,
    async rssMiB() {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`API process exited (${child.exitCode ?? child.signalCode}): ${output.slice(-3000)}`);
      }
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
      return kb / 1024;
    },
    async metric(name: string) {
      const text = await (await fetch(`${url}/metrics`)).text();
      return text
        .split('\n')
        .filter((line) => line.startsWith(`${name} `) || line.startsWith(`${name}{`))
        .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
