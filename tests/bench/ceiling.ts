/**
 * What the ingest benches share: the publisher process (tests/bench/publisher.ts) and the
 * do-nothing ceiling — auto-acknowledging QoS 1 subscribers that only count, the rate the broker
 * and the publisher allow with nothing stored, measured in the same run as what it bounds.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { TELEMETRY_TOPIC_FILTER } from '@muckwatch/contracts';
import type { BenchBroker } from './bench-broker.js';
import type { BenchPlan } from './bench-fixes.js';
import { forkWorker, sleep } from './bench-common.js';
import { type BudgetPart, cpuBetween, readCpu } from './cpu-budget.js';
import type { PublisherJob, PublisherResult } from './publisher.js';

/** Forks tests/bench/publisher.ts; resolves once its connections are up. */
export async function startPublisher(job: PublisherJob): Promise<{ pid: number; go(): Promise<PublisherResult>; stop(): void }> {
  const worker = forkWorker('publisher.ts', 'publisher');
  const next = (type: string): Promise<Record<string, unknown>> => worker.next(type);
  const connected = next('connected');
  worker.send({ type: 'start', ...job });
  await connected;
  return {
    pid: worker.pid,
    async go() {
      const done = next('done');
      worker.send({ type: 'go' });
      return (await done) as unknown as PublisherResult;
    },
    stop: () => worker.stop(),
  };
}

// ---------------------------------------------------------------------------- do-nothing ceiling
export interface SubscriberCeiling {
  arrangement: string;
  connections: number;
  received: number;
  durationMs: number;
  messagesPerSecond: number;
  publisherMs: number;
  /** CPU µs per message of each process, over the phase. */
  cpuMicrosPerMessage: CpuBudget;
}

/** CPU µs per fix (or message) of each process of a phase, and their sum. */
export type CpuBudget = Array<{ name: string; micros: number }>;

export function perItem(parts: Array<{ name: string; ms: number }>, items: number): CpuBudget {
  const budget = parts.map(({ name, ms }) => ({ name, micros: items > 0 ? (ms * 1000) / items : 0 }));
  return [...budget, { name: 'total', micros: budget.reduce((sum, p) => sum + p.micros, 0) }];
}

/** Auto-ack QoS 1 subscribers that only count; rate from first publish to last message received. */
export async function doNothingCeiling(
  broker: BenchBroker,
  plan: BenchPlan,
  params: { publishers: number; window: number },
  connections: number,
  shared: boolean,
  tag: string,
): Promise<SubscriberCeiling> {
  const group = `bench-null-${tag}-${connections}`;
  const filter = shared ? `$share/${group}/${TELEMETRY_TOPIC_FILTER}` : TELEMETRY_TOPIC_FILTER;
  let received = 0;
  let lastAt = 0;
  let allIn: (() => void) | null = null;
  const clients: MqttClient[] = await Promise.all(
    Array.from({ length: connections }, async (_, n) => {
      const client = await mqtt.connectAsync(broker.url, { clientId: `${group}-${n}`, clean: true, reconnectPeriod: 0 });
      client.on('message', () => {
        received += 1;
        if (received >= plan.messages) {
          lastAt = Date.now();
          allIn?.();
        }
      });
      await client.subscribeAsync(filter, { qos: 1 });
      return client;
    }),
  );
  const publisher = await startPublisher({ url: broker.url, plan, publishers: params.publishers, window: params.window, clientIdPrefix: `bench-pub-${group}` });
  const parts: BudgetPart[] = [
    { name: 'publisher', pids: () => [publisher.pid] },
    { name: 'broker', pids: () => [broker.pid] },
    { name: 'subscriber (bench process)', pids: () => [process.pid] },
  ];
  try {
    const everything = new Promise<void>((r) => (allIn = r));
    const cpuBefore = await readCpu(parts);
    const pub = await publisher.go();
    await Promise.race([everything, sleep(Math.max(60_000, plan.messages / 100))]);
    const cpuAfter = await readCpu(parts);
    if (received < plan.messages) lastAt = Date.now();
    const durationMs = lastAt - pub.firstPubMs;
    return {
      arrangement: shared ? `${connections} connections, $share group` : `${connections} connection(s), plain subscription`,
      connections,
      received,
      durationMs,
      messagesPerSecond: (received / durationMs) * 1000,
      publisherMs: pub.lastAckMs - pub.firstPubMs,
      cpuMicrosPerMessage: perItem(cpuBetween(cpuBefore, cpuAfter), received),
    };
  } finally {
    publisher.stop();
    await Promise.all(clients.map((c) => c.endAsync().catch(() => undefined)));
  }
}

