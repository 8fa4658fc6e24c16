/**
 * Bench publisher, run as a separate process (forked by ingest-bench.ts). Protocol over IPC:
 *   parent → {type:'start', ...PublisherJob}   child → {type:'connected'}
 *   parent → {type:'go'}                       child → {type:'done', ...PublisherResult}
 * Each message is one fix, QoS 1, carrying `pubMs` (Date.now() right before publish).
 */
import mqtt, { type MqttClient } from 'mqtt';
import { telemetryTopic } from '@muckwatch/contracts';
import { benchFix, type BenchPlan } from './bench-fixes.js';

export interface PublisherJob {
  url: string;
  plan: BenchPlan;
  publishers: number;
  /** Unacknowledged publishes per connection. */
  window: number;
  clientIdPrefix: string;
}

export interface PublisherResult {
  firstPubMs: number;
  lastAckMs: number;
  published: number;
}

type Inbound = ({ type: 'start' } & PublisherJob) | { type: 'go' } | { type: 'exit' };

let clients: MqttClient[] = [];
let job: PublisherJob | null = null;

function send(message: unknown): void {
  process.send?.(message);
}

async function publishShare(client: MqttClient, c: number, stamp: { first: number }): Promise<number> {
  const { plan, publishers, window } = job!;
  let next = c;
  let published = 0;
  const worker = async (): Promise<void> => {
    while (next < plan.messages) {
      const i = next;
      next += publishers;
      const { terminalId, fix } = benchFix(plan, i);
      fix.pubMs = Date.now();
      if (stamp.first === 0) stamp.first = fix.pubMs;
      await client.publishAsync(telemetryTopic(terminalId), JSON.stringify(fix), { qos: 1 });
      published += 1;
    }
  };
  await Promise.all(Array.from({ length: window }, worker));
  return published;
}

process.on('message', (raw: Inbound) => {
  void (async () => {
    try {
      if (raw.type === 'start') {
        job = raw;
        clients = await Promise.all(
          Array.from({ length: raw.publishers }, (_, c) =>
            mqtt.connectAsync(raw.url, { clientId: `${raw.clientIdPrefix}-${c}`, clean: true, reconnectPeriod: 0 }),
          ),
        );
        send({ type: 'connected' });
      } else if (raw.type === 'go') {
        const stamp = { first: 0 };
        const counts = await Promise.all(clients.map((client, c) => publishShare(client, c, stamp)));
        const result: PublisherResult = {
          firstPubMs: stamp.first,
          lastAckMs: Date.now(),
          published: counts.reduce((a, b) => a + b, 0),
        };
        send({ type: 'done', ...result });
      } else if (raw.type === 'exit') {
        await Promise.all(clients.map((client) => client.endAsync().catch(() => undefined)));
        process.exit(0);
      }
    } catch (error) {
      send({ type: 'error', message: (error as Error).stack ?? String(error) });
      process.exit(1);
    }
  })();
});
process.on('disconnect', () => process.exit(0));
