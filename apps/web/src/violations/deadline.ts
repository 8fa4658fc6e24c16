/** How a case's handling deadline reads now: time left, or how long it is overdue. */
export interface DeadlineCountdown {
  overdue: boolean;
  days: number;
  hours: number;
  minutes: number;
  /** Less than a day left (and not overdue): shown as urgent. */
  urgent: boolean;
}

/** The countdown to `deadline` (ISO instant) at `nowMs`; null without a deadline. */
export function deadlineCountdown(deadline: string | null, nowMs: number): DeadlineCountdown | null {
  if (!deadline) return null;
  const at = Date.parse(deadline);
  if (!Number.isFinite(at)) return null;
  const diff = at - nowMs;
  const overdue = diff <= 0;
  const totalMinutes = Math.floor(Math.abs(diff) / 60_000);
  return {
    overdue,
    days: Math.floor(totalMinutes / 1440),
    hours: Math.floor((totalMinutes % 1440) / 60),
    minutes: totalMinutes % 60,
    urgent: !overdue && diff < 86_400_000,
  };
}

/** The message key and parameters of a countdown (`cases.countdown.*`). */
export function countdownMessage(countdown: DeadlineCountdown): { key: string; params: Record<string, number> } {
  const { days, hours, minutes } = countdown;
  const prefix = countdown.overdue ? 'cases.countdown.overdue' : 'cases.countdown.left';
  if (days > 0) return { key: `${prefix}Days`, params: { days, hours } };
  if (hours > 0) return { key: `${prefix}Hours`, params: { hours, minutes } };
  return { key: `${prefix}Minutes`, params: { minutes } };
}
