import {
  CASE_SORT_FIELDS,
  CASE_STATES,
  VIOLATION_STATUSES,
  VIOLATION_TYPE_NAMES,
  type CaseSortField,
  type CaseState,
  type ViolationListQuery,
  type ViolationSeverity,
  type ViolationStatus,
  type ViolationTypeName,
} from '@muckwatch/contracts';
import { BadRequestException } from '@nestjs/common';
import { parseIntParam, parseTimeParam } from '../common/query-params.js';
import { CodedError, badQuery } from './case-errors.js';

const SEVERITIES: readonly ViolationSeverity[] = ['low', 'medium', 'high', 'critical'];
const TOWN_CODE = /^[A-Z0-9]{1,20}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const DEPARTMENT_CODE = /^[a-z0-9][a-z0-9-]{0,39}$/;
export const MAX_PAGE = 100_000;
export const MAX_PAGE_SIZE = 500;

/** A validated ViolationListQuery: what the repository turns into SQL. */
export interface CaseFilter {
  from: Date | null;
  to: Date | null;
  types: ViolationTypeName[];
  severities: ViolationSeverity[];
  caseStates: CaseState[];
  status: ViolationStatus | null;
  townCode: string | null;
  companyId: string | null;
  truckId: string | null;
  plate: string | null;
  departmentCode: string | null;
  overdue: boolean | null;
  sort: CaseSortField;
  order: 'asc' | 'desc';
}

export interface CasePaging {
  page: number;
  pageSize: number;
}

/** The shared parsers' 400s, given this API's code (`query.invalid`) beside their field. */
function coded<T>(field: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof BadRequestException) throw new CodedError(400, 'query.invalid', error.message, { field }, field);
    throw error;
  }
}

function list<T extends string>(field: string, raw: string | undefined, allowed: readonly T[]): T[] {
  if (raw === undefined || raw === '') return [];
  const items = raw.split(',').map((s) => s.trim());
  if (items.length > allowed.length) throw badQuery(field, `lists at most ${allowed.length} values`, { max: allowed.length });
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) throw badQuery(field, `must be a comma list of ${allowed.join(', ')}`, { allowed });
  }
  return [...new Set(items)] as T[];
}

function matching(field: string, raw: string | undefined, pattern: RegExp, what: string): string | null {
  if (raw === undefined || raw === '') return null;
  if (!pattern.test(raw)) throw badQuery(field, `must be ${what}`);
  return raw;
}

/** Every parameter of GET /violations (and its export), each refused with a 400 naming it. */
export function parseCaseFilter(query: ViolationListQuery): CaseFilter {
  const from = query.from ? coded('from', () => parseTimeParam('from', query.from, 0)) : null;
  const to = query.to ? coded('to', () => parseTimeParam('to', query.to, 0)) : null;
  if (from && to && from.getTime() > to.getTime()) throw badQuery('from', 'must not be after to');
  const status = query.status === undefined || query.status === '' ? null : list('status', query.status, VIOLATION_STATUSES);
  if (status && status.length !== 1) throw badQuery('status', 'must be open or closed');
  if (query.plate !== undefined && query.plate.length > 16) throw badQuery('plate', 'must be at most 16 characters', { maxLength: 16 });
  const overdue = query.overdue === undefined || query.overdue === '' ? null : query.overdue === 'true' ? true : query.overdue === 'false' ? false : undefined;
  if (overdue === undefined) throw badQuery('overdue', 'must be true or false');
  const sortRaw: string = query.sort ?? '';
  const sort = sortRaw === '' ? 'startedAt' : sortRaw;
  if (!(CASE_SORT_FIELDS as readonly string[]).includes(sort)) throw badQuery('sort', `must be one of ${CASE_SORT_FIELDS.join(', ')}`, { allowed: CASE_SORT_FIELDS });
  const orderRaw: string = query.order ?? '';
  const order = orderRaw === '' ? 'desc' : orderRaw;
  if (order !== 'asc' && order !== 'desc') throw badQuery('order', 'must be asc or desc');
  return {
    from,
    to,
    types: list('type', query.type, VIOLATION_TYPE_NAMES),
    severities: list('severity', query.severity, SEVERITIES),
    caseStates: list('caseState', query.caseState, CASE_STATES),
    status: status?.[0] ?? null,
    townCode: matching('townCode', query.townCode, TOWN_CODE, 'a town code (digits and capitals)'),
    companyId: matching('companyId', query.companyId, UUID, 'a UUID'),
    truckId: matching('truckId', query.truckId, UUID, 'a UUID'),
    plate: query.plate === undefined || query.plate === '' ? null : query.plate,
    departmentCode: matching('departmentCode', query.departmentCode, DEPARTMENT_CODE, 'a department code ([a-z0-9-], 1–40)'),
    overdue,
    sort: sort as CaseSortField,
    order,
  };
}

export function parseCasePaging(query: ViolationListQuery): CasePaging {
  return {
    page: coded('page', () => parseIntParam('page', query.page, 1, 1, MAX_PAGE)),
    pageSize: coded('pageSize', () => parseIntParam('pageSize', query.pageSize, 50, 1, MAX_PAGE_SIZE)),
  };
}

/** The query-string names, for the controller and the export's audit row. */
export const CASE_QUERY_KEYS = [
  'from', 'to', 'type', 'severity', 'caseState', 'status', 'townCode', 'companyId', 'truckId', 'plate', 'departmentCode', 'overdue', 'sort', 'order', 'page', 'pageSize',
] as const satisfies ReadonlyArray<keyof ViolationListQuery>;
