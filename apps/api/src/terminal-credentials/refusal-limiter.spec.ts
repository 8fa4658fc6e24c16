import { describe, expect, it } from 'vitest';
import { RefusalLimiter } from './refusal-limiter.js';

describe('a flood of refused connections', () => {
  it('records a few per key and a bounded number in all per window, then starts again', () => {
    let now = 0;
    const limiter = new RefusalLimiter({ perKey: 3, total: 5, windowMs: 60_000 }, () => now);
    const one = Array.from({ length: 10 }, () => limiter.admit('attacker'));
    expect(one.filter(Boolean)).toHaveLength(3);
    expect([limiter.admit('b'), limiter.admit('c'), limiter.admit('d')]).toEqual([true, true, false]);
    now = 59_999;
    expect(limiter.admit('e')).toBe(false);
    now = 60_000;
    expect(limiter.admit('attacker')).toBe(true);
  });
});
