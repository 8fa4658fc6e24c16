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

interface Pending<T> {
  item: T;
  resolve(): void;
  reject(error: unknown): void;
}

export class GroupCommitter<T> {
  private readonly queue: Array<Pending<T>> = [];
  private running = false;
  private stopped = false;
  private lastCommitAt: Date | null = null;
  private lastError: string | null = null;

  constructor(private readonly options: GroupCommitOptions<T>) {}

  /** Resolves once the item is committed. */
  submit(item: T): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('ingest is stopping'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  get pending(): number {
    return this.queue.length;
  }

  status(): { pending: number; lastCommitAt: Date | null; lastError: string | null } {
    return { pending: this.queue.length, lastCommitAt: this.lastCommitAt, lastError: this.lastError };
  }

  /** Stops taking items; pending ones are rejected (their messages stay unacknowledged). */
  stop(): void {
    this.stopped = true;
    for (const pending of this.queue.splice(0)) pending.reject(new Error('ingest stopped before commit'));
  }

  private takeBatch(): Array<Pending<T>> {
    let weight = 0;
    let count = 0;
    for (const pending of this.queue) {
      const w = this.options.weigh(pending.item);
      if (count > 0 && weight + w > this.options.maxBatchWeight) break;
      weight += w;
      count += 1;
    }
    return this.queue.slice(0, count);
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0 && !this.stopped) {
        const batch = this.takeBatch();
        const items = batch.map((pending) => pending.item);
        let attempt = 0;
        for (;;) {
          const started = performance.now();
          try {
            await this.options.commit(items);
            this.lastCommitAt = new Date();
            this.lastError = null;
            this.options.onCommitted?.(items, performance.now() - started);
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
        this.queue.splice(0, batch.length);
        for (const pending of batch) pending.resolve();
      }
    } finally {
      this.running = false;
    }
  }
}
