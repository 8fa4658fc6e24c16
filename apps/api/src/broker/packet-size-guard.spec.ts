import { connect } from 'node:net';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { EMBEDDED_MAX_PACKET_BYTES, startEmbeddedBroker, type BrokerRefusal, type EmbeddedBroker } from './embedded-broker.js';
import { MqttFrameMeter } from './packet-size-guard.js';

/** MQTT's variable-length "remaining length" (1–4 bytes). */
function remainingLength(n: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    bytes.push(byte);
  } while (n > 0);
  return bytes;
}

describe('MQTT frame meter', () => {
  it('follows packets split anywhere across chunks and refuses the first one declared too large', () => {
    const meter = new MqttFrameMeter(1000);
    const small = Buffer.from([0x30, ...remainingLength(300), ...Buffer.alloc(300)]);
    const stream = Buffer.concat([small, small, Buffer.from([0x30, ...remainingLength(1001)])]);
    let ok = true;
    for (let i = 0; i < stream.length && ok; i += 7) ok = meter.feed(stream.subarray(i, i + 7));
    expect(ok).toBe(false);
    expect(meter.declared).toBe(1001);
  });

  it('accepts packets up to the limit, and refuses a length longer than four bytes', () => {
    const meter = new MqttFrameMeter(1000);
    expect(meter.feed(Buffer.from([0x30, ...remainingLength(1000), ...Buffer.alloc(1000), 0xc0, 0x00]))).toBe(true);
    expect(new MqttFrameMeter(1000).feed(Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff]))).toBe(false);
  });
});

describe('embedded broker packet size', () => {
  let broker: EmbeddedBroker | null = null;
  afterEach(async () => {
    await broker?.stop();
    broker = null;
  });

  it('closes a connection streaming an endless CONNECT after its header, and records it', async () => {
    broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, authenticate: false });
    const refusals: BrokerRefusal[] = [];
    broker.useAuthority({ verify: () => Promise.resolve(false), refused: (r) => refusals.push(r) });
    const socket = connect(broker.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    // A CONNECT announcing 200 MB, then junk for as long as the server reads.
    socket.write(Buffer.from([0x10, ...remainingLength(200 * 1024 * 1024)]));
    let written = 0;
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    const pump = (): void => {
      while (!socket.destroyed && written < 50 * 1024 * 1024 && socket.write(chunk)) written += chunk.length;
      if (!socket.destroyed && written < 50 * 1024 * 1024) socket.once('drain', pump);
    };
    pump();
    await closed;
    expect(written).toBeLessThan(50 * 1024 * 1024);
    expect(refusals).toEqual([{ kind: 'oversize', address: '127.0.0.1', declaredBytes: 200 * 1024 * 1024 }]);
  });

  it('still carries ordinary traffic through the guard', async () => {
    broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, authenticate: false });
    const client = await mqtt.connectAsync(broker.url, { clientId: 'guard-ok' });
    await client.subscribeAsync('x/y', { qos: 1 });
    const got = new Promise<Buffer>((resolve) => client.once('message', (_topic, payload) => resolve(payload)));
    const big = Buffer.alloc(EMBEDDED_MAX_PACKET_BYTES - 1024, 0x42);
    await client.publishAsync('x/y', big, { qos: 1 });
    expect((await got).length).toBe(big.length);
    await client.endAsync();
  });
});
