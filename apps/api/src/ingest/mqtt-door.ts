import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { TERMINAL_ID_PATTERN, parseTelemetryPayload, parseTerminalTopic, type FixRejection } from '@muckwatch/contracts';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';
import { INFRASTRUCTURE, type Infrastructure } from '../infrastructure.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { FixPipeline } from './fix-pipeline.js';
import { assertMqttAckContract } from './pipelined-acks.js';
import type { MessageOrigin } from './telemetry-message.js';
import { TelemetrySubscriber } from './telemetry-subscriber.js';

/**
 * The MQTT door: broker messages → the fix pipeline. It reads the topic (which terminal, telemetry
 * or liveness) and the JSON; the pipeline does the rest. The broker gets its acknowledgement only
 * after the pipeline's COMMIT.
 */
@Injectable()
export class MqttDoor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('MqttDoor');
  private readonly subscriber: TelemetrySubscriber;
  /** Per-channel message counters, resolved once (a labelled inc per message hashes its labels). */
  private readonly messagesOn: Record<'telemetry' | 'status' | 'unknown', { inc(): void }>;

  constructor(
    @Inject(API_CONFIG) config: ApiConfig,
    @Inject(INFRASTRUCTURE) infra: Infrastructure,
    metrics: MetricsService,
    private readonly pipeline: FixPipeline,
  ) {
    assertMqttAckContract();
    this.messagesOn = {
      telemetry: metrics.messages.labels({ channel: 'telemetry' }),
      status: metrics.messages.labels({ channel: 'status' }),
      unknown: metrics.messages.labels({ channel: 'unknown' }),
    };
    this.subscriber = new TelemetrySubscriber({
      url: infra.mqttUrl,
      username: infra.mqttAccount?.username,
      password: infra.mqttAccount?.password,
      connections: config.ingest.connections,
      inflightPerConnection: config.ingest.inflightPerConnection,
      sharedSubscription: config.ingest.sharedSubscription,
      telemetry: infra.embeddedBroker === null,
      shareGroup: config.ingest.shareGroup,
      clientIdPrefix: config.ingest.clientIdPrefix,
      handle: (topic, payload) => this.handle(topic, payload),
      onConnectionChange: (connected) => metrics.brokerConnected.set(connected),
      onError: (error, clientId) => this.logger.warn(`broker connection ${clientId}: ${error.message}`),
    });
    // The broker in this process hands telemetry over directly and acknowledges it after commit.
    infra.embeddedBroker?.useTelemetrySink((topic, payload) => this.handle(topic, payload));
    metrics.brokerExpected.set(config.ingest.connections);
  }

  onApplicationBootstrap(): void {
    this.subscriber.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber.stop();
  }

  status(): ReturnType<TelemetrySubscriber['status']> {
    return this.subscriber.status();
  }

  /**
   * One broker message; resolves once its effects are committed. `payload` is decoded once;
   * nothing of it but the rows is kept until the commit (a Buffer from the broker connection may
   * be a view of a whole socket read, which it would keep alive).
   */
  handle(topic: string, payload: Buffer): Promise<void> {
    const origin: MessageOrigin = { source: 'mqtt', topic, terminalId: null, receivedAtMs: Date.now() };
    const text = payload.toString('utf8');
    const parsed = parseTerminalTopic(topic);
    if (!parsed) {
      this.messagesOn.unknown.inc();
      return this.refuse(origin, 'bad_topic', 'not a muckwatch/v1/terminals/{terminalId}/(telemetry|status) topic', text);
    }
    this.messagesOn[parsed.channel].inc();
    const { terminalId } = parsed;
    if (!TERMINAL_ID_PATTERN.test(terminalId)) {
      return this.refuse(origin, 'bad_terminal_id', `terminal id "${terminalId.slice(0, 64)}" is not 1–32 of [A-Za-z0-9_-]`, text);
    }
    const own = { ...origin, terminalId };
    if (parsed.channel === 'status') {
      const status = text.trim();
      if (status !== 'online' && status !== 'offline') return this.refuse(own, 'bad_status', 'status payload must be "online" or "offline"', text);
      return this.pipeline.submitLiveness(own, status);
    }
    let verdict: ReturnType<typeof parseTelemetryPayload>;
    try {
      verdict = parseTelemetryPayload(text, payload.length);
    } catch (error) {
      // A fault of ours must not take the process (and, redelivered, every restart) with it.
      this.logger.error(`message on ${topic.slice(0, 128)} could not be parsed: ${(error as Error).stack ?? String(error)}`);
      return this.refuse(own, 'unstorable', `could not be interpreted: ${(error as Error).message}`.slice(0, 500), text);
    }
    if (!verdict.ok) return this.pipeline.submitRefusal(own, verdict.rejection, text);
    return this.pipeline.submitFixes(own, text, verdict);
  }

  private refuse(origin: MessageOrigin, reason: FixRejection['reason'], detail: string, raw: string): Promise<void> {
    return this.pipeline.submitRefusal(origin, { reason, detail, index: null }, raw);
  }
}
