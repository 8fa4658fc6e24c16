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

/** A month as the API and the ranking name it: `yyyy-mm`, months 01–12, years 2000–2999. */
const MONTH_PATTERN = /^2\d{3}-(0[1-9]|1[0-2])$/;

/** Whether `text` is a month `yyyy-mm` (2000-01 … 2999-12). */
export function isMonth(text: unknown): text is string {
  return typeof text === 'string' && MONTH_PATTERN.test(text);
}

/** The month `n` months after `month` (negative: before). */
export function addMonths(month: string, n: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The office's month (`yyyy-mm`, Asia/Shanghai or the given zone) at `time`. */
export function officeMonthOf(time: number | Date, timeZone: string = OFFICE_TIME_ZONE): string {
  const text = formatDateTime(time, timeZone);
  if (text === null) throw new RangeError('officeMonthOf: not a time');
  return text.slice(0, 7);
}

/** The instant (epoch ms) when the zone's wall clock reads that day's midnight. */
function zoneMidnight(year: number, month: number, day: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day);
  let guess = wall;
  // The zone's offset at the guess, read back through Intl; twice, in case the first guess sat across a change.
  for (let i = 0; i < 2; i++) {
    const text = formatDateTime(guess, timeZone)!;
    const shown = Date.UTC(Number(text.slice(0, 4)), Number(text.slice(5, 7)) - 1, Number(text.slice(8, 10)), Number(text.slice(11, 13)), Number(text.slice(14, 16)), Number(text.slice(17, 19)));
    guess = wall - (shown - guess);
  }
  return guess;
}

/**
 * The month `yyyy-mm` of the office (Asia/Shanghai) as instants: `from` its first moment, `to`
 * the first moment of the next month (exclusive), both ISO 8601 UTC.
 * `officeMonthRange('2026-11')` → { from: '2026-10-31T16:00:00.000Z', to: '2026-11-30T16:00:00.000Z' }.
 */
export function officeMonthRange(month: string, timeZone: string = OFFICE_TIME_ZONE): { from: string; to: string } {
  if (!isMonth(month)) throw new RangeError(`officeMonthRange: not a month: ${String(month)}`);
  const next = addMonths(month, 1);
  const from = zoneMidnight(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1, timeZone);
  const to = zoneMidnight(Number(next.slice(0, 4)), Number(next.slice(5, 7)), 1, timeZone);
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** The first moment (epoch ms) of the office's day (Asia/Shanghai, or the given zone) holding `time`. */
export function officeDayStart(time: number | Date, timeZone: string = OFFICE_TIME_ZONE): number {
  const text = formatDateTime(time, timeZone);
  if (text === null) throw new RangeError('officeDayStart: not a time');
  return zoneMidnight(Number(text.slice(0, 4)), Number(text.slice(5, 7)), Number(text.slice(8, 10)), timeZone);
}
