import { createServer } from 'node:net';
import { inject } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from '@muckwatch/api';
import { startMosquitto } from './mosquitto.js';

/**
 * A broker of the test's own, which it may restart. Where the run uses Mosquitto (CI), it is a
 * Mosquitto process with the configuration we ship (docker/mosquitto/mosquitto.conf, dynamic
 * security included, anonymous clients let through as on an open broker); on a machine with
 * only Node, an embedded Aedes like the API's own (without authentication).
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
  return inject('brokerKind') === 'external' ? startMosquittoBroker() : startAedes();
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

async function startMosquittoBroker(): Promise<TestBroker> {
  const mosquitto = await startMosquitto({ port: await freePort(), anonymous: true });
  return {
    kind: 'mosquitto',
    url: mosquitto.url,
    shared: true,
    restart: () => mosquitto.restart(),
    stop: () => mosquitto.stop(),
  };
}
