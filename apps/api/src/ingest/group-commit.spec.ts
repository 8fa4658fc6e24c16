import { describe, expect, it } from 'vitest';
import { GroupCommitter } from './group-commit.js';

describe('group commit', () => {
  it('puts what arrives during a commit into the next one, up to the batch weight', async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const committer = new GroupCommitter<number>({
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
});
