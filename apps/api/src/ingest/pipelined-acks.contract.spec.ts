import { createServer, type AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import mqtt, { type IPublishPacket } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { PipelinedAcks, VERIFIED_MQTT_VERSION, assertMqttAckContract } from './pipelined-acks.js';

/**
 * PipelinedAcks relies on a private MQTT.js method. This spec checks the installed MQTT.js
 * against a real broker: if a release sends PUBACK another way, the publisher below gets its
 * PUBACK before the commit and this fails — loudly, before any fix can be lost.
 */
describe('MQTT.js private contract behind acknowledge-after-commit', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('is the verified release, and the API refuses to start on any other', () => {
    expect(() => assertMqttAckContract()).not.toThrow();
    expect(VERIFIED_MQTT_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('holds a real PUBACK until the work resolves', async () => {
    const broker = await Aedes.createBroker();
    const server = createServer(broker.handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(async () => {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const subscriber = await mqtt.connectAsync(url, { clientId: 'contract-sub', clean: false });
    cleanup.push(() => subscriber.endAsync(true));
    const acks = new PipelinedAcks(subscriber, 8);
    let commit!: () => void;
    const work = new Promise<void>((resolve) => (commit = resolve));
    let received = false;
    subscriber.handleMessage = (packet: IPublishPacket, callback: (error?: Error) => void): void => {
      received = true;
      acks.track(packet.messageId!, work);
      callback();
    };
    await subscriber.subscribeAsync('contract/t', { qos: 1 });

    // Aedes acknowledges the publisher at once; what we watch is the subscriber's PUBACK to the
    // broker, seen as Aedes's 'ack' event for the delivered packet.
    let acknowledged = false;
    broker.on('ack', () => (acknowledged = true));
    const publisher = await mqtt.connectAsync(url, { clientId: 'contract-pub' });
    cleanup.push(() => publisher.endAsync(true));
    await publisher.publishAsync('contract/t', 'fix', { qos: 1 });

    await expect.poll(() => received).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(acknowledged).toBe(false);
    commit();
    await expect.poll(() => acknowledged).toBe(true);
  });
});
