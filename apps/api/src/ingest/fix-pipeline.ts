import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import type { FixRejection, TelemetryFix } from '@muckwatch/contracts';
import type { PreviousFix } from '@muckwatch/domain';
import { ComplianceService } from '../compliance/compliance.service.js';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';
import { PG_POOL } from '../database/database.module.js';
import { LiveFeed } from '../live/live-feed.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { PositionPartitions } from '../positions/position-partitions.js';
import { GroupCommitter } from './group-commit.js';
import { interpretFixes, rejectionRow, type MessageOrigin } from './telemetry-message.js';
import { TelemetryStore, type IngestItem } from './telemetry-store.js';

/** A message's schema-checked fixes (`validateTelemetryFixes` in libs/contracts). */
export interface CheckedFixes {
  fixes: Array<{ fix: TelemetryFix; index: number | null }>;
  rejections: FixRejection[];
}

/**
 * The one fix pipeline every door hands its messages to (MQTT: mqtt-door.ts; JT/T 808:
 * apps/api/src/jt808). A door turns its bytes into a terminal id and fix objects of the v1
 * telemetry contract; from here on everything is the same for every door: quality flags against
 * the terminal's last trusted fix, the group commit, the live feed and the compliance engine.
 * The only trace of the door is the `source` stored with each row.
 *
 * Every submit resolves once its rows are committed: a door acknowledges its terminal (an MQTT
 * PUBACK, a JT/T 808 0x8001) only then, so nothing is lost if the process dies in between.
 */
@Injectable()
export class FixPipeline implements OnApplicationShutdown {
  private readonly logger = new Logger('FixPipeline');
  private readonly lastTrusted = new Map<string, PreviousFix>();
  private readonly committer: GroupCommitter<IngestItem>;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(PG_POOL) pool: Pool,
    private readonly metrics: MetricsService,
    private readonly live: LiveFeed,
    private readonly compliance: ComplianceService,
    partitions: PositionPartitions,
  ) {
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
          `${item.message.source} message ${item.message.topic.slice(0, 128)} refused by the database on its own, recorded as unstorable: ${(error as Error).message}`,
        );
      },
    });
    this.metrics.measurePending(() => this.committer.pending);
  }

  onApplicationShutdown(): void {
    this.committer.stop();
  }

  status(): ReturnType<GroupCommitter<IngestItem>['status']> {
    return this.committer.status();
  }

  /**
   * A terminal's fixes. `raw` is what a rejection of the whole message keeps (the payload as
   * received, or its decoding for a binary protocol).
   */
  submitFixes(origin: MessageOrigin & { terminalId: string }, raw: string, checked: CheckedFixes): Promise<void> {
    let item: IngestItem;
    try {
      const result = interpretFixes({
        origin,
        raw,
        checked,
        lastTrusted: this.lastTrusted.get(origin.terminalId) ?? null,
        policy: this.config.ingest.quality,
      });
      if (result.lastTrusted) this.lastTrusted.set(origin.terminalId, result.lastTrusted);
      item = { positions: result.positions, rejections: result.rejections, liveness: [], message: origin };
    } catch (error) {
      // A fault of ours must not take the process (and, redelivered, every restart) with it.
      this.logger.error(`${origin.source} message ${origin.topic.slice(0, 128)} could not be interpreted: ${(error as Error).stack ?? String(error)}`);
      return this.submitRefusal(origin, { reason: 'unstorable', detail: `could not be interpreted: ${(error as Error).message}`.slice(0, 500), index: null }, raw);
    }
    return this.committer.submit(item);
  }

  /** A terminal came online or went offline (as its door saw it). */
  submitLiveness(origin: MessageOrigin & { terminalId: string }, liveness: 'online' | 'offline'): Promise<void> {
    return this.committer.submit({
      positions: [],
      rejections: [],
      liveness: [{ terminalId: origin.terminalId, liveness, changedAtMs: origin.receivedAtMs }],
      message: origin,
    });
  }

  /** A message its door refused before any fix was read from it, recorded with the reason. */
  submitRefusal(origin: MessageOrigin, rejection: FixRejection, raw: string): Promise<void> {
    return this.committer.submit({ positions: [], rejections: [rejectionRow(origin, rejection, raw)], liveness: [], message: origin });
  }
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
  const detail = `could not be stored: ${(error instanceof Error ? error.message : String(error)).slice(0, 500)}`;
  const rows =
    item.positions.length > 0
      ? item.positions.map((position) => ({ ...position, ts: new Date(position.fixTimeMs).toISOString() }))
      : { rejections: item.rejections, liveness: item.liveness };
  return {
    positions: [],
    rejections: [rejectionRow(item.message, { reason: 'unstorable', detail, index: null }, JSON.stringify(rows))],
    liveness: [],
    message: item.message,
  };
}
