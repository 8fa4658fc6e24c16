/**
 * Time windows (通行时段): when trucks may run. A weekly schedule in local time, Asia/Shanghai
 * (UTC+8 all year: China has no daylight saving since 1991, so local time is a fixed offset and
 * evaluation per fix needs no time-zone database), windows that cross midnight, and dated
 * exceptions (a holiday, a heavy-pollution alert that closes the roads).
 */

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface DailyWindow {
  /** 'HH:mm' local. */
  start: string;
  /** 'HH:mm' local; '24:00' allowed when the window does not cross midnight. */
  end: string;
  /** Runs into the next day: end ≤ start (start == end: 24 hours). */
  crossesMidnight?: boolean;
}

export interface WeeklyWindowRule extends DailyWindow {
  days: readonly Weekday[];
}

export interface DatedException {
  /** 'YYYY-MM-DD' local. */
  date: string;
  /** closed: no window starts that day and windows from the day before stop at 00:00; open: `windows` replace the weekly ones. */
  kind: 'closed' | 'open';
  windows?: readonly DailyWindow[];
  reason?: string;
}

export interface WeeklySchedule {
  weekly: readonly WeeklyWindowRule[];
  exceptions?: readonly DatedException[];
}

export const SCHEDULE_UTC_OFFSET_MINUTES = 8 * 60;
const DAY_MINUTES = 24 * 60;
const DAY_MS = 86_400_000;

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Minutes after local midnight of 'HH:mm' ('24:00' → 1440), or null when malformed. */
export function parseLocalTime(value: unknown, allow2400 = false): number | null {
  if (typeof value !== 'string') return null;
  if (allow2400 && value === '24:00') return DAY_MINUTES;
  const m = TIME.exec(value);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** Days since 1970-01-01 of a real calendar date 'YYYY-MM-DD', or null. */
export function parseLocalDate(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = DATE.exec(value);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = new Date(ms);
  if (d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) return null;
  return ms / DAY_MS;
}

function formatDay(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** The local (Asia/Shanghai) date 'YYYY-MM-DD' of an instant. */
export function localDateOf(instant: Date | number): string {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  return formatDay(Math.floor((ms + SCHEDULE_UTC_OFFSET_MINUTES * 60_000) / DAY_MS));
}

/** ISO weekday of a day number (days since 1970-01-01, a Thursday). */
function weekdayOf(dayNumber: number): Weekday {
  return ((((dayNumber + 3) % 7) + 7) % 7) + 1 as Weekday;
}

interface Interval {
  /** Minutes after the local midnight of the day the window starts. */
  start: number;
  end: number;
}

function toInterval(w: DailyWindow): Interval | null {
  const start = parseLocalTime(w.start);
  const end = parseLocalTime(w.end, !w.crossesMidnight);
  if (start === null || end === null) return null;
  if (w.crossesMidnight) return { start, end: DAY_MINUTES + end };
  return end > start ? { start, end } : null;
}

function exceptionOn(schedule: WeeklySchedule, date: string): DatedException | undefined {
  return schedule.exceptions?.find((e) => e.date === date);
}

/** The windows that start on a local day, as minute intervals from that day's midnight (end may pass 1440). */
function windowsStartingOn(schedule: WeeklySchedule, dayNumber: number): Interval[] {
  const exception = exceptionOn(schedule, formatDay(dayNumber));
  const windows: readonly DailyWindow[] = exception
    ? exception.kind === 'closed'
      ? []
      : (exception.windows ?? [])
    : schedule.weekly.filter((w) => w.days.includes(weekdayOf(dayNumber)));
  return windows.map(toInterval).filter((i): i is Interval => i !== null);
}

export interface OpenVerdict {
  open: boolean;
  /** The dated exception that decided, when one did. */
  exception: DatedException | null;
}

/** Whether the schedule is open at an instant, and which dated exception (if any) decided. */
export function evaluateSchedule(schedule: WeeklySchedule, instant: Date | number): OpenVerdict {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  const localMs = ms + SCHEDULE_UTC_OFFSET_MINUTES * 60_000;
  const day = Math.floor(localMs / DAY_MS);
  const minute = Math.floor((localMs - day * DAY_MS) / 60_000);
  const today = exceptionOn(schedule, formatDay(day)) ?? null;
  if (windowsStartingOn(schedule, day).some((w) => minute >= w.start && minute < w.end)) {
    return { open: true, exception: today };
  }
  if (today?.kind === 'closed') return { open: false, exception: today };
  const fromYesterday = windowsStartingOn(schedule, day - 1).some((w) => minute + DAY_MINUTES < w.end);
  const yesterday = exceptionOn(schedule, formatDay(day - 1)) ?? null;
  return { open: fromYesterday, exception: fromYesterday ? yesterday : today };
}

/** True when trucks may run at this instant under the schedule. */
export function isOpenAt(schedule: WeeklySchedule, instant: Date | number): boolean {
  return evaluateSchedule(schedule, instant).open;
}

export interface FieldProblem {
  /** Dotted path into the input, e.g. 'weekly.0.end'. */
  field: string;
  message: string;
}

function validateDailyWindow(w: unknown, path: string): FieldProblem | null {
  if (typeof w !== 'object' || w === null) return { field: path, message: `${path} must be an object { start, end }` };
  const { start, end, crossesMidnight } = w as Record<string, unknown>;
  if (crossesMidnight !== undefined && typeof crossesMidnight !== 'boolean') {
    return { field: `${path}.crossesMidnight`, message: `${path}.crossesMidnight must be true or false` };
  }
  const s = parseLocalTime(start);
  if (s === null) return { field: `${path}.start`, message: `${path}.start must be a local time HH:mm from 00:00 to 23:59` };
  const e = parseLocalTime(end, crossesMidnight !== true);
  if (e === null) {
    return { field: `${path}.end`, message: `${path}.end must be a local time HH:mm${crossesMidnight === true ? ' (00:00–23:59 for a window crossing midnight)' : ' from 00:01 to 24:00'}` };
  }
  if (crossesMidnight === true && e > s) {
    return { field: `${path}.end`, message: `${path}.end ${String(end)} is after its start ${String(start)}: a window crossing midnight ends the next day at or before its start time` };
  }
  if (crossesMidnight !== true && e <= s) {
    return {
      field: `${path}.end`,
      message: `${path}.end ${String(end)} is not after its start ${String(start)} on the same day; set crossesMidnight: true for a window that runs past midnight`,
    };
  }
  return null;
}

/** The first problem of a schedule's weekly windows and exceptions, or null when it is valid. */
export function validateSchedule(input: { weekly?: unknown; exceptions?: unknown }): FieldProblem | null {
  if (!Array.isArray(input.weekly)) return { field: 'weekly', message: 'weekly must be an array of windows { days, start, end }' };
  for (const [i, w] of (input.weekly as unknown[]).entries()) {
    const path = `weekly.${i}`;
    const days = (w as { days?: unknown } | null)?.days;
    if (!Array.isArray(days) || days.length === 0 || days.some((d) => !Number.isInteger(d) || (d as number) < 1 || (d as number) > 7)) {
      return { field: `${path}.days`, message: `${path}.days must be a non-empty list of ISO weekdays 1 (Monday) … 7 (Sunday)` };
    }
    if (new Set(days).size !== days.length) return { field: `${path}.days`, message: `${path}.days lists a weekday twice` };
    const problem = validateDailyWindow(w, path);
    if (problem) return problem;
  }
  if (input.exceptions === undefined) return null;
  if (!Array.isArray(input.exceptions)) return { field: 'exceptions', message: 'exceptions must be an array of dated exceptions' };
  const seen = new Set<string>();
  for (const [i, x] of (input.exceptions as unknown[]).entries()) {
    const path = `exceptions.${i}`;
    if (typeof x !== 'object' || x === null) return { field: path, message: `${path} must be an object { date, kind, reason }` };
    const { date, kind, windows, reason } = x as Record<string, unknown>;
    if (parseLocalDate(date) === null) return { field: `${path}.date`, message: `${path}.date must be a calendar date YYYY-MM-DD` };
    if (seen.has(date as string)) return { field: `${path}.date`, message: `${path}.date ${String(date)} has another exception already` };
    seen.add(date as string);
    if (kind !== 'closed' && kind !== 'open') return { field: `${path}.kind`, message: `${path}.kind must be 'closed' or 'open'` };
    if (typeof reason !== 'string' || reason.trim() === '') return { field: `${path}.reason`, message: `${path}.reason must say why (e.g. 重污染天气预警)` };
    if (kind === 'closed' && windows !== undefined && (!Array.isArray(windows) || windows.length > 0)) {
      return { field: `${path}.windows`, message: `${path}.windows must be empty for a closed day` };
    }
    if (kind === 'open') {
      if (!Array.isArray(windows) || windows.length === 0) return { field: `${path}.windows`, message: `${path}.windows must list the windows open that day` };
      for (const [j, w] of (windows as unknown[]).entries()) {
        const problem = validateDailyWindow(w, `${path}.windows.${j}`);
        if (problem) return problem;
      }
    }
  }
  return null;
}
