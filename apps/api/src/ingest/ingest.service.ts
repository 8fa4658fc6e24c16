import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { TERMINAL_ID_PATTERN, parseTerminalTopic } from '@muckwatch/contracts';
import type { PreviousFix } from '@muckwatch/domain';
import { ComplianceService } from '../compliance/compliance.service.js';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';
import { PG_POOL } from '../database/database.module.js';
import { INFRASTRUCTURE, type Infrastructure } from '../infrastructure.js';
import { LiveFeed } from '../live/live-feed.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { PositionPartitions } from '../positions/position-partitions.js';
import { GroupCommitter } from './group-commit.js';
import { assertMqttAckContract } from './pipelined-acks.js';
import { interpretTelemetry, rejectionRow } from './telemetry-message.js';
import { TelemetryStore, type IngestItem } from './telemetry-store.js';
import { TelemetrySubscriber } from './telemetry-subscriber.js';

/**
 * MQTT → PostGIS. Every message becomes stored fixes and/or recorded rejections, committed in
 * a group commit; the broker gets its acknowledgement only after COMMIT.
 */
@Injectable()
export class IngestService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Ingest');
  private readonly lastTrusted = new Map<string, PreviousFix>();
  private readonly committer: GroupCommitter<IngestItem>;
  private readonly subscriber: TelemetrySubscriber;
  /** Per-channel message counters, resolved once (a labelled inc per message hashes its labels). */
  private readonly messagesOn: Record<'telemetry' | 'status' | 'unknown', { inc(): void }>;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(INFRASTRUCTURE) infra: Infrastructure,
    @Inject(PG_POOL) pool: Pool,
    private readonly metrics: MetricsService,
    private readonly live: LiveFeed,
    private readonly compliance: ComplianceService,
    partitions: PositionPartitions,
  ) {
    assertMqttAckContract();
    this.messagesOn = {
      telemetry: metrics.messages.labels({ channel: 'telemetry' }),
      status: metrics.messages.labels({ channel: 'status' }),
      unknown: metrics.messages.labels({ channel: 'unknown' }),
    };
    const store = new TelemetryStore(pool, partitions);
    this.committer = new GroupCommitter<IngestItem>({
      weigh: (item) => Math.max(1, item.positions.length + item.rejections.length + item.liveness.length),
      maxBatchWeight: config.ingest.maxBatchFixes,
      commit: async (items) => {
        const result = await store.commit(items);
        this.metrics.fixes.inc({ result: 'stored' }, result.stored);
        this.metrics.fixes.inc({ result: 'duplicate' }, result.duplicates);
        this.live.committed(result.advanced, result.liveness);
        // The engine runs after the commit on its own queue; this only hands the rows over.
        this.compliance.committed(items.flatMap((item) => item.positions));
      },
      onCommitted: (items, durationMs) => {
        this.metrics.commitSeconds.observe(durationMs / 1000);
        this.metrics.batchFixes.observe(items.reduce((n, item) => n + item.positions.length, 0));
        for (const item of items) for (const r of item.rejections) this.metrics.rejections.inc({ reason: r.reason });
      },
      probe: () => probe(pool),
      split: (item) => splitItem(item),
      isolate: (item, error) => unstorable(item, error),
      onError: (error, attempt) => {
        this.metrics.commitFailures.inc();
        if (attempt === 1 || attempt % 10 === 0) {
          this.logger.error(`commit failed (attempt ${attempt}), holding acknowledgements: ${(error as Error).message}`);
        }
      },
      onIsolated: (item, error) => {
        this.metrics.isolated.inc();
        this.logger.warn(
          `message on ${item.message.topic.slice(0, 128)} refused by the database on its own, recorded as unstorable: ${(error as Error).message}`,
        );
      },
    });
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
      onConnectionChange: (connected) => this.metrics.brokerConnected.set(connected),
      onError: (error, clientId) => this.logger.warn(`broker connection ${clientId}: ${error.message}`),
    });
    // The broker in this process hands telemetry over directly and acknowledges it after commit.
    infra.embeddedBroker?.useTelemetrySink((topic, payload) => this.handle(topic, payload));
    this.metrics.brokerExpected.set(config.ingest.connections);
    this.metrics.measurePending(() => this.committer.pending);
  }

  onApplicationBootstrap(): void {
    this.subscriber.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber.stop();
    this.committer.stop();
  }

  status(): {
    broker: ReturnType<TelemetrySubscriber['status']>;
    commits: ReturnType<GroupCommitter<IngestItem>['status']>;
  } {
    return { broker: this.subscriber.status(), commits: this.committer.status() };
  }

  /** One broker message; resolves once its effects are committed. */
  handle(topic: string, payload: Buffer): Promise<void> {
    const receivedAtMs = Date.now();
    let item: IngestItem;
    try {
      item = this.interpret(topic, payload.toString('utf8'), payload.length, receivedAtMs);
    } catch (error) {
      // A fault of ours must not take the process (and, redelivered, every restart) with it.
      this.logger.error(`message on ${topic.slice(0, 128)} could not be interpreted: ${(error as Error).stack ?? String(error)}`);
      const detail = `could not be interpreted: ${(error as Error).message}`.slice(0, 500);
      item = {
        positions: [],
        rejections: [rejectionRow(topic, null, receivedAtMs, { reason: 'unstorable', detail, index: null }, payload.toString('utf8'))],
        liveness: [],
        message: { topic, terminalId: null, receivedAtMs },
      };
    }
    return this.committer.submit(item);
  }

  /**
   * `payload` is decoded once; nothing of it but the rows is kept until the commit (a Buffer from
   * the broker connection may be a view of a whole socket read, which it would keep alive).
   */
  private interpret(topic: string, payload: string, byteLength: number, receivedAtMs: number): IngestItem {
    const message: IngestItem['message'] = { topic, terminalId: null, receivedAtMs };
    const parsed = parseTerminalTopic(topic);
    if (!parsed) {
      this.messagesOn.unknown.inc();
      return refused(message, 'bad_topic', 'not a muckwatch/v1/terminals/{terminalId}/(telemetry|status) topic', payload);
    }
    this.messagesOn[parsed.channel].inc();
    const { terminalId } = parsed;
    if (!TERMINAL_ID_PATTERN.test(terminalId)) {
      return refused(message, 'bad_terminal_id', `terminal id "${terminalId.slice(0, 64)}" is not 1–32 of [A-Za-z0-9_-]`, payload);
    }
    message.terminalId = terminalId;
    if (parsed.channel === 'status') {
      const status = payload.trim();
      if (status !== 'online' && status !== 'offline') {
        return refused(message, 'bad_status', 'status payload must be "online" or "offline"', payload);
      }
      return { positions: [], rejections: [], liveness: [{ terminalId, liveness: status, changedAtMs: receivedAtMs }], message };
    }
    const result = interpretTelemetry({
      topic,
      terminalId,
      payload,
      byteLength,
      receivedAtMs,
      lastTrusted: this.lastTrusted.get(terminalId) ?? null,
      policy: this.config.ingest.quality,
    });
    if (result.lastTrusted) this.lastTrusted.set(terminalId, result.lastTrusted);
    return { positions: result.positions, rejections: result.rejections, liveness: [], message };
  }

}

