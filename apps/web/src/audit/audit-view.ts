import { auditActionLabel, auditResourceTypeLabel, type UiLocale } from '@muckwatch/contracts';
import { CONSOLE_TIME_ZONE, formatDateTime } from '../time/console-time.js';

/** `2026-11-26 08:00:00`: a wall-clock time in the console's zone, as the date pickers hold it. */
export type WallTime = string;

const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;

function wallParts(wall: WallTime): number[] | null {
  const match = WALL_TIME.exec(wall.trim());
  return match ? match.slice(1).map((part) => Number(part ?? 0)) : null;
}

/** Milliseconds the zone is ahead of UTC at the instant `ms`. */
function zoneOffsetMs(ms: number, timeZone: string): number {
  const shown = formatDateTime(ms, timeZone);
  const parts = shown ? wallParts(shown) : null;
  if (!parts) return 0;
  const [y, mo, d, h, mi, s] = parts as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s) - Math.floor(ms / 1000) * 1000;
}

/** The instant (ISO, UTC) a wall-clock time in `timeZone` stands for; null when unreadable. */
export function wallTimeToIso(wall: WallTime | null | undefined, timeZone: string = CONSOLE_TIME_ZONE): string | null {
  if (!wall) return null;
  const parts = wallParts(wall);
  if (!parts) return null;
  const [y, mo, d, h, mi, s] = parts as [number, number, number, number, number, number];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  // Two passes settle the offset on either side of a daylight-saving change (Shanghai has none).
  let ms = asUtc - zoneOffsetMs(asUtc, timeZone);
  ms = asUtc - zoneOffsetMs(ms, timeZone);
  return new Date(ms).toISOString();
}

/** The wall-clock time in `timeZone` of an instant. */
export function toWallTime(ms: number, timeZone: string = CONSOLE_TIME_ZONE): WallTime {
  return formatDateTime(ms, timeZone) ?? '';
}

export type RangeShortcut = 'lastHour' | 'today' | 'last7Days' | 'last30Days';

/** A shortcut's range as wall-clock times in the console's zone, ending now. */
export function shortcutRange(shortcut: RangeShortcut, nowMs: number, timeZone: string = CONSOLE_TIME_ZONE): [WallTime, WallTime] {
  const end = toWallTime(nowMs, timeZone);
  switch (shortcut) {
    case 'lastHour':
      return [toWallTime(nowMs - 3_600_000, timeZone), end];
    case 'today':
      return [`${end.slice(0, 10)} 00:00:00`, end];
    case 'last7Days':
      return [`${toWallTime(nowMs - 6 * 86_400_000, timeZone).slice(0, 10)} 00:00:00`, end];
    case 'last30Days':
      return [`${toWallTime(nowMs - 29 * 86_400_000, timeZone).slice(0, 10)} 00:00:00`, end];
  }
}

/**
 * A Date whose local (browser) wall clock reads `wall`: what Element Plus's date picker needs to
 * show a console-zone time unchanged, whatever zone the browser is in.
 */
export function wallTimeAsLocalDate(wall: WallTime): Date {
  const [y, mo, d, h, mi, s] = (wallParts(wall) ?? [1970, 1, 1, 0, 0, 0]) as [number, number, number, number, number, number];
  return new Date(y, mo - 1, d, h, mi, s);
}

/** One line of the before/after comparison of an audit entry. */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
  changed: boolean;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The fields of `before` and `after` side by side, changed ones first, in key order.
 * Values that are not objects compare as one field named `''`.
 */
export function fieldChanges(before: unknown, after: unknown): FieldChange[] {
  if (before == null && after == null) return [];
  if (!isRecord(before ?? {}) || !isRecord(after ?? {})) {
    return [{ field: '', before: before ?? null, after: after ?? null, changed: !sameValue(before, after) }];
  }
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort();
  const rows = fields.map((field) => ({
    field,
    before: field in b ? b[field] : undefined,
    after: field in a ? a[field] : undefined,
    changed: !sameValue(b[field], a[field]),
  }));
  return [...rows.filter((row) => row.changed), ...rows.filter((row) => !row.changed)];
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** A value as one readable line: strings bare, absent as a dash, anything else as JSON. */
export function displayValue(value: unknown, missing = '—'): string {
  if (value === undefined || value === null || value === '') return missing;
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** Pretty JSON for the raw view; null when there is nothing to show. */
export function prettyJson(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value, null, 2);
}

/**
 * What the audit page shows for an action: its name from the catalogue in
 * libs/contracts/src/i18n/audit-text.ts, or the action as it is when the catalogue does not know it
 * (a newer server). `known` says which.
 */
export function actionText(action: string, locale: UiLocale): { text: string; known: boolean } {
  const label = auditActionLabel(action, locale);
  return label === null ? { text: action, known: false } : { text: label, known: true };
}

/** The kind of object of an entry in the console's language (an unknown kind as it is). */
export function resourceTypeText(resourceType: string | null, action: string, locale: UiLocale): string | null {
  return auditResourceTypeLabel(resourceType, action, locale);
}

/** `audit-2026-11-20_2026-11-26.csv`: the export's file name when the API suggests none. */
export function exportFileName(
  from: WallTime | null,
  to: WallTime | null,
  nowMs: number,
  timeZone: string = CONSOLE_TIME_ZONE,
  format: 'csv' | 'xlsx' = 'csv',
): string {
  const day = (wall: WallTime | null): string | null => (wall ? wall.slice(0, 10) : null);
  const start = day(from);
  const end = day(to) ?? toWallTime(nowMs, timeZone).slice(0, 10);
  return start ? `audit-${start}_${end}.${format}` : `audit-${end}.${format}`;
}
