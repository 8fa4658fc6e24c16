import type { Violation, ViolationClosedEvent } from '@muckwatch/contracts';

/**
 * Most alarms the live list keeps in memory (live ones plus older pages the user loaded); older
 * ones are still on the violations page.
 */
export const MAX_ALARMS = 2000;

export interface AlarmRow extends Violation {
  retracted: boolean;
}

/**
 * Puts an alarm into the list, newest start first: a new id is inserted, a known one replaced
 * (a close or a retraction updates the row in place). Returns a new array.
 */
export function mergeAlarm(list: readonly AlarmRow[], violation: Violation | ViolationClosedEvent): AlarmRow[] {
  const row: AlarmRow = { ...violation, retracted: 'retracted' in violation ? violation.retracted : false };
  const rest = list.filter((a) => a.id !== row.id);
  const at = Date.parse(row.start.at);
  const index = rest.findIndex((a) => Date.parse(a.start.at) < at);
  const next = index === -1 ? [...rest, row] : [...rest.slice(0, index), row, ...rest.slice(index)];
  return next.slice(0, MAX_ALARMS);
}