/** A message refused before it was read as telemetry (its topic or status). */
function refused(
  message: IngestItem['message'],
  reason: 'bad_topic' | 'bad_terminal_id' | 'bad_status',
  detail: string,
  payload: string,
): IngestItem {
  const row = rejectionRow(message.topic, message.terminalId, message.receivedAtMs, { reason, detail, index: null }, payload);
  return { positions: [], rejections: [row], liveness: [], message };
}

/** Whether the database answers at all: an outage is waited out, a refusal of the data is not. */
async function probe(pool: Pool): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      pool.query('SELECT 1'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('database did not answer within 5 s')), 5000);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A message the database refused, as one item per fix plus one for the rest, so that only what is
 * at fault is refused: the other fixes of a backlog are stored.
 */
function splitItem(item: IngestItem): IngestItem[] | null {
  if (item.positions.length + (item.rejections.length + item.liveness.length > 0 ? 1 : 0) < 2) return null;
  const parts: IngestItem[] = item.positions.map((position) => ({ ...item, positions: [position], rejections: [], liveness: [] }));
  if (item.rejections.length + item.liveness.length > 0) parts.push({ ...item, positions: [] });
  return parts;
}

/**
 * The record of what the store refused: the rows the message became (its fixes with every stored
 * field, or its rejections and liveness), kept as a rejection with the database's reason.
 */
function unstorable(item: IngestItem, error: unknown): IngestItem {
  const { topic, terminalId, receivedAtMs } = item.message;
  const detail = `could not be stored: ${(error instanceof Error ? error.message : String(error)).slice(0, 500)}`;
  const rows =
    item.positions.length > 0
      ? item.positions.map((position) => ({ ...position, ts: new Date(position.fixTimeMs).toISOString() }))
      : { rejections: item.rejections, liveness: item.liveness };
  return {
    positions: [],
    rejections: [rejectionRow(topic, terminalId, receivedAtMs, { reason: 'unstorable', detail, index: null }, JSON.stringify(rows))],
    liveness: [],
    message: item.message,
  };
}
