import { shallowRef, type ShallowRef } from 'vue';
import {
  officeDayStart,
  type DisposalApproval,
  type FixesResponse,
  type TripPage,
  type TruckRecord,
  type TruckWhereabouts,
  type ViolationPage,
} from '@muckwatch/contracts';
import { ApiRequestError, getJson, withQuery } from '../api/http.js';

/** One part of the truck panel: loading, loaded (with data), empty, failed, or not the caller's to see. */
export type Section<T> =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'loaded'; data: T }
  | { status: 'empty' }
  | { status: 'failed'; message: string }
  | { status: 'forbidden' };

/** The cases still being handled: not dismissed, not closed. */
export const OPEN_CASE_STATES = 'new,confirmed,assigned,handled,returned';

/** How many of today's trips and open violations the panel lists (the links open the full lists). */
export const PANEL_LIST_SIZE = 5;

/** The links of the truck panel: replay of today so far, its open violations, its trips. */
export function truckLinks(truckId: string, nowMs: number): { replay: string; violations: string; trips: string } {
  const from = officeDayStart(nowMs);
  const to = new Date(nowMs).toISOString();
  return {
    replay: withQuery('/replay', { truck: truckId, from, to }),
    violations: withQuery('/violations', { truckId, caseState: OPEN_CASE_STATES }),
    trips: withQuery('/trips', { truck: truckId }),
  };
}

/** Runs `load` into `target`, telling empty, failed and forbidden apart; stale answers (another truck by now) are dropped. */
async function fill<T>(target: ShallowRef<Section<T>>, generation: () => number, load: () => Promise<T | null>): Promise<void> {
  const mine = generation();
  target.value = { status: 'loading' };
  try {
    const data = await load();
    if (mine !== generation()) return;
    target.value = data === null ? { status: 'empty' } : { status: 'loaded', data };
  } catch (error) {
    if (mine !== generation()) return;
    if (error instanceof ApiRequestError && (error.status === 403 || error.status === 404)) target.value = { status: 'forbidden' };
    else target.value = { status: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}

export interface ApprovalState {
  valid: DisposalApproval[];
}

/**
 * The truck panel's facts beyond the live position, each section loaded on its own: whereabouts in
 * words, the registry (company, permit, approvals), today's trips, open violations, the recent track.
 */
export function useTruckContext() {
  const whereabouts = shallowRef<Section<TruckWhereabouts>>({ status: 'idle' });
  const registry = shallowRef<Section<TruckRecord>>({ status: 'idle' });
  const approvals = shallowRef<Section<ApprovalState>>({ status: 'idle' });
  const trips = shallowRef<Section<TripPage>>({ status: 'idle' });
  const violations = shallowRef<Section<ViolationPage>>({ status: 'idle' });
  let generation = 0;
  const current = (): number => generation;

  function reset(): void {
    generation++;
    for (const section of [whereabouts, registry, approvals, trips, violations] as ShallowRef<Section<unknown>>[]) section.value = { status: 'idle' };
  }

  /** Loads every section for a registered truck (`truckId`); an unregistered terminal has none of these. */
  async function load(truckId: string, nowMs: number): Promise<void> {
    reset();
    const id = encodeURIComponent(truckId);
    const today = officeDayStart(nowMs);
    const todayDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(nowMs);
    await Promise.all([
      fill(whereabouts, current, () => getJson<TruckWhereabouts>(`/api/v1/trucks/${id}/whereabouts`)),
      fill(registry, current, () => getJson<TruckRecord>(`/api/v1/trucks/${id}`)).then(() => {
        const truck = registry.value.status === 'loaded' ? registry.value.data : null;
        if (!truck) {
          approvals.value = registry.value.status === 'forbidden' ? { status: 'forbidden' } : { status: 'failed', message: '' };
          return;
        }
        return fill(approvals, current, async () => {
          const list = await getJson<DisposalApproval[]>(withQuery('/api/v1/approvals', { companyId: truck.companyId, validOn: todayDate }));
          const valid = list.filter((a) => a.truckIds.includes(truck.truckId));
          return valid.length ? { valid } : null;
        });
      }),
      fill(violations, current, async () => {
        const page = await getJson<ViolationPage>(withQuery('/api/v1/violations', { truckId, caseState: OPEN_CASE_STATES, pageSize: PANEL_LIST_SIZE }));
        return page.total ? page : null;
      }),
    ]);
    // Trips are found by plate (the registry's), once the registry answered.
    const truck = registry.value.status === 'loaded' ? registry.value.data : null;
    if (!truck) {
      trips.value = registry.value.status === 'forbidden' ? { status: 'forbidden' } : { status: 'failed', message: '' };
      return;
    }
    await fill(trips, current, async () => {
      const page = await getJson<TripPage>(withQuery('/api/v1/trips', { plate: truck.plate, from: today, to: new Date(nowMs).toISOString(), pageSize: PANEL_LIST_SIZE }));
      return page.total ? page : null;
    });
  }

  return { whereabouts, registry, approvals, trips, violations, load, reset };
}

/** A terminal's fixes of the last `hours` (the API caps them at `limit`). */
export function fetchRecentFixes(terminalId: string, hours: number, nowMs: number, limit = 10_000): Promise<FixesResponse & { truncated: boolean }> {
  return getJson(
    withQuery(`/api/v1/terminals/${encodeURIComponent(terminalId)}/fixes`, {
      from: new Date(nowMs - hours * 3_600_000).toISOString(),
      to: new Date(nowMs).toISOString(),
      limit,
    }),
  );
}
