import type { TruckPosition, TruckSummary } from '@muckwatch/contracts';
import { DEFAULT_MOTION_THRESHOLDS, motionState, type MotionState } from '@muckwatch/domain';
import { isCoverOpenWhileLoaded, isLoaded } from '../trucks/truck-symbol.js';

/** A row of the truck list: a truck's motion state, or `no_data` for a registered truck never heard from. */
export type TruckRowState = MotionState | 'no_data';
export const TRUCK_ROW_STATES: readonly TruckRowState[] = ['moving', 'stopped', 'offline', 'no_data'];

export interface TruckRow {
  /** The terminal id when the truck has one, else `truck:<truckId>`. */
  key: string;
  terminalId: string | null;
  truckId: string | null;
  /** Null for a terminal not bound to a registered truck. */
  plate: string | null;
  companyName: string | null;
  position: TruckPosition | null;
  state: TruckRowState;
  loaded: boolean;
  coverOpen: boolean;
}

export function truckRowKey(truck: { terminalId: string | null; truckId: string | null }): string {
  return truck.terminalId ?? `truck:${truck.truckId ?? ''}`;
}

/** Whether `next` is at least as recent as `current`, by fix time. */
export function isNewerPosition(next: TruckPosition, current: TruckPosition | undefined): boolean {
  if (!current) return true;
  return Date.parse(next.ts) >= Date.parse(current.ts);
}

function rowState(position: TruckPosition | null, nowMs: number, offlineAfterMs: number): TruckRowState {
  if (!position) return 'no_data';
  return motionState(
    { fixTimeMs: Date.parse(position.ts), speedKmh: position.speedKmh, liveness: position.liveness },
    nowMs,
    { ...DEFAULT_MOTION_THRESHOLDS, offlineAfterMs },
  );
}

/** Registered plates first in plate order, then unregistered terminals by key. */
export function comparePlates(a: TruckRow, b: TruckRow): number {
  if (a.plate !== null && b.plate !== null) return a.plate < b.plate ? -1 : a.plate > b.plate ? 1 : 0;
  if (a.plate !== null) return -1;
  if (b.plate !== null) return 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** One truck's row from its latest position (if any) and its registry facts. */
export function makeTruckRow(
  key: string,
  position: TruckPosition | null,
  facts: { terminalId: string | null; truckId: string | null; plate: string | null; companyName: string | null },
  nowMs: number,
  offlineAfterMs: number,
): TruckRow {
  return {
    key,
    terminalId: facts.terminalId,
    truckId: facts.truckId,
    plate: facts.plate,
    companyName: facts.companyName,
    position,
    state: rowState(position, nowMs, offlineAfterMs),
    loaded: position ? isLoaded(position) : false,
    coverOpen: position ? isCoverOpenWhileLoaded(position) : false,
  };
}

/**
 * Every terminal that reported and every registered truck, one row each, registered plates first
 * in plate order, then unregistered terminals by terminal id.
 */
export function buildTruckRows(
  positions: Iterable<TruckPosition>,
  registry: readonly TruckSummary[],
  nowMs: number,
  offlineAfterMs: number,
): TruckRow[] {
  const rows = new Map<string, TruckRow>();
  const make = (
    key: string,
    position: TruckPosition | null,
    facts: { terminalId: string | null; truckId: string | null; plate: string | null; companyName: string | null },
  ): TruckRow => makeTruckRow(key, position, facts, nowMs, offlineAfterMs);

  for (const position of positions) {
    rows.set(position.terminalId, make(position.terminalId, position, position));
  }
  for (const truck of registry) {
    const key = truckRowKey(truck);
    const reported = rows.get(key);
    if (reported) {
      reported.truckId ??= truck.truckId;
      reported.plate ??= truck.plate;
      reported.companyName ??= truck.companyName;
    } else {
      rows.set(key, make(key, null, truck));
    }
  }
  return [...rows.values()].sort(comparePlates);
}

export type TruckStateCounts = Record<TruckRowState | 'all', number>;

export function countTruckStates(rows: readonly TruckRow[]): TruckStateCounts {
  const counts: TruckStateCounts = { all: rows.length, moving: 0, stopped: 0, offline: 0, no_data: 0 };
  for (const row of rows) counts[row.state] += 1;
  return counts;
}
