import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { TerminalLiveness, TruckPosition } from '@muckwatch/contracts';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';
import type { AdvancedPosition, LivenessRow } from '../ingest/telemetry-store.js';
import { LatestPositionsRepository } from './latest-positions.repository.js';
import { DomainEvents } from '../events/domain-events.js';

/**
 * Committed positions on their way to the consoles: only the latest per truck is kept, and the
 * batch goes out at most once per LIVE_BATCH_MS (about one update per truck per second), as
 * `live.positions`, which the live gateway of every instance sends to its consoles.
 */
@Injectable()
export class LiveFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  /** The newest committed position of each terminal since the last flush. */
  private pending = new Map<string, AdvancedPosition>();
  private readonly liveness = new Map<string, TerminalLiveness>();
  private livenessChanged = new Set<string>();
  /** The last position sent per terminal, so a liveness change alone can be sent too. */
  private readonly lastSent = new Map<string, TruckPosition>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly latest: LatestPositionsRepository,
    private readonly events: DomainEvents,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.flush(), this.config.live.batchMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * Called after each commit with the positions that moved forward and liveness changes. Only
   * remembers the newest of each terminal: the console's shape is built once per flush.
   */
  committed(advanced: AdvancedPosition[], liveness: LivenessRow[]): void {
    for (const p of advanced) {
      const queued = this.pending.get(p.terminalId);
      if (!queued || queued.fixTimeMs < p.fixTimeMs) this.pending.set(p.terminalId, p);
    }
    for (const row of liveness) {
      this.liveness.set(row.terminalId, row.liveness);
      this.livenessChanged.add(row.terminalId);
    }
  }

  private flush(): void {
    if (this.pending.size === 0 && this.livenessChanged.size === 0) return;
    const batch = new Map<string, TruckPosition>();
    for (const [terminalId, p] of this.pending) {
      batch.set(terminalId, this.latest.toTruckPosition(p, this.liveness.get(terminalId) ?? null));
    }
    for (const terminalId of this.livenessChanged) {
      const known = this.lastSent.get(terminalId);
      if (!batch.has(terminalId) && known) batch.set(terminalId, { ...known, liveness: this.liveness.get(terminalId) ?? null });
    }
    this.pending = new Map();
    this.livenessChanged = new Set();
    for (const [terminalId, position] of batch) this.lastSent.set(terminalId, position);
    // As an event: the consoles of every instance get it (ClusterBus), whichever instance stored the fixes.
    if (batch.size > 0) this.events.publish('live.positions', { positions: [...batch.values()] });
  }
}
