/**
 * The muck office's clock: every time a person reads (console, exports) is shown in Asia/Shanghai,
 * whatever the browser's or the server's zone. The one formatter for it; nothing adds +8 by hand.
 */
export const OFFICE_TIME_ZONE = 'Asia/Shanghai';

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

/** `2026-11-26 20:15:03` in the given zone (the office's by default); null for a missing or unreadable time. */
export function formatDateTime(time: string | number | Date | null | undefined, timeZone: string = OFFICE_TIME_ZONE): string | null {
  if (time === null || time === undefined) return null;
  const ms = time instanceof Date ? time.getTime() : typeof time === 'number' ? time : Date.parse(time);
  if (!Number.isFinite(ms)) return null;
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(ms)) parts[part.type] = part.value;
  return `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']}:${parts['second']}`;
}

/** Minutes since midnight of the office's (or the given zone's) day at `time`: 0…1439. */
export function minuteOfDay(time: number | Date, timeZone: string = OFFICE_TIME_ZONE): number {
  const text = formatDateTime(time, timeZone);
  if (text === null) throw new RangeError('minuteOfDay: not a time');
  return Number(text.slice(11, 13)) * 60 + Number(text.slice(14, 16));
}
