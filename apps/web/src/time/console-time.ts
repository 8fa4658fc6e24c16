/** Times in the console are shown in the muck office's zone (Asia/Shanghai), whatever the browser's. */
export const CONSOLE_TIME_ZONE = 'Asia/Shanghai';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** `2026-11-26 20:15:03` in the given zone; null for a missing or unreadable time. */
export function formatDateTime(
  time: string | number | null | undefined,
  timeZone: string = CONSOLE_TIME_ZONE,
): string | null {
  if (time === null || time === undefined) return null;
  const ms = typeof time === 'number' ? time : Date.parse(time);
  if (!Number.isFinite(ms)) return null;
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(ms)) parts[part.type] = part.value;
  return `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']}:${parts['second']}`;
}

export type ElapsedUnit = 'justNow' | 'seconds' | 'minutes' | 'hours' | 'days' | 'inFuture';

/** How long ago `thenMs` was, in the largest whole unit; a small clock skew counts as "just now". */
export function elapsedSince(thenMs: number, nowMs: number): { unit: ElapsedUnit; n: number } {
  const seconds = Math.floor((nowMs - thenMs) / 1000);
  if (seconds < -30) return { unit: 'inFuture', n: 0 };
  if (seconds < 5) return { unit: 'justNow', n: 0 };
  if (seconds < 60) return { unit: 'seconds', n: seconds };
  if (seconds < 3600) return { unit: 'minutes', n: Math.floor(seconds / 60) };
  if (seconds < 86_400) return { unit: 'hours', n: Math.floor(seconds / 3600) };
  return { unit: 'days', n: Math.floor(seconds / 86_400) };
}
