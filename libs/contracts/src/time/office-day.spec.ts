import { describe, expect, it } from 'vitest';
import { officeDayOf, officeDayRange } from './office-time.js';

describe('office days', () => {
  it('gives a day of the office as UTC instants, across a month and a year end', () => {
    expect(officeDayRange('2026-11-26')).toEqual({ from: '2026-11-25T16:00:00.000Z', to: '2026-11-26T16:00:00.000Z' });
    expect(officeDayRange('2026-11-30').to).toBe('2026-11-30T16:00:00.000Z');
    expect(officeDayRange('2026-12-31')).toEqual({ from: '2026-12-30T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z' });
  });

  it('follows the zone it is given (the night summer time starts is 23 hours long)', () => {
    const { from, to } = officeDayRange('2026-03-29', 'Europe/Berlin');
    expect(Date.parse(to) - Date.parse(from)).toBe(23 * 3_600_000);
  });

  it('names the day of an instant in the office', () => {
    expect(officeDayOf(Date.parse('2026-11-25T16:00:00Z'))).toBe('2026-11-26');
    expect(officeDayOf(Date.parse('2026-11-25T15:59:59Z'))).toBe('2026-11-25');
  });

  it('refuses what is not a day', () => {
    for (const bad of ['2026-13-01', '2026-1-1', '26-01-01', '2026-01-32', '']) expect(() => officeDayRange(bad)).toThrow(RangeError);
  });
});
