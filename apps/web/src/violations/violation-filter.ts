import {
  CASE_SORT_FIELDS,
  CASE_STATES,
  VIOLATION_TYPE_NAMES,
  type CaseSortField,
  type CaseState,
  type ViolationListQuery,
  type ViolationSeverity,
  type ViolationTypeName,
} from '@muckwatch/contracts';

export const SEVERITIES: readonly ViolationSeverity[] = ['low', 'medium', 'high', 'critical'];
export const PAGE_SIZES = [20, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 20;

/** What the violations page filters, sorts and pages by; every field is also in the page's URL. */
export interface ViolationFilter {
  /** ISO instants (start of the violation). */
  from: string | null;
  to: string | null;
  types: ViolationTypeName[];
  severities: ViolationSeverity[];
  caseStates: CaseState[];
  townCode: string | null;
  companyId: string | null;
  /** A plate (or part of one) typed by the user, or a truck id from a link. */
  plate: string | null;
  truckId: string | null;
  departmentCode: string | null;
  overdue: boolean;
  sort: CaseSortField | null;
  order: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

export function emptyFilter(): ViolationFilter {
  return {
    from: null,
    to: null,
    types: [],
    severities: [],
    caseStates: [],
    townCode: null,
    companyId: null,
    plate: null,
    truckId: null,
    departmentCode: null,
    overdue: false,
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

function list<T extends string>(value: RouteQuery[string], allowed: readonly T[]): T[] {
  const raw = Array.isArray(value) ? value : [value];
  const out: T[] = [];
  for (const part of raw.flatMap((v) => (typeof v === 'string' ? v.split(',') : []))) {
    const item = part.trim() as T;
    if (allowed.includes(item) && !out.includes(item)) out.push(item);
  }
  return out;
}

function instant(value: RouteQuery[string]): string | null {
  const v = first(value);
  return v !== null && Number.isFinite(Date.parse(v)) ? new Date(Date.parse(v)).toISOString() : null;
}

function positiveInt(value: RouteQuery[string], fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = Number(first(value));
  return Number.isInteger(v) && v >= 1 && v <= max ? v : fallback;
}

/** Reads the page's URL query; anything unknown or malformed falls back to the default. */
export function filterFromQuery(query: RouteQuery): ViolationFilter {
  const sort = first(query['sort']);
  const pageSize = positiveInt(query['pageSize'], DEFAULT_PAGE_SIZE);
  return {
    from: instant(query['from']),
    to: instant(query['to']),
    types: list(query['type'], VIOLATION_TYPE_NAMES),
    severities: list(query['severity'], SEVERITIES),
    caseStates: list(query['caseState'], CASE_STATES),
    townCode: first(query['townCode']),
    companyId: first(query['companyId']),
    plate: first(query['plate']),
    truckId: first(query['truckId']),
    departmentCode: first(query['departmentCode']),
    overdue: first(query['overdue']) === 'true',
    sort: (CASE_SORT_FIELDS as readonly string[]).includes(sort ?? '') ? (sort as CaseSortField) : null,
    order: first(query['order']) === 'asc' ? 'asc' : 'desc',
    page: positiveInt(query['page'], 1),
    pageSize: (PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : DEFAULT_PAGE_SIZE,
  };
}

/**
 * The API's query for a filter (ViolationListQuery): lists comma-joined, defaults left out.
 * `paging: false` leaves page and pageSize out (the xlsx export takes the whole filtered list).
 */
export function apiQueryFromFilter(filter: ViolationFilter, paging = true): ViolationListQuery {
  const query: ViolationListQuery = {};
  if (filter.from) query.from = filter.from;
  if (filter.to) query.to = filter.to;
  if (filter.types.length) query.type = filter.types.join(',');
  if (filter.severities.length) query.severity = filter.severities.join(',');
  if (filter.caseStates.length) query.caseState = filter.caseStates.join(',');
  if (filter.townCode) query.townCode = filter.townCode;
  if (filter.companyId) query.companyId = filter.companyId;
  if (filter.truckId) query.truckId = filter.truckId;
  if (filter.plate) query.plate = filter.plate;
  if (filter.departmentCode) query.departmentCode = filter.departmentCode;
  if (filter.overdue) query.overdue = 'true';
  if (filter.sort) {
    query.sort = filter.sort;
    query.order = filter.order;
  }
  if (paging) {
    query.page = String(filter.page);
    query.pageSize = String(filter.pageSize);
  }
  return query;
}

/** The page's URL query for a filter: the API's parameters, without the defaults, so a plain list has a plain URL. */
export function queryFromFilter(filter: ViolationFilter): Record<string, string> {
  const query = apiQueryFromFilter(filter) as Record<string, string>;
  if (query['page'] === '1') delete query['page'];
  if (query['pageSize'] === String(DEFAULT_PAGE_SIZE)) delete query['pageSize'];
  return query;
}

/** el-table's sort-change: its column prop and order ('ascending' | 'descending' | null). */
export function sortFromTable(prop: string | null, order: string | null): Pick<ViolationFilter, 'sort' | 'order'> {
  if (!prop || !order || !(CASE_SORT_FIELDS as readonly string[]).includes(prop)) return { sort: null, order: 'desc' };
  return { sort: prop as CaseSortField, order: order === 'ascending' ? 'asc' : 'desc' };
}

/** The table's default-sort for a filter (so a link with `sort=` shows the arrow on its column). */
export function tableSort(filter: ViolationFilter): { prop: string; order: 'ascending' | 'descending' } | undefined {
  return filter.sort ? { prop: filter.sort, order: filter.order === 'asc' ? 'ascending' : 'descending' } : undefined;
}
