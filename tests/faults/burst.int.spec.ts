import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { uniqueTag, waitFor } from '../support/test-api.js';
import { startTestBroker } from '../support/test-broker.js';

const BURST = 20_000;

describe('broker configuration: a QoS 1 burst for a slow or absent subscriber arrives whole', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it(`queues ${BURST} messages for an offline persistent session and delivers every one`, async () => {
    const tag = uniqueTag();
    const broker = await startTestBroker();
    cleanup.push(() => broker.stop());
    const topic = `muckwatch/v1/terminals/burst-${tag}/telemetry`;
    const subscriberId = `burst-sub-${tag}`;

    const first = await mqtt.connectAsync(broker.url, { clientId: subscriberId, clean: false, reconnectPeriod: 0 });
    await first.subscribeAsync(topic, { qos: 1 });
    await first.endAsync();

    const publisher = await mqtt.connectAsync(broker.url, { clientId: `burst-pub-${tag}`, clean: true });
    cleanup.push(() => publisher.endAsync());
    for (let i = 0; i < BURST; i += 500) {
      await Promise.all(
        Array.from({ length: Math.min(500, BURST - i) }, (_, j) => publisher.publishAsync(topic, String(i + j), { qos: 1 })),
      );
    }

    // The listener is in place before CONNACK: the queued messages follow it at once.
    const received = new Set<string>();
    const second = mqtt.connect(broker.url, { clientId: subscriberId, clean: false, reconnectPeriod: 0 });
    second.on('message', (_topic, payload) => received.add(payload.toString()));
    cleanup.push(() => second.endAsync());
    await waitFor(() => received.size === BURST, 60_000, `${BURST} messages delivered (${broker.kind})`);
    expect(received.size).toBe(BURST);
  });
});
