/**
 * The simulated clock. With `speedup` > 1 it runs `speedup` times faster than the wall clock
 * but NEVER AHEAD of it (the platform refuses fixes from the future): it starts in the past,
 * catches up, and from then on runs in real time.
 */
export interface SimClockOptions {
  /** Simulated time at `wallStartMs`. Clamped to `wallStartMs` (never starts in the future). */
  startTimeMs: number;
  wallStartMs: number;
  speedup: number;
}

export class SimClock {
  readonly startTimeMs: number;

  constructor(private readonly options: SimClockOptions) {
    if (!(options.speedup >= 1)) throw new Error(`speedup must be ≥ 1, got ${options.speedup}`);
    this.startTimeMs = Math.min(options.startTimeMs, options.wallStartMs);
  }

  /** Simulated time at wall time `wallNowMs`: min(start + elapsed × speedup, wall now). */
  at(wallNowMs: number): number {
    const elapsed = Math.max(0, wallNowMs - this.options.wallStartMs);
    return Math.min(this.startTimeMs + elapsed * this.options.speedup, wallNowMs);
  }

  /** True once the simulated clock has caught up with the wall clock. */
  caughtUp(wallNowMs: number): boolean {
    return this.at(wallNowMs) >= wallNowMs;
  }
}

/** Default catch-up period when speeding up: the simulation starts this long before now. */
export const DEFAULT_CATCH_UP_MS = 3_600_000;

/** Default start: now at speedup 1; now − 1 h (catch-up) when speeding up. */
export function defaultStartTimeMs(wallNowMs: number, speedup: number, catchUpMs = DEFAULT_CATCH_UP_MS): number {
  return speedup > 1 ? wallNowMs - catchUpMs : wallNowMs;
}
