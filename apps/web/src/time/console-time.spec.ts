import { describe, expect, it } from 'vitest';
import { elapsedSince, formatDateTime } from './console-time.js';

describe('formatDateTime', () => {
  it('shows a UTC instant in Beijing time, eight hours ahead', () => {
    expect(formatDateTime('2026-11-26T12:15:03Z')).toBe('2026-11-26 20:15:03');
  });

  it('rolls over to the next day in Beijing after 16:00 UTC', () => {
    expect(formatDateTime('2026-12-31T16:00:00.000Z')).toBe('2027-01-01 00:00:00');
  });

  it('accepts epoch milliseconds and offsets other than UTC', () => {
    expect(formatDateTime(Date.UTC(2026, 0, 2, 3, 4, 5))).toBe('2026-01-02 11:04:05');
    expect(formatDateTime('2026-11-26T20:15:03+08:00')).toBe('2026-11-26 20:15:03');
  });

  it('returns null for missing or unreadable times', () => {
    expect(formatDateTime(null)).toBeNull();
    expect(formatDateTime(undefined)).toBeNull();
    expect(formatDateTime('yesterday')).toBeNull();
  });
});

describe('elapsedSince', () => {
  const now = Date.UTC(2026, 10, 26, 12, 0, 0);

  it('picks the largest whole unit', () => {
    expect(elapsedSince(now - 2_000, now)).toEqual({ unit: 'justNow', n: 0 });
    expect(elapsedSince(now - 42_000, now)).toEqual({ unit: 'seconds', n: 42 });
    expect(elapsedSince(now - 5 * 60_000 - 59_000, now)).toEqual({ unit: 'minutes', n: 5 });
    expect(elapsedSince(now - 3 * 3_600_000, now)).toEqual({ unit: 'hours', n: 3 });
    expect(elapsedSince(now - 50 * 3_600_000, now)).toEqual({ unit: 'days', n: 2 });
  });

  it('treats a small clock skew as just now and a large one as in the future', () => {
    expect(elapsedSince(now + 10_000, now)).toEqual({ unit: 'justNow', n: 0 });
    expect(elapsedSince(now + 120_000, now)).toEqual({ unit: 'inFuture', n: 0 });
  });
});
