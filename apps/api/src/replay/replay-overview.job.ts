import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { officeDayOf, officeDayRange } from '@muckwatch/contracts';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';
import { PG_POOL } from '../database/database.module.js';
import { runExclusive, type ExclusiveResult } from '../database/run-exclusive.js';
import { ReplayRepository, type DayChunk } from './replay.repository.js';
import { toleranceForZoom } from './replay.service.js';

const DAY_MS = 86_400_000;
/** Terminal-days computed in one statement: bounds the statement's memory (a day is ~8,640 fixes at 10 s). */
const DAYS_PER_STATEMENT = 25;

/**
 * Stores track replay's overviews ahead (replay.repository.ts, replay_overviews): at boot and then
 * every REPLAY_OVERVIEW_MINUTES, each closed office day (Asia/Shanghai) of the last
 * REPLAY_OVERVIEW_DAYS not done yet in this process has the overview of every terminal with fixes
 * that day computed and stored at each of REPLAY_OVERVIEW_ZOOMS, the newest day first; so the
 * morning after, a month's replay reads 30 stored days and computes only today's.
 *
 * Each day runs in one transaction under its advisory lock (runExclusive, as month close does) and
 * re-checks inside it which terminal-days are missing or stored from fewer fixes than the day holds:
 * with several API instances a day is computed once, and an instance that finds the day locked
 * tries it again on its next run. A fix arriving after the day was stored changes the day's count:
 * the next replay computes that day again (and stores it), as before this job.
 */
@Injectable()
export class ReplayOverviewJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReplayOverviewJob');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;
  /** Closed days (office dates) this process has seen complete at every zoom. */
  private readonly done = new Set<string>();

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly repository: ReplayRepository,
  ) {}

  onApplicationBootstrap(): void {
    const { minutes } = this.config.replayOverviews;
    if (minutes <= 0) return;
    this.schedule();
    this.timer = setInterval(() => this.schedule(), minutes * 60_000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One run now (skipped while the previous one in this process still runs). */
  private schedule(): void {
    if (this.running) return;
    this.running = this.run()
      .catch((error: unknown) => this.logger.error(`storing replay overviews failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        this.running = undefined;
      });
  }

  /**
   * Stores what is due for the closed days of the last `days` before `nowMs`, newest first; returns
   * how many terminal-day overviews this call stored (all zooms together).
   */
  async run(nowMs: number = Date.now(), days: number = this.config.replayOverviews.days): Promise<number> {
    const today = officeDayOf(nowMs);
    let stored = 0;
    for (let back = 1; back <= days && !this.stopped; back += 1) {
      const day = officeDayOf(Date.parse(officeDayRange(today).from) - (back - 1) * DAY_MS - 1);
      if (this.done.has(day)) continue;
      const result = await this.storeDay(day);
      if (!result.ran) continue;
      stored += result.value;
      this.done.add(day);
    }
    // Only the days the next runs can still be asked for are remembered.
    const oldest = officeDayOf(nowMs - (days + 1) * DAY_MS);
    for (const day of this.done) if (day < oldest) this.done.delete(day);
    if (stored > 0) this.logger.log(`stored ${stored} replay overview(s) of closed days`);
    return stored;
  }

  private storeDay(day: string): Promise<ExclusiveResult<number>> {
    const range = officeDayRange(day);
    const [from, to] = [new Date(range.from), new Date(range.to)];
    return runExclusive(this.pool, `replay.overviews:${day}`, async (db) => {
      await this.repository.prepareAnalytic(db);
      let stored = 0;
      for (const zoom of this.config.replayOverviews.zooms) {
        const tolerance = toleranceForZoom(zoom);
        const terminals = await this.repository.daysToStore(db, from, to, tolerance);
        for (let i = 0; i < terminals.length && !this.stopped; i += DAYS_PER_STATEMENT) {
          const chunks: DayChunk[] = terminals.slice(i, i + DAYS_PER_STATEMENT).map((terminalId) => ({ terminalId, from, to, closed: false, storable: true }));
          stored += await this.repository.storeOverviews(db, chunks, tolerance);
        }
      }
      return stored;
    });
  }
}
