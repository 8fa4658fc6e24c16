import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { TerminalLiveness, TruckPosition } from '@muckwatch/contracts';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';
import type { AdvancedPosition, LivenessRow } from '../ingest/telemetry-store.js';
import { LatestPositionsRepository } from './latest-positions.repository.js';
import { LiveGateway } from './live.gateway.js';

/**
 * Committed positions on their way to the consoles: only the latest per truck is kept, and the
 * batch goes out at most once per LIVE_BATCH_MS (about one update per truck per second).
 */
@Injectable()
export class LiveFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private pending = new Map<string, TruckPosition>();
  private readonly liveness = new Map<string, TerminalLiveness>();
  /** The last position sent per terminal, so a liveness change alone can be sent too. */
  private readonly lastSent = new Map<string, TruckPosition>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly latest: LatestPositionsRepository,
    private readonly gateway: LiveGateway,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.flush(), this.config.live.batchMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Called after each commit with the positions that moved forward and liveness changes. */
  committed(advanced: AdvancedPosition[], liveness: LivenessRow[]): void {
    for (const p of advanced) {
      const queued = this.pending.get(p.terminalId);
      if (queued && Date.parse(queued.ts) >= p.fixTimeMs) continue;
      const position = this.latest.toTruckPosition(p, this.liveness.get(p.terminalId) ?? null);
      this.pending.set(p.terminalId, position);
      this.lastSent.set(p.terminalId, position);
    }
    for (const row of liveness) {
      this.liveness.set(row.terminalId, row.liveness);
      const known = this.pending.get(row.terminalId) ?? this.lastSent.get(row.terminalId);
      if (known) this.pending.set(row.terminalId, { ...known, liveness: row.liveness });
    }
  }

  private flush(): void {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    this.gateway.broadcast(batch);
  }
}
