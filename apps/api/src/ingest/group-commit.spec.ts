import { describe, expect, it } from 'vitest';
import { GroupCommitter, type GroupCommitOptions } from './group-commit.js';

/** The store is up unless a test says otherwise; an isolated item is recorded as `!item`. */
const storeUp: Pick<GroupCommitOptions<never>, 'probe'> = { probe: () => Promise.resolve() };
const storeDown: Pick<GroupCommitOptions<never>, 'probe'> = { probe: () => Promise.reject(new Error('down')) };
const asRejection = { isolate: (item: string) => `!${item}` };
const asNegative = { isolate: (item: number) => -item };

describe('group commit', () => {
  it('puts what arrives during a commit into the next one, up to the batch weight', async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const committer = new GroupCommitter<number>({
      ...storeUp,
      ...asNegative,
      weigh: (n) => n,
      maxBatchWeight: 5,
      commit: async (items) => {
        batches.push(items);
        if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
      },
    });
    const first = committer.submit(1);
    const rest = [2, 3, 4].map((n) => committer.submit(n));
    expect(committer.pending).toBe(4);
    release();
    await Promise.all([first, ...rest]);
    expect(batches).toEqual([[1], [2, 3], [4]]);
    // One promise per batch, not per item.
    expect(rest[0]).toBe(rest[1]);
    expect(rest[2]).not.toBe(rest[1]);
  });

  it('holds its items through failed commits and resolves them only once a commit succeeds', async () => {
    let failures = 2;
    const errors: number[] = [];
    const committer = new GroupCommitter<string>({
      ...storeDown,
      ...asRejection,
      weigh: () => 1,
      maxBatchWeight: 10,
      retryInitialMs: 1,
      commit: () => (failures-- > 0 ? Promise.reject(new Error('database away')) : Promise.resolve()),
      onError: (_error, attempt) => errors.push(attempt),
    });
    let resolved = false;
    const done = committer.submit('fix').then(() => (resolved = true));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(resolved).toBe(false);
    await done;
    expect(errors).toEqual([1, 2]);
    expect(committer.status()).toMatchObject({ pending: 0, lastError: null });
  });

  it('rejects what is pending when stopped, so it stays unacknowledged', async () => {
    const committer = new GroupCommitter<string>({
      ...storeDown,
      ...asRejection,
      weigh: () => 1,
      maxBatchWeight: 10,
      retryInitialMs: 10_000,
      commit: () => Promise.reject(new Error('database away')),
    });
    const pending = committer.submit('fix');
    await new Promise((resolve) => setTimeout(resolve, 5));
    committer.stop();
    await expect(pending).rejects.toThrow('ingest stopped before commit');
  });

  it('finds the one item the store refuses by bisection, commits the rest, and records it in its place', async () => {
    const committed: string[][] = [];
    const isolated: string[] = [];
    let attempts = 0;
    const committer = new GroupCommitter<string>({
      ...storeUp,
      ...asRejection,
      weigh: () => 1,
      maxBatchWeight: 100,
      retryInitialMs: 1,
      commit: (items) => {
        attempts += 1;
        if (items.includes('poison')) return Promise.reject(new Error('invalid input syntax for type json'));
        committed.push(items);
        return Promise.resolve();
      },
      onIsolated: (item) => isolated.push(item),
    });
    const items = ['a', 'b', 'c', 'd', 'e', 'poison', 'f', 'g', 'h', 'i', 'j'];
    // The first commit starts at once; everything else arrives while it runs: one batch of 11.
    const first = committer.submit('first');
    await Promise.all([first, ...items.map((item) => committer.submit(item))]);
    expect(isolated).toEqual(['poison']);
    expect(committed.flat().sort()).toEqual([...items.filter((i) => i !== 'poison'), '!poison', 'first'].sort());
    // About 2·log2(11) extra commits, not one per item.
    expect(attempts).toBeLessThan(16);
    expect(committer.status()).toMatchObject({ pending: 0, isolated: 1, lastError: null });
  });

  it('never isolates while the store is away: it waits, holding everything', async () => {
    let up = false;
    let failures = 0;
    const isolated: string[] = [];
    const committer = new GroupCommitter<string>({
      probe: () => (up ? Promise.resolve() : Promise.reject(new Error('connection refused'))),
      ...asRejection,
      weigh: () => 1,
      maxBatchWeight: 100,
      retryInitialMs: 1,
      retryMaxMs: 2,
      commit: () => {
        if (!up) {
          failures += 1;
          if (failures === 5) up = true;
          return Promise.reject(new Error('connection refused'));
        }
        return Promise.resolve();
      },
      onIsolated: (item) => isolated.push(item),
    });
    await Promise.all([committer.submit('x'), committer.submit('y')]);
    expect(failures).toBe(5);
    expect(isolated).toEqual([]);
  });

  it('gives a transient refusal of a single item one more chance before isolating it', async () => {
    let calls = 0;
    const committed: string[][] = [];
    const committer = new GroupCommitter<string>({
      ...storeUp,
      ...asRejection,
      weigh: () => 1,
      maxBatchWeight: 10,
      commit: (items) => {
        calls += 1;
        if (calls === 1) return Promise.reject(new Error('deadlock detected'));
        committed.push(items);
        return Promise.resolve();
      },
    });
    await committer.submit('fix');
    expect(committed).toEqual([['fix']]);
    expect(committer.status().isolated).toBe(0);
  });

  it('tells how long the oldest waiting item has waited', async () => {
    let release!: () => void;
    const committer = new GroupCommitter<string>({
      ...storeUp,
      ...asRejection,
      weigh: () => 1,
      maxBatchWeight: 10,
      commit: () => new Promise<void>((resolve) => (release = resolve)),
    });
    expect(committer.oldestWaitMs()).toBe(0);
    const done = committer.submit('fix');
    expect(committer.oldestWaitMs(performance.now() + 60_000)).toBeGreaterThanOrEqual(60_000);
    release();
    await done;
    expect(committer.oldestWaitMs()).toBe(0);
  });

  it('divides an item refused on its own (a backlog) and isolates only the part at fault', async () => {
    const committed: string[] = [];
    const isolated: string[] = [];
    const committer = new GroupCommitter<string>({
      ...storeUp,
      ...asRejection,
      weigh: () => 1,
      maxBatchWeight: 100,
      // 'a+b+c' is one message of three fixes.
      split: (item) => (item.includes('+') ? item.split('+') : null),
      commit: (items) => {
        if (items.some((item) => item.split('+').includes('b'))) return Promise.reject(new Error('value out of range: underflow'));
        committed.push(...items);
        return Promise.resolve();
      },
      onIsolated: (item) => isolated.push(item),
    });
    await committer.submit('a+b+c');
    expect(isolated).toEqual(['b']);
    expect(committed.sort()).toEqual(['!b', 'a', 'c']);
  });
});
