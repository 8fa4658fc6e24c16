/**
 * Trips (运次, issue #13): the list the console's 运次 page and other systems read, its totals and
 * its export. A trip is stored by the compliance engine (see compliance.ts TripRecord); these
 * endpoints add what a person reads beside it — the truck's company, the load it carried, and the
 * violations raised during it.
 *
 * - GET /api/v1/trips?…TripListQuery → TripListPage (sorted, paged)
 * - GET /api/v1/trips/totals?…the same filters → TripTotals (趟数 per office day and per site)
 * - GET /api/v1/trips/export.xlsx?…the same filters → the list as xlsx (zh-CN, Asia/Shanghai; audited)
 *
 * `from`/`to` bound the trip's start (default: the 7 days up to now; at most 366 days).
 * Scope: a town official sees only their own town's trips (naming another town is a 403
 * `trip.town_out_of_scope`); an enforcement officer none; the muck office and auditors all.
 */
import type { TripRecord, TripStatusName, ViolationTypeName } from './compliance.js';

export const TRIP_SORT_FIELDS = ['startedAt', 'endedAt', 'distance', 'plate', 'status'] as const;
export type TripSortField = (typeof TRIP_SORT_FIELDS)[number];

/** Query string of the list, its totals and its export; every value as sent. */
export interface TripListQuery {
  from?: string;
  to?: string;
  /** A truck: its id (UUID), its terminal id, or its plate. */
  truck?: string;
  /** Exactly this plate. */
  plate?: string;
  companyId?: string;
  /** The construction site or collection point the trip left. */
  originId?: string;
  /** The disposal site where it was tipped. */
  destinationId?: string;
  townCode?: string;
  /** Comma list of open, closed, unclosed, abandoned. */
  status?: string;
  /** `true`: only trips during which a violation was raised; `false`: only those without. */
  violations?: string;
  sort?: string;
  order?: string;
  page?: string;
  pageSize?: string;
}

/** The query-string names, for the controller, the audit row and the console's URL. */
export const TRIP_QUERY_KEYS = [
  'from', 'to', 'truck', 'plate', 'companyId', 'originId', 'destinationId', 'townCode', 'status', 'violations', 'sort', 'order', 'page', 'pageSize',
] as const satisfies ReadonlyArray<keyof TripListQuery>;

/** A violation raised during the trip, by id (its case page) and type. */
export interface TripViolationRef {
  id: string;
  type: ViolationTypeName;
}

export interface TripListItem extends TripRecord {
  companyId: string | null;
  companyName: string | null;
  townName: string | null;
  /** Seconds from start to end; null while the trip is open. */
  durationS: number | null;
  /** The highest load the truck's sensor reported during the trip (tonnes); null without a sensor or once the fixes are past retention. */
  loadT: number | null;
  /** The truck's rated load (tonnes) from the registry. */
  ratedLoadT: number | null;
  violations: TripViolationRef[];
}

export interface TripListPage {
  items: TripListItem[];
  total: number;
  page: number;
  pageSize: number;
}

export type TripStatusCounts = Record<TripStatusName, number>;

/** 趟数 of one office day (Asia/Shanghai), by state. */
export interface TripDayTotal extends TripStatusCounts {
  /** `yyyy-mm-dd` of Asia/Shanghai */
  day: string;
  trips: number;
}

/** 趟数 of one place (a trip's origin, or its destination); id and name null for trips without one. */
export interface TripSiteTotal extends TripStatusCounts {
  id: string | null;
  name: string | null;
  trips: number;
  distanceM: number;
}

export interface TripTotals {
  from: string;
  to: string;
  trips: number;
  byStatus: TripStatusCounts;
  /** Every office day from `from` to `to`, also those without a trip, oldest first. */
  days: TripDayTotal[];
  /** By origin (construction site or collection point), most trips first. */
  origins: TripSiteTotal[];
  /** By disposal site, most trips first. */
  destinations: TripSiteTotal[];
}

/** The state of a trip as people read it. */
export const TRIP_STATUS_LABELS: Record<'zh-CN' | 'en', Record<TripStatusName, string>> = {
  'zh-CN': { open: '进行中', closed: '已闭合', unclosed: '未闭合', abandoned: '已放弃' },
  en: { open: 'Open', closed: 'Closed', unclosed: 'Unclosed', abandoned: 'Abandoned' },
};
