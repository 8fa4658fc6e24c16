/** Times in the console are shown in the muck office's zone (Asia/Shanghai), whatever the browser's. */
export { OFFICE_TIME_ZONE as CONSOLE_TIME_ZONE, formatDateTime } from '@muckwatch/contracts';

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

export type DurationKey = 'seconds' | 'minutes' | 'hours' | 'hoursMinutes' | 'days' | 'daysHours';

/**
 * A duration in its two largest units, for the `duration.*` messages: `45秒`, `10分`, `1小时5分`,
 * `2小时`, `2天3小时`. Under an hour it is rounded to the minute, under a day to the minute, beyond
 * to the hour; a zero second unit is left out (`2小时`, not `2小时0分`).
 */
export function durationUnits(seconds: number): { key: DurationKey; params: { d: number; h: number; m: number; s: number } } {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return { key: 'seconds', params: { d: 0, h: 0, m: 0, s } };
  const minutes = Math.round(s / 60);
  if (minutes < 60) return { key: 'minutes', params: { d: 0, h: 0, m: minutes, s: 0 } };
  if (minutes < 24 * 60) {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return { key: m ? 'hoursMinutes' : 'hours', params: { d: 0, h, m, s: 0 } };
  }
  const hours = Math.round(minutes / 60);
  const d = Math.floor(hours / 24);
  const h = hours % 24;
  return { key: h ? 'daysHours' : 'days', params: { d, h, m: 0, s: 0 } };
}
