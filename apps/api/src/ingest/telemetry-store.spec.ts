import { describe, expect, it } from 'vitest';
import type { PositionRow } from './telemetry-message.js';
import { newestTrustedPerTerminal } from './telemetry-store.js';

const row = (terminalId: string, fixTimeMs: number, quality: PositionRow['quality'] = []): PositionRow =>
  ({ terminalId, fixTimeMs, quality }) as PositionRow;

describe('newestTrustedPerTerminal', () => {
  it('picks each terminal\'s newest unflagged fix, the first of equal times', () => {
    const batch = [
      row('A', 2_000),
      row('B', 1_000),
      row('A', 3_000, ['implied_speed']), // flagged: never the latest position
      row('A', 2_000),
      row('B', 1_500),
      row('A', 1_000),
    ];
    expect(newestTrustedPerTerminal(batch).sort()).toEqual([0, 4]);
  });

  it('leaves out a terminal whose fixes are all flagged', () => {
    expect(newestTrustedPerTerminal([row('C', 1, ['invalid_fix'])])).toEqual([]);
  });
});
