import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { STATUS_TOPIC_FILTER, TELEMETRY_TOPIC_FILTER } from '@muckwatch/contracts';
import { PipelinedAcks } from './pipelined-acks.js';

const MQTT_DEBUG = /mqttjs/.test(process.env['DEBUG'] ?? '');
const noop = (): void => undefined;

export interface SubscriberOptions {
  url: string;
  username?: string;
  password?: string;
  connections: number;
  /** Messages each connection may hold unacknowledged while their commit is under way. */
  inflightPerConnection: number;
  sharedSubscription: boolean;
  /**
   * Subscribe to telemetry (false when the broker runs in this process and hands telemetry to
   * the pipeline itself; liveness still comes by subscription).
   */
  telemetry: boolean;
  shareGroup: string;
  clientIdPrefix: string;
  /** Resolves when the message's effects are committed; only then is it acknowledged. */
  handle(topic: string, payload: Buffer, retained: boolean): Promise<void>;
  onConnectionChange?(connected: number): void;
  onError?(error: Error, clientId: string): void;
}

/**
 * The ingest's broker connections. Each PUBACK is sent only after its message's effects are
 * committed (PipelinedAcks), with up to `inflightPerConnection` messages waiting per connection,
 * so the messages of several connections in one shared-subscription group meet in one group
 * commit.
 *
 * Sessions are persistent (clean = false, fixed client ids): messages received but not committed
 * when the process dies are redelivered by the broker to the next process with the same ids.
 */
export class TelemetrySubscriber {
  private readonly clients: MqttClient[] = [];
  private readonly connected = new Set<string>();
  private lastError: string | null = null;

  constructor(private readonly options: SubscriberOptions) {}

  start(): void {
    for (let n = 0; n < this.options.connections; n += 1) {
      this.clients.push(this.connect(`${this.options.clientIdPrefix}-${n}`, n === 0));
    }
  }

  status(): { connected: number; expected: number; lastError: string | null } {
    return { connected: this.connected.size, expected: this.options.connections, lastError: this.lastError };
  }

  /** Closes the connections without acknowledging anything still in flight. */
  async stop(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.endAsync(true).catch(() => undefined)));
    this.connected.clear();
  }

  private connect(clientId: string, subscribesStatus: boolean): MqttClient {
    const options: IClientOptions = {
      clientId,
      clean: false,
      protocolVersion: 4,
      keepalive: 30,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      username: this.options.username,
      password: this.options.password,
      resubscribe: false,
      // MQTT.js logs through `debug` several times per packet; unless asked for (DEBUG=mqttjs*),
      // a no-op spares building those calls' arguments tens of thousands of times a second.
      ...(MQTT_DEBUG ? {} : { log: noop }),
    };
    const client = mqtt.connect(this.options.url, options);
    const acks = new PipelinedAcks(client, this.options.inflightPerConnection);
    /**
     * This connection's messages being committed, by packet id. A connection stalled on a commit
     * misses its keep-alive and reconnects; the broker then redelivers the same unacknowledged
     * packet (same id), which must join the commit under way rather than queue a second copy —
     * so what ingest holds stays bounded by the connection count however long the database is
     * away. Consecutive messages share their work (one group commit) and are forgotten together.
     */
    const inflight = new Map<number, Promise<void>>();
    let newest: { work: Promise<void>; ids: number[] } | null = null;
    client.handleMessage = (packet: IPublishPacket, callback: (error?: Error) => void): void => {
      const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
      const id = packet.messageId;
      let work = id === undefined ? undefined : inflight.get(id);
      if (!work) {
        work = this.options.handle(packet.topic, payload, packet.retain);
        if (id !== undefined) {
          inflight.set(id, work);
          if (newest?.work === work) {
            newest.ids.push(id);
          } else {
            const group = { work, ids: [id] };
            newest = group;
            const forget = (): void => {
              for (const done of group.ids) if (inflight.get(done) === group.work) inflight.delete(done);
              if (newest === group) newest = null;
            };
            work.then(forget, forget);
          }
        }
      }
      if (id !== undefined) acks.track(id, work);
      callback();
    };
    client.on('connect', () => {
      this.connected.add(clientId);
      this.options.onConnectionChange?.(this.connected.size);
      const telemetry = this.options.sharedSubscription
        ? `$share/${this.options.shareGroup}/${TELEMETRY_TOPIC_FILTER}`
        : TELEMETRY_TOPIC_FILTER;
      const topics: Record<string, { qos: 1 }> = this.options.telemetry ? { [telemetry]: { qos: 1 } } : {};
      // Liveness is retained; shared subscriptions get no retained messages, so one connection
      // holds a plain subscription to it.
      if (subscribesStatus) topics[STATUS_TOPIC_FILTER] = { qos: 1 };
      if (Object.keys(topics).length === 0) return;
      client.subscribe(topics, (error) => {
        if (error) this.fail(error, clientId);
      });
    });
    client.on('close', () => {
      if (this.connected.delete(clientId)) this.options.onConnectionChange?.(this.connected.size);
    });
    client.on('error', (error) => this.fail(error, clientId));
    return client;
  }

  private fail(error: Error, clientId: string): void {
    this.lastError = `${clientId}: ${error.message}`;
    this.options.onError?.(error, clientId);
  }
}
