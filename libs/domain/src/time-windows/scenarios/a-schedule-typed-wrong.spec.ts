import { describe, expect, it } from 'vitest';
import { isOpenAt, validateSchedule } from '../time-windows.js';

// What a dispatcher may type into the form, and what they are told.
describe('a schedule typed wrong', () => {
  it('refuses a window that ends before it starts on the same day', () => {
    const problem = validateSchedule({ weekly: [{ days: [1], start: '22:00', end: '06:00' }] });
    expect(problem?.field).toBe('weekly.0.end');
    expect(problem?.message).toMatch(/crossesMidnight/);
    expect(validateSchedule({ weekly: [{ days: [1], start: '08:00', end: '08:00' }] })?.field).toBe('weekly.0.end');
  });

  it('accepts the same window declared as crossing midnight, and 24 hours as start == end', () => {
    expect(validateSchedule({ weekly: [{ days: [1], start: '22:00', end: '06:00', crossesMidnight: true }] })).toBeNull();
    expect(validateSchedule({ weekly: [{ days: [1], start: '00:00', end: '00:00', crossesMidnight: true }] })).toBeNull();
    expect(validateSchedule({ weekly: [{ days: [1, 2], start: '00:00', end: '24:00' }] })).toBeNull();
  });

  it('refuses a crossing window whose end is after its start (more than a day)', () => {
    expect(validateSchedule({ weekly: [{ days: [1], start: '06:00', end: '22:00', crossesMidnight: true }] })?.field).toBe('weekly.0.end');
  });

  it('names malformed times, weekdays and exception fields', () => {
    expect(validateSchedule({ weekly: [{ days: [1], start: '7:00', end: '09:00' }] })?.field).toBe('weekly.0.start');
    expect(validateSchedule({ weekly: [{ days: [0], start: '07:00', end: '09:00' }] })?.field).toBe('weekly.0.days');
    expect(validateSchedule({ weekly: [{ days: [], start: '07:00', end: '09:00' }] })?.field).toBe('weekly.0.days');
    expect(validateSchedule({ weekly: [], exceptions: [{ date: '2026-02-30', kind: 'closed', reason: 'x' }] })?.field).toBe('exceptions.0.date');
    expect(validateSchedule({ weekly: [], exceptions: [{ date: '2026-02-03', kind: 'closed' }] })?.field).toBe('exceptions.0.reason');
    expect(validateSchedule({ weekly: [], exceptions: [{ date: '2026-02-03', kind: 'open', reason: 'x', windows: [] }] })?.field).toBe('exceptions.0.windows');
    expect(
      validateSchedule({ weekly: [], exceptions: [{ date: '2026-02-03', kind: 'open', reason: 'x', windows: [{ start: '20:00', end: '02:00' }] }] })?.field,
    ).toBe('exceptions.0.windows.0.end');
  });

  it('a round-the-clock schedule is always open', () => {
    const always = { weekly: [{ days: [1, 2, 3, 4, 5, 6, 7] as const, start: '00:00', end: '24:00' }] };
    for (let h = 0; h < 48; h++) expect(isOpenAt(always, Date.UTC(2026, 10, 26, h, 17))).toBe(true);
  });
});
