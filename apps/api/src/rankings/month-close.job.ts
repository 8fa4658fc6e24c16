import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';
import { RankingsService } from './rankings.service.js';

/**
 * Month close: at boot and then every MONTH_CLOSE_MINUTES, freezes every past month not yet frozen
 * (from the first month with data, at most 24 back). Each month is frozen under its advisory lock
 * and only when no revision exists, so with several API instances a month is frozen once.
 */
@Injectable()
export class MonthCloseJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('MonthCloseJob');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly rankings: RankingsService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.monthCloseMinutes <= 0) return;
    this.schedule();
    this.timer = setInterval(() => this.schedule(), this.config.monthCloseMinutes * 60_000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One run now (skipped while the previous one in this process still runs). */
  private schedule(): void {
    if (this.running) return;
    this.running = this.run()
      .catch((error: unknown) => this.logger.error(`month close failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        this.running = undefined;
      });
  }

  /** Freezes what is due; returns the months this call froze. */
  async run(nowMs: number = Date.now()): Promise<string[]> {
    const closed = await this.rankings.closePastMonths(nowMs);
    if (closed.length > 0) this.logger.log(`froze ${closed.join(', ')}`);
    return closed;
  }
}
