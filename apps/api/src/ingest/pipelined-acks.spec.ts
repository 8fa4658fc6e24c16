import { EventEmitter } from 'node:events';
import type { MqttClient, Packet } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { PipelinedAcks } from './pipelined-acks.js';

/** The two things PipelinedAcks touches on an MQTT.js client: its packet sender and 'close'. */
class ClientDouble extends EventEmitter {
  connected = true;
  readonly sent: number[] = [];
  _sendPacket(packet: Packet, callback?: () => void): void {
    if (packet.cmd === 'puback') this.sent.push(packet.messageId!);
    callback?.();
  }
}

function deferred(): { promise: Promise<void>; resolve(): void; reject(): void } {
  let resolve!: () => void;
  let reject!: () => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** What MQTT.js does for a QoS 1 PUBLISH once handleMessage calls back. */
function receive(client: ClientDouble, acks: PipelinedAcks, messageId: number, work: Promise<void>): { resumed: boolean } {
  const state = { resumed: false };
  acks.track(messageId, work);
  client._sendPacket({ cmd: 'puback', messageId }, () => (state.resumed = true));
  return state;
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('acknowledge after commit, several messages in flight per connection', () => {
  it('sends each PUBACK only after its commit, in receipt order', async () => {
    const client = new ClientDouble();
    const acks = new PipelinedAcks(client as unknown as MqttClient, 8);
    const first = deferred();
    const second = deferred();
    expect(receive(client, acks, 1, first.promise).resumed).toBe(true);
    expect(receive(client, acks, 2, second.promise).resumed).toBe(true);
    expect(client.sent).toEqual([]);
    first.resolve();
    second.resolve();
    await flush();
    expect(client.sent).toEqual([1, 2]);
  });

  it('stops reading once the window is full, and reads on when a commit frees room', async () => {
    const client = new ClientDouble();
    const acks = new PipelinedAcks(client as unknown as MqttClient, 2);
    const works = [deferred(), deferred(), deferred(), deferred()];
    const states = works.map((w, i) => receive(client, acks, i + 1, w.promise));
    expect(states.map((s) => s.resumed)).toEqual([true, true, false, false]);
    // At most window + 1 messages in memory: one commit ending is not room enough yet.
    works[0]!.resolve();
    await flush();
    expect(states.map((s) => s.resumed)).toEqual([true, true, false, false]);
    works[1]!.resolve();
    await flush();
    expect(states.map((s) => s.resumed)).toEqual([true, true, true, false]);
    expect(acks.inFlight).toBe(2);
  });

  it('never acknowledges a message whose commit failed', async () => {
    const client = new ClientDouble();
    const acks = new PipelinedAcks(client as unknown as MqttClient, 8);
    const work = deferred();
    receive(client, acks, 7, work.promise);
    work.reject();
    await flush();
    expect(client.sent).toEqual([]);
  });

  it("drops a closed connection's PUBACKs and what its parser held (the broker redelivers)", async () => {
    const client = new ClientDouble();
    const acks = new PipelinedAcks(client as unknown as MqttClient, 1);
    const works = [deferred(), deferred(), deferred()];
    const states = works.map((w, i) => receive(client, acks, i + 1, w.promise));
    expect(states[2]!.resumed).toBe(false);
    client.emit('close');
    expect(states[2]!.resumed).toBe(false);
    // Still in memory until committed: the next connection's messages wait for room.
    expect(acks.inFlight).toBe(3);
    const next = deferred();
    expect(receive(client, acks, 1, next.promise).resumed).toBe(false);
    for (const w of works) w.resolve();
    await flush();
    expect(client.sent).toEqual([]);
    expect(acks.inFlight).toBe(1);
  });

  it('acknowledges messages sharing one commit together, in receipt order, each counting toward the window', async () => {
    const client = new ClientDouble();
    const acks = new PipelinedAcks(client as unknown as MqttClient, 2);
    const batch = deferred();
    const states = [1, 2, 3].map((id) => receive(client, acks, id, batch.promise));
    expect(states.map((s) => s.resumed)).toEqual([true, true, false]);
    expect(acks.inFlight).toBe(3);
    batch.resolve();
    await flush();
    expect(client.sent).toEqual([1, 2, 3]);
    expect(states[2]!.resumed).toBe(true);
    expect(acks.inFlight).toBe(0);
  });

  it('passes every other packet straight through', () => {
    const client = new ClientDouble();
    new PipelinedAcks(client as unknown as MqttClient, 1);
    client._sendPacket({ cmd: 'puback', messageId: 99 });
    expect(client.sent).toEqual([99]);
  });
});
