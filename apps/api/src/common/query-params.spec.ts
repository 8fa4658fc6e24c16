import { BadRequestException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { parseTimeParam, parseTimeRange } from './query-params.js';

/** The 400 body a parse throws, or null when it parsed. */
function refusal(parse: () => unknown): unknown {
  try {
    parse();
    return null;
  } catch (error) {
    if (error instanceof BadRequestException) return error.getResponse();
    throw error;
  }
}

describe('time query parameters', () => {
  it('reads ISO 8601 with an offset and epoch milliseconds', () => {
    expect(parseTimeParam('at', '2026-11-26T08:00:00+08:00', 0).toISOString()).toBe('2026-11-26T00:00:00.000Z');
    expect(parseTimeParam('at', '1764115200000', 0).toISOString()).toBe('2025-11-26T00:00:00.000Z');
  });

  it('refuses instants a Date cannot format with a 400 naming the parameter, never a RangeError', () => {
    for (const raw of ['99999999999999999999', '8640000000000001', '9'.repeat(400), '+275760-09-13T00:00:00.001Z', '+200000-01-01T00:00:00Z', '-000001-01-01T00:00:00Z']) {
      expect(refusal(() => parseTimeParam('at', raw, 0)), raw).toMatchObject({ field: 'at' });
    }
    expect(refusal(() => parseTimeRange({ from: '99999999999999999999' }, 1, 10))).toMatchObject({ field: 'from', message: expect.stringContaining('1970-01-01 to 9999-12-31') as string });
    expect(refusal(() => parseTimeRange({ to: '10000-01-01T00:00:00Z' }, 1, 10))).toMatchObject({ field: 'to' });
  });

  it('refuses what is not a time', () => {
    expect(refusal(() => parseTimeParam('from', 'yesterday', 0))).toMatchObject({ field: 'from' });
    expect(refusal(() => parseTimeParam('from', '2026-11-26T08:00:00', 0))).toMatchObject({ field: 'from' });
  });
});
