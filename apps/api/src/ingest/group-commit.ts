/**
 * Continuous group commit: items submitted while a commit runs wait and go together in the next
 * one, so the batch grows with the load and nothing waits on a timer. A failed commit is retried
 * with back-off, forever, holding its items (and, upstream, their broker acknowledgements): when
 * the database is away, ingest stops acknowledging instead of losing or buffering without bound.
 */
export interface GroupCommitOptions<T> {
  commit(items: T[]): Promise<void>;
  /** Size of an item in the unit maxBatchWeight counts (e.g. rows). */
  weigh(item: T): number;
  maxBatchWeight: number;
  retryInitialMs?: number;
  retryMaxMs?: number;
  onCommitted?(items: T[], durationMs: number): void;
  onError?(error: unknown, attempt: number): void;
}

/** Items that will commit together, and the one promise they all wait on. */
interface Batch<T> {
  items: T[];
  weight: number;
  /** Taken for commit: later items go to a new batch. */
  sealed: boolean;
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

  status(): { pending: number; lastCommitAt: Date | null; lastError: string | null } {
    return { pending: this.items, lastCommitAt: this.lastCommitAt, lastError: this.lastError };
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
        let attempt = 0;
        for (;;) {
          const started = performance.now();
          try {
            await this.options.commit(batch.items);
            this.lastCommitAt = new Date();
            this.lastError = null;
            this.options.onCommitted?.(batch.items, performance.now() - started);
            break;
          } catch (error) {
            attempt += 1;
            this.lastError = error instanceof Error ? error.message : String(error);
            this.options.onError?.(error, attempt);
            if (this.stopped) return;
            const initial = this.options.retryInitialMs ?? 250;
            const max = this.options.retryMaxMs ?? 5000;
            await new Promise((resolve) => setTimeout(resolve, Math.min(max, initial * 2 ** (attempt - 1))));
            if (this.stopped) return;
          }
        }
        this.batches.shift();
        this.items -= batch.items.length;
        batch.resolve();
      }
    } finally {
      this.running = false;
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
  return { items: [], weight: 0, sealed: false, done, resolve, reject };
}
