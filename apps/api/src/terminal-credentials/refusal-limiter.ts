/**
 * Decides which broker refusals get a row: at most `perKey` per key (a username or client id) and
 * `total` in all per window, so a flood of bad connections cannot fill the database. Every
 * refusal is still counted (metrics); only the rows are limited.
 */
export class RefusalLimiter {
  private windowStartMs = Number.NEGATIVE_INFINITY;
  private readonly counts = new Map<string, number>();
  private admitted = 0;

  constructor(
    private readonly options: { perKey: number; total: number; windowMs: number },
    private readonly now: () => number = Date.now,
  ) {}

  admit(key: string): boolean {
    const t = this.now();
    if (t - this.windowStartMs >= this.options.windowMs) {
      this.windowStartMs = t;
      this.counts.clear();
      this.admitted = 0;
    }
    const n = this.counts.get(key) ?? 0;
    if (n >= this.options.perKey || this.admitted >= this.options.total) return false;
    this.counts.set(key, n + 1);
    this.admitted += 1;
    return true;
  }
}
