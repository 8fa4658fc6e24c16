import { describe, expect, it } from 'vitest';
import { isOpenAt, type WeeklySchedule } from '../time-windows.js';

/** Shanghai local time → instant (UTC+8). */
const local = (iso: string) => new Date(`${iso}+08:00`);

// Most muck approvals in the city core allow night runs only: 22:00 to 06:00 the next morning.
describe('a night-shift window 22:00–06:00, every day', () => {
  const schedule: WeeklySchedule = { weekly: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '22:00', end: '06:00', crossesMidnight: true }] };

  it('is open late in the evening and before dawn', () => {
    expect(isOpenAt(schedule, local('2026-11-26T22:00:00'))).toBe(true);
    expect(isOpenAt(schedule, local('2026-11-26T23:59:59'))).toBe(true);
    expect(isOpenAt(schedule, local('2026-11-27T00:00:00'))).toBe(true);
    expect(isOpenAt(schedule, local('2026-11-27T05:59:59'))).toBe(true);
  });

  it('is closed by day; the end is exclusive', () => {
    expect(isOpenAt(schedule, local('2026-11-27T06:00:00'))).toBe(false);
    expect(isOpenAt(schedule, local('2026-11-27T12:00:00'))).toBe(false);
    expect(isOpenAt(schedule, local('2026-11-27T21:59:59'))).toBe(false);
  });

  it('judges by Shanghai time, not UTC: 14:30 UTC is 22:30 in Linzi', () => {
    expect(isOpenAt(schedule, new Date('2026-11-26T14:30:00Z'))).toBe(true);
    expect(isOpenAt(schedule, new Date('2026-11-26T04:30:00Z'))).toBe(false);
  });
});

describe('a weekday-only night window', () => {
  // Friday night runs into Saturday morning; Saturday night is closed.
  const schedule: WeeklySchedule = { weekly: [{ days: [1, 2, 3, 4, 5], start: '22:00', end: '06:00', crossesMidnight: true }] };

  it('lets Friday night run into Saturday morning', () => {
    expect(isOpenAt(schedule, local('2026-11-27T23:00:00'))).toBe(true); // Friday
    expect(isOpenAt(schedule, local('2026-11-28T05:00:00'))).toBe(true); // Saturday dawn
  });

  it('is closed on Saturday night and Monday before dawn', () => {
    expect(isOpenAt(schedule, local('2026-11-28T23:00:00'))).toBe(false);
    expect(isOpenAt(schedule, local('2026-11-30T03:00:00'))).toBe(false); // Monday, Sunday night closed
    expect(isOpenAt(schedule, local('2026-12-01T03:00:00'))).toBe(true); // Tuesday, Monday night open
  });
});
