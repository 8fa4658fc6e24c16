import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { Violation, ViolationClosedEvent, ViolationDetail, ViolationTypeName } from '@muckwatch/contracts';
import { VIOLATION_TYPE_LABELS } from '@muckwatch/contracts';
import { fetchViolation, fetchViolations } from '../api/endpoints.js';
import { type AlarmRow, mergeAlarm } from '../alarms/alarm-list.js';
import {
  acknowledge as ackOne,
  acknowledgeAll as ackAll,
  acknowledgedStorageKey,
  filterAlarms,
  isAcknowledged,
  needsAttention,
  noneAcknowledged,
  parseAcknowledged,
  unacknowledgedCount,
  type AcknowledgedAlarms,
} from '../alarms/alarm-attention.js';
import { beep, notify } from '../alarms/alarm-alert.js';
import { useAuthStore } from './auth.js';
import { i18n } from '../i18n/index.js';
import { formatDateTime } from '../time/console-time.js';

/** Alarms per page of history (newest first). */
export const ALARM_PAGE_SIZE = 100;

function readStorage(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStorage(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage disabled: the choice lasts for this page.
  }
}

/**
 * The live alarm list: the newest page of violations (GET /api/v1/violations, scoped by the API),
 * older pages on request, then `violation_opened` / `violation_closed` from the live socket; what
 * this user acknowledged (per user, in localStorage); the panel's filter; and the one whose
 * evidence track the map shows.
 */
