import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef, watch } from 'vue';
import type { TruckPosition, TruckSummary, Violation, ViolationClosedEvent } from '@muckwatch/contracts';
import { LiveTruckTable } from '../live-map/live-truck-table.js';
import { OpenViolations } from '../live-map/open-violations.js';
import { applyTruckFilter, NO_TRUCK_FILTER, type TruckFilter } from '../live-map/truck-filter.js';
import type { TruckRow } from '../live-map/truck-rows.js';
import { useConsoleConfigStore } from './console-config.js';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';
/** The live snapshot: not yet received, received, or the socket could not get it (it keeps trying). */
export type SnapshotStatus = 'loading' | 'ready' | 'failed';
export type RegistryStatus = 'idle' | 'loading' | 'ready' | 'failed';

/** Told the keys of the rows that changed (a key without a row any more was removed). */
export type RowsListener = (changed: ReadonlySet<string>) => void;

/**
 * The live picture: the latest position per terminal (never a history), the registered trucks,
 * the filter the map and the list share, and which truck the operator is looking at. Updates are
 * incremental (live-map/live-truck-table.ts): a batch replaces only the rows of the trucks in it,
 * and listeners (the map layer) are told exactly which.
 */
export const useLiveTrucksStore = defineStore('live-trucks', () => {
  const config = useConsoleConfigStore();
  const table = markRaw(new LiveTruckTable(config.offlineAfterMs));
  const violations = markRaw(new OpenViolations());
  const listeners = new Set<RowsListener>();

  /** Every row in plate order; a new array after each change, unchanged rows keep their identity. */
  const rows = shallowRef<readonly TruckRow[]>([]);
  const connection = ref<ConnectionState>('disconnected');
  const snapshotStatus = ref<SnapshotStatus>('loading');
  const registryStatus = ref<RegistryStatus>('idle');
  /** Asks the live feed to try again now (the list's retry button). */
  const retryRequest = ref(0);
  /** The clock motion states are computed against; advanced by every batch and a periodic tick. */
  const nowMs = ref(Date.now());
  const selectedKey = ref<string | null>(null);
  /** Asks the map to bring a truck into view; the sequence number repeats a request for the same truck. */
  const focusRequest = shallowRef<{ key: string; seq: number } | null>(null);
  const filter = shallowRef<TruckFilter>(NO_TRUCK_FILTER);
  /** Terminal ids with an open violation. */
  const openViolationTerminals = shallowRef<ReadonlySet<string>>(violations.terminals());

  const filtered = computed(() => applyTruckFilter(rows.value, filter.value, openViolationTerminals.value));
  /** The rows the filter leaves, in plate order. */
  const visibleRows = computed(() => filtered.value.rows);
  /** Per state, the trucks the other filters leave (the state buttons). */
  const counts = computed(() => filtered.value.counts);
  const selectedRow = computed(() => {
    void rows.value; // a row is replaced on change: re-read it after each batch
    return selectedKey.value === null ? null : (table.get(selectedKey.value) ?? null);
  });

  function publish(changed: ReadonlySet<string>): void {
    if (changed.size === 0) return;
    rows.value = table.orderedRows();
    for (const listener of listeners) listener(changed);
  }

  /** Calls `listener` with the changed keys after each change; returns the unsubscribe. */
  function onRowsChanged(listener: RowsListener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  function rowOf(key: string): TruckRow | null {
    return table.get(key) ?? null;
  }

  /** The server's full picture on (re)connect: terminals it no longer knows are dropped. */
  function applySnapshot(snapshot: readonly TruckPosition[]): void {
    nowMs.value = Date.now();
    publish(table.applySnapshot(snapshot, nowMs.value));
    snapshotStatus.value = 'ready';
    rows.value = table.orderedRows();
  }

  /** A batch of latest positions; an older fix than the one held is ignored. */
  function applyPositions(batch: readonly TruckPosition[]): void {
    nowMs.value = Date.now();
    publish(table.applyPositions(batch, nowMs.value));
  }

  function setRegistry(trucks: readonly TruckSummary[]): void {
    nowMs.value = Date.now();
    publish(table.setRegistry(trucks, nowMs.value));
    registryStatus.value = 'ready';
  }

  function tick(): void {
    nowMs.value = Date.now();
    publish(table.tick(nowMs.value));
  }

  watch(
    () => config.offlineAfterMs,
    (ms) => publish(table.setOfflineAfter(ms, Date.now())),
  );

  function setOpenViolations(list: readonly Violation[]): void {
    violations.reset(list);
    openViolationTerminals.value = violations.terminals();
  }

  function violationChanged(violation: Violation | ViolationClosedEvent): void {
    if (violations.apply(violation)) openViolationTerminals.value = violations.terminals();
  }

  function setFilter(next: Partial<TruckFilter>): void {
    filter.value = { ...filter.value, ...next };
  }

  function select(key: string | null): void {
    selectedKey.value = key;
  }

  /** Select a truck and ask the map to pan to it. */
  function focus(key: string): void {
    selectedKey.value = key;
    focusRequest.value = { key, seq: (focusRequest.value?.seq ?? 0) + 1 };
  }

  function retry(): void {
    snapshotStatus.value = 'loading';
    retryRequest.value += 1;
  }

  /** Forget everything: the next user may see a different part of the fleet. */
  function reset(): void {
    const removed = new Set(table.orderedRows().map((row) => row.key));
    table.clear();
    violations.reset([]);
    openViolationTerminals.value = violations.terminals();
    rows.value = [];
    for (const listener of listeners) listener(removed);
    selectedKey.value = null;
    focusRequest.value = null;
    filter.value = NO_TRUCK_FILTER;
    snapshotStatus.value = 'loading';
    registryStatus.value = 'idle';
  }

  return {
    rows,
    connection,
    snapshotStatus,
    registryStatus,
    retryRequest,
    nowMs,
    selectedKey,
    focusRequest,
    filter,
    openViolationTerminals,
    visibleRows,
    counts,
    selectedRow,
    onRowsChanged,
    rowOf,
    applySnapshot,
    applyPositions,
    setRegistry,
    tick,
    setOpenViolations,
    violationChanged,
    setFilter,
    select,
    focus,
    retry,
    reset,
  };
});
