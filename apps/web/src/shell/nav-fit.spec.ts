import { describe, expect, it } from 'vitest';
import { navEntriesThatFit } from './nav-fit.js';

describe('navEntriesThatFit', () => {
  const widths = [90, 90, 60, 90, 90, 60, 80, 90];

  it('keeps every entry in the row when all fit, without room for 更多', () => {
    const total = widths.reduce((a, b) => a + b) + 2 * (widths.length - 1);
    expect(navEntriesThatFit(widths, 2, total, 70)).toBe(widths.length);
  });

  it('leaves room for 更多 once one entry does not fit', () => {
    const total = widths.reduce((a, b) => a + b) + 2 * (widths.length - 1);
    // One pixel short: the last entry (90 px) goes under a 70 px 更多.
    expect(navEntriesThatFit(widths, 2, total - 1, 70)).toBe(7);
    // Short by more than the last entry gives back: the one before goes too.
    expect(navEntriesThatFit(widths, 2, total - 30, 70)).toBe(6);
    // 90 + 2 + 90 + 2 + 60 = 244 fit beside a 70 px 更多 in 316 px, a fourth entry does not.
    expect(navEntriesThatFit(widths, 2, 316, 70)).toBe(3);
  });

  it('keeps at least the first entry however narrow the row', () => {
    expect(navEntriesThatFit(widths, 2, 10, 70)).toBe(1);
    expect(navEntriesThatFit([], 2, 10, 70)).toBe(0);
  });
});
