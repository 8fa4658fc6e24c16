import type { TripStatusName } from '@muckwatch/contracts';

/** Element Plus tag type of each trip state: closed is the good end, unclosed the one to look at. */
export const STATUS_TAG: Record<TripStatusName, 'success' | 'danger' | 'primary' | 'info'> = {
  closed: 'success',
  unclosed: 'danger',
  open: 'primary',
  abandoned: 'info',
};

/** The same states' colours in the per-day chart (Element Plus' palette). */
export const STATUS_COLOR: Record<TripStatusName, string> = {
  closed: '#67c23a',
  unclosed: '#f56c6c',
  open: '#409eff',
  abandoned: '#909399',
};

/** Metres as kilometres with one decimal. */
export function kilometres(metres: number): string {
  return (metres / 1000).toFixed(1);
}
