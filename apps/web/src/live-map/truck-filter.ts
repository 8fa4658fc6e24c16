import { matchesTruckQuery, normalisePlate } from '../trucks/plate.js';
import { countTruckStates, type TruckRow, type TruckRowState, type TruckStateCounts } from './truck-rows.js';

export const LOAD_FILTERS = ['any', 'loaded', 'empty'] as const;
export type LoadFilter = (typeof LOAD_FILTERS)[number];

/** What the dispatcher narrowed the live map and the truck list to (both show the same trucks). */
export interface TruckFilter {
  /** Plate, terminal id or company, ignoring separators and case. */
  query: string;
  state: TruckRowState | 'all';
  /** Company names; empty = every company. */
  companies: readonly string[];
  load: LoadFilter;
  /** Only trucks loaded with the cover open (重车未密闭). */
  coverOpen: boolean;
  /** Only trucks with an open violation. */
  openViolation: boolean;
}

export const NO_TRUCK_FILTER: TruckFilter = {
  query: '',
  state: 'all',
  companies: [],
  load: 'any',
  coverOpen: false,
  openViolation: false,
};

/** The search box: plate or terminal id (separators and case ignored), or part of the company's name. */
export function matchesTruckSearch(
  query: string,
  row: Pick<TruckRow, 'plate' | 'terminalId' | 'companyName'>,
): boolean {
  if (matchesTruckQuery(query, row)) return true;
  const needle = normalisePlate(query);
  return row.companyName !== null && normalisePlate(row.companyName).includes(needle);
}

/** Everything but the state: the state buttons count what the other filters leave. */
export function matchesTruckFilterExceptState(
  row: TruckRow,
  filter: TruckFilter,
  openViolationTerminals: ReadonlySet<string>,
): boolean {
  if (filter.companies.length > 0 && (row.companyName === null || !filter.companies.includes(row.companyName))) return false;
  if (filter.load === 'loaded' && !row.loaded) return false;
  if (filter.load === 'empty' && (row.loaded || row.position === null)) return false;
  if (filter.coverOpen && !row.coverOpen) return false;
  if (filter.openViolation && (row.terminalId === null || !openViolationTerminals.has(row.terminalId))) return false;
  return matchesTruckSearch(filter.query, row);
}

export function matchesTruckFilter(row: TruckRow, filter: TruckFilter, openViolationTerminals: ReadonlySet<string>): boolean {
  return (filter.state === 'all' || row.state === filter.state) && matchesTruckFilterExceptState(row, filter, openViolationTerminals);
}

/** One pass over the rows (kept in their order): the rows shown and the state counts of the state buttons. */
export function applyTruckFilter(
  rows: readonly TruckRow[],
  filter: TruckFilter,
  openViolationTerminals: ReadonlySet<string>,
): { rows: TruckRow[]; counts: TruckStateCounts } {
  const shown: TruckRow[] = [];
  const candidates: TruckRow[] = [];
  for (const row of rows) {
    if (!matchesTruckFilterExceptState(row, filter, openViolationTerminals)) continue;
    candidates.push(row);
    if (filter.state === 'all' || row.state === filter.state) shown.push(row);
  }
  return { rows: shown, counts: countTruckStates(candidates) };
}

/** Whether any filter other than "all" is on. */
export function isTruckFilterActive(filter: TruckFilter): boolean {
  return (
    normalisePlate(filter.query) !== '' ||
    filter.state !== 'all' ||
    filter.companies.length > 0 ||
    filter.load !== 'any' ||
    filter.coverOpen ||
    filter.openViolation
  );
}

/** The companies the filter offers: every company of a row, in Chinese collation order. */
export function companyOptions(rows: readonly TruckRow[]): string[] {
  const names = new Set<string>();
  for (const row of rows) if (row.companyName) names.add(row.companyName);
  return [...names].sort((a, b) => a.localeCompare(b, 'zh-CN'));
}
