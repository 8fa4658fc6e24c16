import { TRIP_QUERY_KEYS, TRIP_SORT_FIELDS, TRIP_STATUSES, type TripListQuery, type TripSortField, type TripStatusName } from '@muckwatch/contracts';
import { parseIntParam, parseTimeRange } from '../common/query-params.js';
import { CodedError, badQuery } from '../cases/case-errors.js';

const DAY_MS = 86_400_000;
/** The list's default period: the 7 days up to `to`; the longest one may ask for. */
export const DEFAULT_SPAN_MS = 7 * DAY_MS;
export const MAX_SPAN_MS = 366 * DAY_MS;
export const MAX_PAGE = 100_000;
export const MAX_PAGE_SIZE = 500;

const TOWN_CODE = /^[A-Z0-9]{1,20}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A truck as the replay and truck panel name it: its id (a UUID), or a terminal id or plate (letters, digits, Chinese, `_-·`). */
const TRUCK_REF = /^[\p{L}\p{N}_·-]{1,32}$/u;

/** A validated TripListQuery: what the repository turns into SQL. */
export interface TripFilter {
  from: Date;
  to: Date;
  /** A truck id, or a terminal id / plate (matched against both). */
  truck: { id: string } | { ref: string } | null;
  plate: string | null;
  companyId: string | null;
  originId: string | null;
  destinationId: string | null;
  townCode: string | null;
  statuses: TripStatusName[];
  violations: boolean | null;
  sort: TripSortField;
  order: 'asc' | 'desc';
}

export interface TripPaging {
  page: number;
  pageSize: number;
}

function matching(field: string, raw: string | undefined, pattern: RegExp, what: string): string | null {
  if (raw === undefined || raw === '') return null;
  if (!pattern.test(raw)) throw badQuery(field, `must be ${what}`);
  return raw;
}

function statuses(raw: string | undefined): TripStatusName[] {
  if (raw === undefined || raw === '') return [];
  const items = raw.split(',').map((s) => s.trim());
  if (items.length > TRIP_STATUSES.length || items.some((s) => !(TRIP_STATUSES as readonly string[]).includes(s))) {
    throw badQuery('status', `must be a comma list of ${TRIP_STATUSES.join(', ')}`, { allowed: TRIP_STATUSES });
  }
  return [...new Set(items)] as TripStatusName[];
}

/**
 * Every parameter of GET /trips (its totals and export), each refused with a 400 naming it: times
 * with the shared parsers' codes (`input.time_invalid`, `input.range_reversed`,
 * `input.range_too_long`), everything else `query.invalid`.
 */
export function parseTripFilter(query: TripListQuery): TripFilter {
  const { from, to } = parseTimeRange(query, DEFAULT_SPAN_MS, MAX_SPAN_MS);
  const truck = query.truck && UUID.test(query.truck) ? query.truck : matching('truck', query.truck, TRUCK_REF, 'a truck id, terminal id or plate (1–32 letters, digits, _ or -)');
  if (query.plate !== undefined && query.plate.length > 16) throw badQuery('plate', 'must be at most 16 characters', { maxLength: 16 });
  const violations = query.violations === undefined || query.violations === '' ? null : query.violations === 'true' ? true : query.violations === 'false' ? false : undefined;
  if (violations === undefined) throw badQuery('violations', 'must be true or false');
  const sort = query.sort === undefined || query.sort === '' ? 'startedAt' : query.sort;
  if (!(TRIP_SORT_FIELDS as readonly string[]).includes(sort)) throw badQuery('sort', `must be one of ${TRIP_SORT_FIELDS.join(', ')}`, { allowed: TRIP_SORT_FIELDS });
  const order = query.order === undefined || query.order === '' ? 'desc' : query.order;
  if (order !== 'asc' && order !== 'desc') throw badQuery('order', 'must be asc or desc');
  return {
    from,
    to,
    truck: truck === null ? null : UUID.test(truck) ? { id: truck.toLowerCase() } : { ref: truck },
    plate: query.plate === undefined || query.plate === '' ? null : query.plate,
    companyId: matching('companyId', query.companyId, UUID, 'a UUID'),
    originId: matching('originId', query.originId, UUID, 'a UUID'),
    destinationId: matching('destinationId', query.destinationId, UUID, 'a UUID'),
    townCode: matching('townCode', query.townCode, TOWN_CODE, 'a town code (digits and capitals)'),
    statuses: statuses(query.status),
    violations,
    sort: sort as TripSortField,
    order,
  };
}

export function parseTripPaging(query: TripListQuery): TripPaging {
  return {
    page: parseIntParam('page', query.page, 1, 1, MAX_PAGE),
    pageSize: parseIntParam('pageSize', query.pageSize, 50, 1, MAX_PAGE_SIZE),
  };
}

/** Pulls the query parameters this API reads (each validated by parseTripFilter); a repeated one is refused. */
export function tripQuery(raw: Record<string, unknown>): TripListQuery {
  const query: Record<string, string> = {};
  for (const key of TRIP_QUERY_KEYS) {
    const value = raw[key];
    if (typeof value === 'string') query[key] = value;
    else if (value !== undefined) throw new CodedError(400, 'query.invalid', `${key} must be given once`, { field: key }, key);
  }
  return query;
}

