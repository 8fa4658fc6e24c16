import { describe, expect, it } from 'vitest';
import { durationUnits, elapsedSince, formatDateTime } from './console-time.js';

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

describe('durationUnits', () => {
  const of = (seconds: number): string => {
    const { key, params } = durationUnits(seconds);
    return `${key} ${params.d}d ${params.h}h ${params.m}m ${params.s}s`;
  };

  it('shows a stop of ten minutes as minutes alone, never as zero hours', () => {
    expect(of(600)).toBe('minutes 0d 0h 10m 0s');
    expect(of(59 * 60 + 20)).toBe('minutes 0d 0h 59m 0s');
  });

  it('names hours and minutes under a day, and leaves out zero minutes', () => {
    expect(of(3900)).toBe('hoursMinutes 0d 1h 5m 0s');
    expect(of(2 * 3600 + 10)).toBe('hours 0d 2h 0m 0s');
    // 59.5 minutes round up to the hour, not to "0 h 60 min".
    expect(of(3570)).toBe('hours 0d 1h 0m 0s');
  });

  it('names days and hours from a day on', () => {
    expect(of(2 * 86_400 + 3 * 3600 + 20 * 60)).toBe('daysHours 2d 3h 0m 0s');
    expect(of(86_400 + 10 * 60)).toBe('days 1d 0h 0m 0s');
    expect(of(23 * 3600 + 59 * 60 + 50)).toBe('days 1d 0h 0m 0s');
  });

  it('keeps seconds under a minute, and treats a negative duration as none', () => {
    expect(of(45)).toBe('seconds 0d 0h 0m 45s');
    expect(of(-5)).toBe('seconds 0d 0h 0m 0s');
  });
});
