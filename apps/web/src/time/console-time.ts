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
