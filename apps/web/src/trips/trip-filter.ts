import { TRIP_SORT_FIELDS, TRIP_STATUSES, type TripListItem, type TripListQuery, type TripSortField, type TripStatusName } from '@muckwatch/contracts';

export const PAGE_SIZES = [20, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 20;

/**
 * What the trips page (运次) filters, sorts and pages by; every field is also in the page's URL
 * (`/trips?truck=<id | terminal id | plate>&from=<ISO>&to=<ISO>…`, the form other pages link with).
 */
export interface TripFilter {
  /** ISO instants bounding the trip's start; none: the API's default (the last 7 days). */
  from: string | null;
  to: string | null;
  /** A truck id, terminal id or plate. */
  truck: string | null;
  companyId: string | null;
  originId: string | null;
  destinationId: string | null;
  townCode: string | null;
  statuses: TripStatusName[];
  /** `true`: only trips with violations; `false`: only those without. */
  violations: boolean | null;
  sort: TripSortField | null;
  order: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

export function emptyFilter(): TripFilter {
  return {
    from: null,
    to: null,
    truck: null,
    companyId: null,
    originId: null,
    destinationId: null,
    townCode: null,
    statuses: [],
    violations: null,
    sort: null,
    order: 'desc',
    page: 1,
    pageSize: DEFAULT_PAGE_SIZE,
  };
}

/** A vue-router query: values are strings, arrays of strings or null. */
export type RouteQuery = Record<string, string | null | (string | null)[] | undefined>;

function first(value: RouteQuery[string]): string | null {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

function instant(value: RouteQuery[string]): string | null {
  const v = first(value);
  return v !== null && Number.isFinite(Date.parse(v)) ? new Date(Date.parse(v)).toISOString() : null;
}

function positiveInt(value: RouteQuery[string], fallback: number, max: number): number {
  const n = Number(first(value));
  return Number.isInteger(n) && n >= 1 && n <= max ? n : fallback;
}

/** The filter a URL holds; anything unreadable is left out (the API would refuse it). */
export function filterFromQuery(query: RouteQuery): TripFilter {
  const statuses: TripStatusName[] = [];
  for (const part of (first(query['status']) ?? '').split(',')) {
    const s = part.trim() as TripStatusName;
    if (TRIP_STATUSES.includes(s) && !statuses.includes(s)) statuses.push(s);
  }
  const sort = first(query['sort']);
  const violations = first(query['violations']);
  const pageSize = positiveInt(query['pageSize'], DEFAULT_PAGE_SIZE, 500);
  return {
    from: instant(query['from']),
    to: instant(query['to']),
    truck: first(query['truck']),
    companyId: first(query['companyId']),
    originId: first(query['originId']),
    destinationId: first(query['destinationId']),
    townCode: first(query['townCode']),
    statuses,
    violations: violations === 'true' ? true : violations === 'false' ? false : null,
    sort: sort && (TRIP_SORT_FIELDS as readonly string[]).includes(sort) ? (sort as TripSortField) : null,
    order: first(query['order']) === 'asc' ? 'asc' : 'desc',
    page: positiveInt(query['page'], 1, 100_000),
    pageSize: (PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : DEFAULT_PAGE_SIZE,
  };
}

/** The URL's query of a filter: only what differs from the empty one. */
export function queryFromFilter(filter: TripFilter): Record<string, string> {
  const query: Record<string, string> = {};
  const set = (key: string, value: string | null): void => {
    if (value !== null && value !== '') query[key] = value;
  };
  set('from', filter.from);
  set('to', filter.to);
  set('truck', filter.truck?.trim() ?? null);
  set('companyId', filter.companyId);
  set('originId', filter.originId);
  set('destinationId', filter.destinationId);
  set('townCode', filter.townCode);
  set('status', filter.statuses.join(','));
  set('violations', filter.violations === null ? null : String(filter.violations));
  if (filter.sort) {
    query['sort'] = filter.sort;
    query['order'] = filter.order;
  }
  if (filter.page !== 1) query['page'] = String(filter.page);
  if (filter.pageSize !== DEFAULT_PAGE_SIZE) query['pageSize'] = String(filter.pageSize);
  return query;
}

/** The API's query of a filter; `paged: false` for the totals and the export (the whole filter). */
export function apiQueryFromFilter(filter: TripFilter, paged = true): TripListQuery {
  const query: TripListQuery = queryFromFilter({ ...filter, page: 1, pageSize: DEFAULT_PAGE_SIZE });
  if (paged) {
    query.page = String(filter.page);
    query.pageSize = String(filter.pageSize);
  }
  return query;
}

/** The table's sort marker of a filter (Element Plus' default-sort). */
export function tableSort(filter: TripFilter): { prop: string; order: 'ascending' | 'descending' } {
  return { prop: filter.sort ?? 'startedAt', order: (filter.sort ? filter.order : 'desc') === 'asc' ? 'ascending' : 'descending' };
}

/** A table header click as the filter's sort (none: the default, newest first). */
export function sortFromTable(prop: string | null, order: string | null): Pick<TripFilter, 'sort' | 'order'> {
  if (!prop || !order || !(TRIP_SORT_FIELDS as readonly string[]).includes(prop)) return { sort: null, order: 'desc' };
  return { sort: prop as TripSortField, order: order === 'ascending' ? 'asc' : 'desc' };
}

/**
 * The track replay of a trip (`/replay?truck=&from=&to=`, the URL the replay page reads): its
 * truck (the registered truck, else the terminal) over the trip's start to its end — to now while
 * it is still under way.
 */
export function replayLocation(trip: Pick<TripListItem, 'truckId' | 'terminalId' | 'start' | 'end'>, nowMs: number): { path: string; query: Record<string, string> } {
  return {
    path: '/replay',
    query: { truck: trip.truckId ?? trip.terminalId, from: trip.start.at, to: trip.end?.at ?? new Date(nowMs).toISOString() },
  };
}
