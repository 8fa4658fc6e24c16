import type { ViolationTypeName } from '@muckwatch/contracts';
import type { AlarmRow } from './alarm-list.js';

/** Types serious enough for a browser notification (and the sound, when it is on). */
export const HIGH_ATTENTION_TYPES: readonly ViolationTypeName[] = ['illegal_dumping', 'unlicensed_transport'];

export function needsAttention(row: Pick<AlarmRow, 'type'>): boolean {
  return HIGH_ATTENTION_TYPES.includes(row.type);
}

/** The alarm panel's filter: types (none: all) and a town (null: all). */
export interface AlarmFilter {
  types: ViolationTypeName[];
  townCode: string | null;
}

export function filterAlarms<T extends Pick<AlarmRow, 'type' | 'townCode'>>(rows: readonly T[], filter: AlarmFilter): T[] {
  return rows.filter((row) => (filter.types.length === 0 || filter.types.includes(row.type)) && (!filter.townCode || row.townCode === filter.townCode));
}

/**
 * What a user has acknowledged: every alarm started at or before `allBefore` ("acknowledge all"),
 * and these ids one by one. Kept per user in localStorage.
 */
export interface AcknowledgedAlarms {
  /** ISO instant, or null. */
  allBefore: string | null;
  ids: string[];
}

/** Individually acknowledged ids kept at most; older ones are covered by "all" or long gone. */
export const MAX_ACKNOWLEDGED_IDS = 1000;

export function noneAcknowledged(): AcknowledgedAlarms {
  return { allBefore: null, ids: [] };
}

export function isAcknowledged(row: Pick<AlarmRow, 'id' | 'start'>, acked: AcknowledgedAlarms): boolean {
  if (acked.allBefore !== null && Date.parse(row.start.at) <= Date.parse(acked.allBefore)) return true;
  return acked.ids.includes(row.id);
}

/** Alarms still waiting for someone to look at them (retracted ones need no attention). */
export function unacknowledgedCount(rows: readonly Pick<AlarmRow, 'id' | 'start' | 'retracted'>[], acked: AcknowledgedAlarms): number {
  return rows.filter((row) => !row.retracted && !isAcknowledged(row, acked)).length;
}

export function acknowledge(acked: AcknowledgedAlarms, id: string): AcknowledgedAlarms {
  if (acked.ids.includes(id)) return acked;
  return { ...acked, ids: [...acked.ids, id].slice(-MAX_ACKNOWLEDGED_IDS) };
}

/** "All read": everything that started up to the newest alarm shown. */
export function acknowledgeAll(rows: readonly Pick<AlarmRow, 'start'>[], acked: AcknowledgedAlarms): AcknowledgedAlarms {
  let latest = acked.allBefore === null ? -Infinity : Date.parse(acked.allBefore);
  for (const row of rows) latest = Math.max(latest, Date.parse(row.start.at));
  return Number.isFinite(latest) ? { allBefore: new Date(latest).toISOString(), ids: [] } : acked;
}

export function acknowledgedStorageKey(username: string): string {
  return `muckwatch.alarms.acknowledged.${username}`;
}

/** Reads a stored value, tolerating anything malformed. */
export function parseAcknowledged(raw: string | null): AcknowledgedAlarms {
  if (!raw) return noneAcknowledged();
  try {
    const value = JSON.parse(raw) as Partial<AcknowledgedAlarms>;
    const allBefore = typeof value.allBefore === 'string' && Number.isFinite(Date.parse(value.allBefore)) ? value.allBefore : null;
    const ids = Array.isArray(value.ids) ? value.ids.filter((id): id is string => typeof id === 'string') : [];
    return { allBefore, ids };
  } catch {
    return noneAcknowledged();
  }
}
