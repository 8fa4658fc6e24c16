import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { Violation, ViolationClosedEvent, ViolationDetail } from '@muckwatch/contracts';
import { fetchViolation, fetchViolations } from '../api/endpoints.js';
import { type AlarmRow, mergeAlarm } from '../alarms/alarm-list.js';

/** The initial list reaches back this far; the socket adds what happens next. */
const INITIAL_SPAN_MS = 24 * 3_600_000;

/**
 * The live alarm list: the last day's violations (GET /api/v1/violations, scoped by the API),
 * then `violation_opened` / `violation_closed` from the live socket; and the one whose evidence
 * track the map shows.
 */
export const useAlarmsStore = defineStore('alarms', () => {
  const alarms = shallowRef<AlarmRow[]>([]);
  const status = ref<'idle' | 'loading' | 'ready' | 'failed'>('idle');
  const selectedId = ref<string | null>(null);
  const evidence = shallowRef<ViolationDetail | null>(null);

  async function load(): Promise<void> {
    status.value = 'loading';
    try {
      const now = Date.now();
      const page = await fetchViolations({
        from: new Date(now - INITIAL_SPAN_MS).toISOString(),
        to: new Date(now + 3_600_000).toISOString(),
        pageSize: 200,
      });
      let list = alarms.value;
      for (const v of page.items) list = mergeAlarm(list, v);
      alarms.value = list;
      status.value = 'ready';
    } catch (error) {
      console.error(error);
      status.value = 'failed';
    }
  }

  function received(violation: Violation | ViolationClosedEvent): void {
    alarms.value = mergeAlarm(alarms.value, violation);
  }

  /** Fetches the violation with its evidence track; the map's evidence layer draws it. */
  async function select(id: string): Promise<void> {
    selectedId.value = id;
    const detail = await fetchViolation(id);
    if (selectedId.value === id) evidence.value = detail;
  }

  function clearSelection(): void {
    selectedId.value = null;
    evidence.value = null;
  }

  function reset(): void {
    alarms.value = [];
    status.value = 'idle';
    clearSelection();
  }

  return { alarms, status, selectedId, evidence, load, received, select, clearSelection, reset };
});
