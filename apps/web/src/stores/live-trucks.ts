import { defineStore } from 'pinia';
import { computed, ref, shallowReactive, shallowRef } from 'vue';
import type { TruckPosition, TruckSummary } from '@muckwatch/contracts';
import {
  buildTruckRows,
  countTruckStates,
  isNewerPosition,
  type TruckRow,
} from '../live-map/truck-rows.js';
import { useConsoleConfigStore } from './console-config.js';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/**
 * The live picture: the latest position per terminal (never a history), the registered trucks,
 * and which truck the operator is looking at.
 */
export const useLiveTrucksStore = defineStore('live-trucks', () => {
  const config = useConsoleConfigStore();

  /** terminalId → latest position. Shallow: positions are replaced, never edited. */
  const positions = shallowReactive(new Map<string, TruckPosition>());
  const registry = shallowRef<readonly TruckSummary[]>([]);
  const connection = ref<ConnectionState>('disconnected');
  /** The clock motion states are computed against; advanced by every batch and a periodic tick. */
  const nowMs = ref(Date.now());
  const selectedKey = ref<string | null>(null);
  /** Asks the map to bring a truck into view; the sequence number repeats a request for the same truck. */
  const focusRequest = shallowRef<{ key: string; seq: number } | null>(null);

  const rows = computed<TruckRow[]>(() =>
    buildTruckRows(positions.values(), registry.value, nowMs.value, config.offlineAfterMs),
  );
  const rowsByKey = computed(() => new Map(rows.value.map((row) => [row.key, row])));
  const counts = computed(() => countTruckStates(rows.value));
  const selectedRow = computed(() =>
    selectedKey.value === null ? null : (rowsByKey.value.get(selectedKey.value) ?? null),
  );

  function put(position: TruckPosition): void {
    if (isNewerPosition(position, positions.get(position.terminalId))) {
      positions.set(position.terminalId, position);
    }
  }

  /** The server's full picture on (re)connect: terminals it no longer knows are dropped. */
  function applySnapshot(snapshot: readonly TruckPosition[]): void {
    const keep = new Set(snapshot.map((position) => position.terminalId));
    for (const terminalId of [...positions.keys()]) {
      if (!keep.has(terminalId)) positions.delete(terminalId);
    }
    snapshot.forEach(put);
    nowMs.value = Date.now();
  }

  /** A batch of latest positions; an older fix than the one held is ignored. */
  function applyPositions(batch: readonly TruckPosition[]): void {
    batch.forEach(put);
    nowMs.value = Date.now();
  }

  function setRegistry(trucks: readonly TruckSummary[]): void {
    registry.value = trucks;
    for (const truck of trucks) if (truck.latest) put(truck.latest);
  }

  function tick(): void {
    nowMs.value = Date.now();
  }

  function select(key: string | null): void {
    selectedKey.value = key;
  }

  /** Select a truck and ask the map to pan to it. */
  function focus(key: string): void {
    selectedKey.value = key;
    focusRequest.value = { key, seq: (focusRequest.value?.seq ?? 0) + 1 };
  }

  /** Forget everything: the next user may see a different part of the fleet. */
  function reset(): void {
    positions.clear();
    registry.value = [];
    selectedKey.value = null;
    focusRequest.value = null;
  }

  return {
    positions,
    registry,
    connection,
    nowMs,
    selectedKey,
    focusRequest,
    rows,
    rowsByKey,
    counts,
    selectedRow,
    applySnapshot,
    applyPositions,
    setRegistry,
    tick,
    select,
    focus,
    reset,
  };
});
