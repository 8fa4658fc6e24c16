import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';
import { PG_POOL } from '../database/database.module.js';
import { runExclusiveSession } from '../database/run-exclusive.js';
import { PositionPartitions, retentionCutoff } from './position-partitions.js';

/**
 * Keeps the month partitions of positions: at boot and daily, makes this month's and the next two
 * ahead, and keeps RETENTION_MONTHS by dropping whole months — the drop once however many API
 * instances run it (an advisory lock: an instance finding it held skips the run).
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly partitions: PositionPartitions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.run();
    this.timer = setInterval(() => void this.run(), 86_400_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * The current month's and the next two months' partitions made (before the first fix needs
   * them), then those past retention dropped. The partitions dropped; null when another instance
   * was running it.
   */
  async run(nowMs = Date.now()): Promise<string[] | null> {
    try {
      await this.partitions.ensureAhead(this.pool, nowMs, 2);
      const result = await runExclusiveSession(this.pool, 'muckwatch:retention', async (db) => {
        const dropped = await this.partitions.dropOlderThan(db, this.config.retentionMonths, nowMs);
        if (dropped.length > 0) this.logger.log(`dropped partitions past retention: ${dropped.join(', ')}`);
        // Replay's stored overviews of those days (replay.repository.ts) go with them.
        await db.query(`DELETE FROM replay_overviews WHERE day_start < $1`, [retentionCutoff(this.config.retentionMonths, nowMs)]);
        return dropped;
      });
      return result.ran ? result.value : null;
    } catch (error) {
      this.logger.error(`retention failed: ${(error as Error).message}`);
      return [];
    }
  }
}
