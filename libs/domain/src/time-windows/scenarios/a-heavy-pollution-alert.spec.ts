import { describe, expect, it } from 'vitest';
import { evaluateSchedule, isOpenAt, type WeeklySchedule } from '../time-windows.js';

const local = (iso: string) => new Date(`${iso}+08:00`);

// A heavy-pollution alert (重污染天气预警) closes the roads to muck trucks for a day; a holiday
// may open a day window instead of the usual night one.
describe('dated exceptions', () => {
  const schedule: WeeklySchedule = {
    weekly: [
      { days: [1, 2, 3, 4, 5, 6, 7], start: '22:00', end: '06:00', crossesMidnight: true },
      { days: [6, 7], start: '09:00', end: '11:30' },
    ],
    exceptions: [
      { date: '2026-12-02', kind: 'closed', reason: '重污染天气橙色预警' },
      { date: '2026-10-01', kind: 'open', windows: [{ start: '12:00', end: '24:00' }], reason: '国庆抢工' },
    ],
  };

  it('closes the whole alert day, including the tail of the night before', () => {
    expect(isOpenAt(schedule, local('2026-12-01T23:00:00'))).toBe(true);
    expect(evaluateSchedule(schedule, local('2026-12-02T01:00:00'))).toMatchObject({ open: false, exception: { kind: 'closed' } });
    expect(isOpenAt(schedule, local('2026-12-02T23:00:00'))).toBe(false);
  });

  it('reopens after the alert: the night starting the next day runs as usual', () => {
    expect(isOpenAt(schedule, local('2026-12-03T05:00:00'))).toBe(false); // the night of the 2nd never started
    expect(isOpenAt(schedule, local('2026-12-03T22:30:00'))).toBe(true);
  });

  it('replaces the windows of an open day and keeps the night carried over from the day before', () => {
    expect(isOpenAt(schedule, local('2026-10-01T03:00:00'))).toBe(true); // from 30 September's night
    expect(isOpenAt(schedule, local('2026-10-01T10:00:00'))).toBe(false); // Thursday; holiday windows only
    expect(evaluateSchedule(schedule, local('2026-10-01T13:00:00'))).toMatchObject({ open: true, exception: { reason: '国庆抢工' } });
    expect(isOpenAt(schedule, local('2026-10-01T23:30:00'))).toBe(true);
    expect(isOpenAt(schedule, local('2026-10-02T01:00:00'))).toBe(false); // the holiday window ended at 24:00
  });

  it('keeps the weekend day window', () => {
    expect(isOpenAt(schedule, local('2026-11-28T10:00:00'))).toBe(true); // Saturday
    expect(isOpenAt(schedule, local('2026-11-27T10:00:00'))).toBe(false); // Friday
  });
});
