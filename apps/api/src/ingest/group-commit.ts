/**
 * Continuous group commit: items submitted while a commit runs wait and go together in the next
 * one, so the batch grows with the load and nothing waits on a timer.
 *
 * A failed commit is told apart by asking the store whether it is up (`probe`):
 * - the store is away: the batch is retried with back-off, forever, holding its items (and,
 *   upstream, their broker acknowledgements): ingest stops acknowledging instead of losing or
 *   buffering without bound;
 * - the store is up, so the batch's data is at fault: the batch is split in halves, each
 *   committed on its own (bisection), until the item that fails alone is found. That item, after
 *   failing alone twice, is divided (`split`) and bisected further if it can be, else replaced by
 *   its `isolate` record (a rejection with the reason), and the rest commit. No input can hold the pipeline: a poison message costs about 2·log2(batch)
 *   extra commits, once.
 */
export interface GroupCommitOptions<T> {
  commit(items: T[]): Promise<void>;
  /** Resolves when the store answers; rejects when it is away. */
  probe(): Promise<void>;
  /**
   * An item the store refuses on its own, divided into smaller items (e.g. a backlog message into
   * its fixes), so that only the part at fault is isolated; null when it cannot be divided.
   */
  split?(item: T): T[] | null;
  /** What to commit instead of an item the store refuses even on its own. */
  isolate(item: T, error: unknown): T;
  /** Size of an item in the unit maxBatchWeight counts (e.g. rows). */
  weigh(item: T): number;
  maxBatchWeight: number;
  retryInitialMs?: number;
  retryMaxMs?: number;
  onCommitted?(items: T[], durationMs: number): void;
  onError?(error: unknown, attempt: number): void;
  /** An item was refused on its own and replaced by its isolate record. */
  onIsolated?(item: T, error: unknown): void;
}

/** Items that will commit together, and the one promise they all wait on. */
interface Batch<T> {
  items: T[];
  weight: number;
  /** Taken for commit: later items go to a new batch. */
  sealed: boolean;
  /** When its first item arrived (performance.now()). */
  openedAt: number;
  done: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

export class GroupCommitter<T> {
  /** Oldest first; only the last one takes new items, and only until it is sealed. */
  private readonly batches: Array<Batch<T>> = [];
  private items = 0;
  private running = false;
  private stopped = false;
  private lastCommitAt: Date | null = null;
  private lastError: string | null = null;
  private isolated = 0;

  constructor(private readonly options: GroupCommitOptions<T>) {}

  /**
   * Resolves once the item is committed. Items of one batch share one promise: at tens of
   * thousands of items a second, a promise and its callbacks per item cost the event loop more
   * than the commit does.
   */
  submit(item: T): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('ingest is stopping'));
    const weight = this.options.weigh(item);
    let batch = this.batches[this.batches.length - 1];
    if (!batch || batch.sealed || (batch.items.length > 0 && batch.weight + weight > this.options.maxBatchWeight)) {
      batch = newBatch<T>();
      this.batches.push(batch);
    }
    batch.items.push(item);
    batch.weight += weight;
    this.items += 1;
    if (!this.running) void this.drain();
    return batch.done;
  }

  get pending(): number {
    return this.items;
  }

  /** How long the oldest item still waiting for its commit has waited, in ms (0 when none). */
  oldestWaitMs(now = performance.now()): number {
    const oldest = this.batches[0];
    return oldest && oldest.items.length > 0 ? Math.max(0, now - oldest.openedAt) : 0;
  }

  status(): { pending: number; oldestWaitMs: number; isolated: number; lastCommitAt: Date | null; lastError: string | null } {
    return {
      pending: this.items,
      oldestWaitMs: Math.round(this.oldestWaitMs()),
      isolated: this.isolated,
      lastCommitAt: this.lastCommitAt,
      lastError: this.lastError,
    };
  }

  /** Stops taking items; pending ones are rejected (their messages stay unacknowledged). */
  stop(): void {
    this.stopped = true;
    this.items = 0;
    for (const batch of this.batches.splice(0)) batch.reject(new Error('ingest stopped before commit'));
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (let batch = this.batches[0]; batch && !this.stopped; batch = this.batches[0]) {
        batch.sealed = true;
        if (!(await this.commitAll(batch.items))) return;
        this.batches.shift();
        this.items -= batch.items.length;
        batch.resolve();
      }
    } finally {
      this.running = false;
    }
  }

  /**
   * Commits the items, splitting them while the store is up and refuses them. Resolves true once
   * every item is committed (or replaced by its isolate record), false when stopped.
   */
  private async commitAll(items: T[]): Promise<boolean> {
    let attempt = 0;
    let failedAlone = 0;
    let current = items;
    for (;;) {
      const started = performance.now();
      try {
        await this.options.commit(current);
        this.lastCommitAt = new Date();
        this.lastError = null;
        this.options.onCommitted?.(current, performance.now() - started);
        return true;
      } catch (error) {
        attempt += 1;
        this.lastError = error instanceof Error ? error.message : String(error);
        this.options.onError?.(error, attempt);
        if (this.stopped) return false;
        if (await this.storeIsUp()) {
          if (current.length > 1) {
            const half = Math.ceil(current.length / 2);
            return (await this.commitAll(current.slice(0, half))) && this.commitAll(current.slice(half));
          }
          // Alone: once more (a transient fault of the store passes), then it is the item.
          failedAlone += 1;
          if (failedAlone >= 2 && current === items) {
            const item = current[0]!;
            const parts = this.options.split?.(item);
            if (parts && parts.length > 1) return this.commitAll(parts);
            this.isolated += 1;
            this.options.onIsolated?.(item, error);
            current = [this.options.isolate(item, error)];
            attempt = 0;
            continue;
          }
          if (failedAlone < 2) continue;
        }
        const initial = this.options.retryInitialMs ?? 250;
        const max = this.options.retryMaxMs ?? 5000;
        await new Promise((resolve) => setTimeout(resolve, Math.min(max, initial * 2 ** (attempt - 1))));
        if (this.stopped) return false;
      }
    }
  }

  private async storeIsUp(): Promise<boolean> {
    try {
      await this.options.probe();
      return true;
    } catch {
      return false;
    }
  }
}

function newBatch<T>(): Batch<T> {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A stopped batch's rejection reaches every item's caller; none may go unhandled here.
  done.catch(() => undefined);
  return { items: [], weight: 0, sealed: false, openedAt: performance.now(), done, resolve, reject };
}
