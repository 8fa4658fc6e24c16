import { createRequire } from 'node:module';
import { MqttClient, type Packet } from 'mqtt';

/** MQTT.js sends PUBACK through this (private) method, handing it the parser's continuation. */
interface PacketSender {
  _sendPacket(packet: Packet, callback?: (error?: Error) => void, ...rest: unknown[]): void;
}

/**
 * The one MQTT.js release whose private `_sendPacket` contract PipelinedAcks was verified against
 * (package.json pins it exactly; pipelined-acks.contract.spec.ts checks it against a real broker).
 */
export const VERIFIED_MQTT_VERSION = '5.16.0';

/**
 * Refuses to run ingest on an MQTT.js whose private contract is unverified: acknowledging before
 * commit would lose fixes silently, so an upgrade must fail loudly instead (at boot and in tests).
 */
export function assertMqttAckContract(): void {
  const { version } = createRequire(import.meta.url)('mqtt/package.json') as { version: string };
  if (version !== VERIFIED_MQTT_VERSION) {
    throw new Error(
      `ingest holds PUBACKs through MQTT.js's private _sendPacket, verified on mqtt ${VERIFIED_MQTT_VERSION}; ` +
        `${version} is installed: run apps/api/src/ingest/pipelined-acks.contract.spec.ts against it, then update VERIFIED_MQTT_VERSION`,
    );
  }
  const sender = (MqttClient.prototype as unknown as Partial<PacketSender>)._sendPacket;
  if (typeof sender !== 'function') {
    throw new Error(`MQTT.js ${version} has no _sendPacket: ingest cannot hold PUBACKs until commit`);
  }
}

/**
 * Acknowledge-after-commit with a window of messages in flight per connection.
 *
 * MQTT.js reads one packet at a time: for a QoS 1 PUBLISH it calls `handleMessage`, then sends the
 * PUBACK with the continuation that lets the next packet be read. Called back at once, the next
 * messages flow while earlier ones wait for their commit; this wrapper holds each PUBACK back
 * until its message's work resolves, and holds the continuation back too once `window` PUBACKs are
 * waiting, so a stalled database stalls reading instead of growing memory.
 *
 * PUBACKs go out in commit order, which is receipt order (MQTT 3.1.1 §4.6). A PUBACK whose
 * connection has closed meanwhile is dropped: the broker redelivers the message on the
 * persistent session and its second copy is acknowledged instead (storing is idempotent).
 */
export class PipelinedAcks {
  private readonly work = new Map<number, Promise<void>>();
  private waiting = 0;
  private readonly held: Array<() => void> = [];
  /** The newest group of PUBACKs waiting for the same work. */
  private tail: { work: Promise<void>; generation: number; acks: Array<() => void> } | null = null;
  private generation = 0;

  constructor(
    private readonly client: MqttClient,
    private readonly window: number,
  ) {
    const sender = client as unknown as PacketSender;
    const send = sender._sendPacket.bind(client);
    sender._sendPacket = (packet, callback, ...rest) => {
      const pending = packet.cmd === 'puback' && packet.messageId !== undefined ? this.work.get(packet.messageId) : undefined;
      if (!pending || packet.cmd !== 'puback') return send(packet, callback, ...rest);
      this.work.delete(packet.messageId!);
      this.hold(pending, () => send(packet));
      if (callback) this.continueWhenRoom(callback);
    };
    client.on('close', () => this.reset());
  }

  /** The message's work: its PUBACK waits for it. Call before calling back `handleMessage`. */
  track(messageId: number, work: Promise<void>): void {
    this.work.set(messageId, work);
  }

  /** PUBACKs waiting for their commit on this connection. */
  get inFlight(): number {
    return this.waiting;
  }

  /**
   * Consecutive messages usually share their work (one group commit): they wait as one group, on
   * one callback, instead of a callback per message.
   */
  private hold(work: Promise<void>, sendAck: () => void): void {
    this.waiting += 1;
    const tail = this.tail;
    if (tail && tail.work === work && tail.generation === this.generation) {
      tail.acks.push(sendAck);
      return;
    }
    const group = { work, generation: this.generation, acks: [sendAck] };
    this.tail = group;
    const settle = (acknowledge: boolean) => {
      if (this.tail === group) this.tail = null;
      // A message of a closed connection still counted toward the window until its commit ends
      // (it is held in memory all the same); only its PUBACK is void.
      this.waiting -= group.acks.length;
      if (acknowledge && group.generation === this.generation && this.client.connected) {
        // One write to the socket for the group's PUBACKs, not one per PUBACK.
        const stream = (this.client as { stream?: { cork?(): void; uncork?(): void } }).stream;
        stream?.cork?.();
        for (const send of group.acks) send();
        stream?.uncork?.();
      }
      if (this.waiting <= this.window) this.held.shift()?.();
    };
    // Not committed (shutting down): leave it unacknowledged for redelivery.
    work.then(
      () => settle(true),
      () => settle(false),
    );
  }

  private continueWhenRoom(resume: () => void): void {
    if (this.waiting <= this.window) resume();
    else this.held.push(resume);
  }

  /**
   * A closed connection's PUBACKs are void, and what its parser held back is dropped, not
   * resumed: resumed, it would go on handling packets the broker will redeliver anyway (MQTT.js
   * builds a new parser for the next connection). Its messages still waiting for their commit
   * keep counting toward the window, so the next connection reads no more than the window allows
   * (a stalled database makes a connection miss its keep-alive and reconnect: that must not let
   * in another window of messages).
   */
  private reset(): void {
    this.generation += 1;
    this.work.clear();
    this.held.length = 0;
    this.tail = null;
  }
}