export const useAlarmsStore = defineStore('alarms', () => {
  const auth = useAuthStore();
  const alarms = shallowRef<AlarmRow[]>([]);
  const status = ref<'idle' | 'loading' | 'ready' | 'failed'>('idle');
  const selectedId = ref<string | null>(null);
  const evidence = shallowRef<ViolationDetail | null>(null);

  /** History paging: pages read so far, whether the API has more, and the instant the first page was read up to. */
  const pagesLoaded = ref(0);
  const hasOlder = ref(false);
  const olderStatus = ref<'idle' | 'loading' | 'failed'>('idle');
  let listUpTo: string | null = null;

  const typeFilter = ref<ViolationTypeName[]>([]);
  const townFilter = ref<string | null>(null);
  const acknowledged = shallowRef<AcknowledgedAlarms>(noneAcknowledged());
  const sound = ref(false);
  const desktopNotify = ref(false);

  const visible = computed(() => filterAlarms(alarms.value, { types: typeFilter.value, townCode: townFilter.value }));
  const unacknowledged = computed(() => unacknowledgedCount(visible.value, acknowledged.value));

  /** How a click on a desktop notification opens the case (the shell binds the router here). */
  let openCase: (id: string) => void = () => undefined;
  function bindOpenCase(handler: (id: string) => void): void {
    openCase = handler;
  }

  const prefsKey = (name: string): string | null => (auth.user ? `muckwatch.alarms.${name}.${auth.user.username}` : null);

  // Each user's acknowledgements and sound choice, read when they sign in.
  watch(
    () => auth.user?.username ?? null,
    (username) => {
      acknowledged.value = username ? parseAcknowledged(readStorage(acknowledgedStorageKey(username))) : noneAcknowledged();
      const soundKey = prefsKey('sound');
      sound.value = soundKey !== null && readStorage(soundKey) === 'on';
      const notifyKey = prefsKey('notify');
      desktopNotify.value = notifyKey !== null && readStorage(notifyKey) === 'on';
    },
    { immediate: true },
  );

  function saveAcknowledged(next: AcknowledgedAlarms): void {
    acknowledged.value = next;
    if (auth.user) writeStorage(acknowledgedStorageKey(auth.user.username), JSON.stringify(next));
  }

  function setSound(on: boolean): void {
    sound.value = on;
    const key = prefsKey('sound');
    if (key) writeStorage(key, on ? 'on' : 'off');
    if (on) beep();
  }

  function setDesktopNotify(on: boolean): void {
    desktopNotify.value = on;
    const key = prefsKey('notify');
    if (key) writeStorage(key, on ? 'on' : 'off');
  }

  async function readPage(page: number) {
    return fetchViolations({ to: listUpTo ?? undefined, page, pageSize: ALARM_PAGE_SIZE, sort: 'startedAt', order: 'desc' });
  }

  /** The newest page; what arrived while the console was not listening is in it. */
  async function load(): Promise<void> {
    status.value = 'loading';
    try {
      listUpTo = new Date(Date.now() + 3_600_000).toISOString();
      const page = await readPage(1);
      let list = alarms.value;
      for (const v of page.items) list = mergeAlarm(list, v);
      alarms.value = list;
      pagesLoaded.value = 1;
      hasOlder.value = page.total > page.items.length;
      status.value = 'ready';
    } catch (error) {
      console.error(error);
      status.value = 'failed';
    }
  }

  /** The next page back in history. */
  async function loadOlder(): Promise<void> {
    if (olderStatus.value === 'loading' || !hasOlder.value) return;
    olderStatus.value = 'loading';
    try {
      const next = pagesLoaded.value + 1;
      const page = await readPage(next);
      let list = alarms.value;
      for (const v of page.items) list = mergeAlarm(list, v);
      alarms.value = list;
      pagesLoaded.value = next;
      hasOlder.value = next * page.pageSize < page.total && page.items.length > 0;
      olderStatus.value = 'idle';
    } catch (error) {
      console.error(error);
      olderStatus.value = 'failed';
    }
  }

  function alertFor(row: AlarmRow): void {
    if (!needsAttention(row)) return;
    if (sound.value) beep();
    if (desktopNotify.value) {
      const { t } = i18n.global;
      const locale = i18n.global.locale.value === 'en' ? 'en' : 'zh-CN';
      notify(
        t('cases.alarmPanel.notificationTitle', { type: VIOLATION_TYPE_LABELS[locale][row.type] }),
        t('cases.alarmPanel.notificationBody', { plate: row.plate ?? row.terminalId, time: formatDateTime(row.start.at) ?? '' }),
        row.id,
        () => openCase(row.id),
      );
    }
  }

  function received(violation: Violation | ViolationClosedEvent): void {
    const known = alarms.value.some((a) => a.id === violation.id);
    alarms.value = mergeAlarm(alarms.value, violation);
    if (!known && !('retracted' in violation) && violation.status === 'open') {
      const row = alarms.value.find((a) => a.id === violation.id);
      if (row) alertFor(row);
    }
  }

  /** A case changed (live): the row, if shown, takes the new case fields. */
  function caseChanged(violation: Violation): void {
    const current = alarms.value.find((a) => a.id === violation.id);
    if (current) alarms.value = mergeAlarm(alarms.value, { ...violation, retracted: current.retracted });
  }

  function acknowledge(id: string): void {
    saveAcknowledged(ackOne(acknowledged.value, id));
  }

  function acknowledgeAll(): void {
    saveAcknowledged(ackAll(alarms.value, acknowledged.value));
  }

  const acknowledgedRow = (row: AlarmRow): boolean => isAcknowledged(row, acknowledged.value);

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
    pagesLoaded.value = 0;
    hasOlder.value = false;
    olderStatus.value = 'idle';
    listUpTo = null;
    clearSelection();
  }

  return {
    alarms,
    visible,
    status,
    selectedId,
    evidence,
    hasOlder,
    olderStatus,
    typeFilter,
    townFilter,
    unacknowledged,
    sound,
    desktopNotify,
    load,
    loadOlder,
    received,
    caseChanged,
    acknowledge,
    acknowledgeAll,
    acknowledgedRow,
    setSound,
    setDesktopNotify,
    bindOpenCase,
    select,
    clearSelection,
    reset,
  };
});
