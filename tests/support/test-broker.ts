import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from '@muckwatch/api';
import { waitFor } from './test-api.js';

/**
 * A broker of the test's own, which it may restart. Where the run uses Mosquitto (CI), it is a
 * Mosquitto process with the configuration we ship (docker/mosquitto/mosquitto.conf); on a
 * machine with only Node, an embedded Aedes like the API's own.
 */
export interface TestBroker {
  kind: 'mosquitto' | 'aedes';
  url: string;
  /** Whether the broker supports `$share/` subscriptions. */
  shared: boolean;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startTestBroker(): Promise<TestBroker> {
  return inject('brokerKind') === 'external' ? startMosquitto() : startAedes();
}

async function startAedes(): Promise<TestBroker> {
  const port = await freePort();
  let broker: EmbeddedBroker = await startEmbeddedBroker({ host: '127.0.0.1', port });
  return {
    kind: 'aedes',
    url: broker.url,
    shared: false,
    async restart() {
      await broker.stop();
      broker = await startEmbeddedBroker({ host: '127.0.0.1', port });
    },
    stop: () => broker.stop(),
  };
}

async function startMosquitto(): Promise<TestBroker> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'muckwatch-mosquitto-'));
  const shipped = await readFile('docker/mosquitto/mosquitto.conf', 'utf8');
  const config = shipped
    .replace(/^listener .*$/m, `listener ${port} 127.0.0.1`)
    .replace(/^persistence_location .*$/m, `persistence_location ${dir}/`)
    .replace(/^log_dest .*$/m, `log_dest file ${dir}/mosquitto.log`);
  await writeFile(join(dir, 'mosquitto.conf'), config);
  let child: ChildProcess;
  const launch = async () => {
    child = spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
    await waitFor(async () => {
      const probe = createServer();
      // Port taken = mosquitto is listening.
      return new Promise<boolean>((resolve) => {
        probe.once('error', () => resolve(true));
        probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
      });
    }, 10_000, 'mosquitto listening');
  };
  const terminate = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  await launch();
  return {
    kind: 'mosquitto',
    url: `mqtt://127.0.0.1:${port}`,
    shared: true,
    async restart() {
      await terminate();
      await launch();
    },
    async stop() {
      await terminate();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
