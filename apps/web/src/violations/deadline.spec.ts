import { describe, expect, it } from 'vitest';
import { countdownMessage, deadlineCountdown } from './deadline.js';

const NOW = Date.parse('2026-12-05T08:00:00Z');

describe('the deadline countdown', () => {
  it('counts the time left in days and hours, and is urgent in the last day', () => {
    const left = deadlineCountdown('2026-12-07T11:30:00Z', NOW)!;
    expect(left).toEqual({ overdue: false, days: 2, hours: 3, minutes: 30, urgent: false });
    expect(countdownMessage(left)).toEqual({ key: 'cases.countdown.leftDays', params: { days: 2, hours: 3 } });
    expect(deadlineCountdown('2026-12-05T10:15:00Z', NOW)).toMatchObject({ urgent: true, hours: 2, minutes: 15 });
  });

  it('says how long a case is overdue once the deadline has passed', () => {
    const late = deadlineCountdown('2026-12-05T07:20:00Z', NOW)!;
    expect(late).toMatchObject({ overdue: true, days: 0, hours: 0, minutes: 40, urgent: false });
    expect(countdownMessage(late)).toEqual({ key: 'cases.countdown.overdueMinutes', params: { minutes: 40 } });
  });

  it('has nothing to count without a deadline', () => {
    expect(deadlineCountdown(null, NOW)).toBeNull();
    expect(deadlineCountdown('soon', NOW)).toBeNull();
  });
});
