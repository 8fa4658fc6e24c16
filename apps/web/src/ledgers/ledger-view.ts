import type { Point, Polygon } from 'geojson';
import {
  COLLECTION_REQUEST_STATES,
  FINDER_LEVELS,
  FINDING_KINDS,
  FINDING_STATUSES,
  LEDGER_LIMITS,
  PILE_STATUSES,
  type CollectionPoint,
  type CollectionRequest,
  type CollectionRequestState,
  type FinderLevel,
  type LedgerEvent,
  type FindingKind,
  type FindingStatus,
  type PileStatus,
  type Role,
} from '@muckwatch/contracts';
import { LEDGER_WRITERS } from '@muckwatch/domain';
import { villagesOfTown, type Village } from '@muckwatch/linzi';

/** Pure view logic of the ledger pages (台账): colours, filters in the URL, typed locations, coverage. */

export type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info';

/** Map colour and tag of each pile status: open work warm, done green, verified grey-blue. */
export const PILE_COLOURS: Record<PileStatus, string> = {
  registered: '#dc2626',
  in_progress: '#ea7a12',
  cleared: '#16a34a',
  covered: '#0d9488',
  verified: '#475569',
};
export const PILE_TAG: Record<PileStatus, TagType> = {
  registered: 'danger',
  in_progress: 'warning',
  cleared: 'success',
  covered: 'success',
  verified: 'info',
};

export const FINDING_COLOURS: Record<FindingStatus, string> = {
  open: '#dc2626',
  rectifying: '#ea7a12',
  rectified: '#16a34a',
  verified: '#475569',
};
export const FINDING_TAG: Record<FindingStatus, TagType> = {
  open: 'danger',
  rectifying: 'warning',
  rectified: 'success',
  verified: 'info',
};

export const REQUEST_TAG: Record<CollectionRequestState, TagType> = {
  requested: 'warning',
  dispatched: 'primary',
  fulfilled: 'success',
  cancelled: 'info',
};

/** Whether `role` may create and edit ledger records (the API scopes a town official to their town). */
export function canWriteLedgers(role: Role | null): boolean {
  return role !== null && (LEDGER_WRITERS as readonly string[]).includes(role);
}

// ---- Filters in the URL -------------------------------------------------------------------------

export const PAGE_SIZES = [20, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 20;

/** The filters of the four lists; each page uses those it shows. Every field is in the page's URL. */
export interface LedgerFilter {
  townCode: string | null;
  status: string | null;
  kind: FindingKind | null;
  finder: FinderLevel | null;
  state: CollectionRequestState | null;
  overdue: boolean;
  page: number;
  pageSize: number;
}

export type RouteQuery = Record<string, string | null | (string | null)[] | undefined>;

function first(value: RouteQuery[string]): string | null {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

function oneOf<T extends string>(value: RouteQuery[string], allowed: readonly T[]): T | null {
  const v = first(value);
  return v !== null && (allowed as readonly string[]).includes(v) ? (v as T) : null;
}

const TOWN_CODE = /^[0-9A-Z]{6,12}$/;

export function emptyLedgerFilter(): LedgerFilter {
  return { townCode: null, status: null, kind: null, finder: null, state: null, overdue: false, page: 1, pageSize: DEFAULT_PAGE_SIZE };
}

/** Reads a list page's URL; anything unknown or malformed falls back to the default. */
export function ledgerFilterFromQuery(query: RouteQuery, statuses: readonly string[] = []): LedgerFilter {
  const town = first(query['townCode']);
  const page = Number(first(query['page']));
  const pageSize = Number(first(query['pageSize']));
  return {
    townCode: town !== null && TOWN_CODE.test(town) ? town : null,
    status: oneOf(query['status'], statuses),
    kind: oneOf(query['kind'], FINDING_KINDS),
    finder: oneOf(query['finder'], FINDER_LEVELS),
    state: oneOf(query['state'], COLLECTION_REQUEST_STATES),
    overdue: first(query['overdue']) === 'true',
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    pageSize: (PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : DEFAULT_PAGE_SIZE,
  };
}

/** The URL query of a filter, defaults left out (a plain list has a plain URL). */
export function queryFromLedgerFilter(filter: LedgerFilter): Record<string, string> {
  const query: Record<string, string> = {};
  if (filter.townCode) query['townCode'] = filter.townCode;
  if (filter.status) query['status'] = filter.status;
  if (filter.kind) query['kind'] = filter.kind;
  if (filter.finder) query['finder'] = filter.finder;
  if (filter.state) query['state'] = filter.state;
  if (filter.overdue) query['overdue'] = 'true';
  if (filter.page !== 1) query['page'] = String(filter.page);
  if (filter.pageSize !== DEFAULT_PAGE_SIZE) query['pageSize'] = String(filter.pageSize);
  return query;
}

/** The API's query for a list: the URL's filters plus paging (always sent). */
export function apiQueryFromLedgerFilter(filter: LedgerFilter): Record<string, string> {
  const query = queryFromLedgerFilter(filter);
  query['page'] = String(filter.page);
  query['pageSize'] = String(filter.pageSize);
  return query;
}

export const PILE_STATUS_VALUES: readonly string[] = PILE_STATUSES;
export const FINDING_STATUS_VALUES: readonly string[] = FINDING_STATUSES;

// ---- Locations typed by hand --------------------------------------------------------------------

/** Roughly the district and its neighbours: a typed point outside is a typo (lat/lon swapped, a digit lost). */
export const TYPED_BOUNDS = { minLon: 117.5, maxLon: 119.0, minLat: 36.3, maxLat: 37.3 } as const;

const round7 = (n: number): number => Math.round(n * 1e7) / 1e7;

export type TypedPoint = { ok: true; point: Point } | { ok: false; reason: 'empty' | 'format' | 'range' };

/**
 * A point typed as "lon, lat" (经度, 纬度; comma, Chinese comma or spaces). Degrees WGS-84; a pair
 * that only makes sense swapped (36.8, 118.3) is read as lat, lon.
 */
export function parseTypedPoint(text: string): TypedPoint {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, reason: 'empty' };
  const parts = trimmed.split(/[\s,，;；]+/).filter((p) => p !== '');
  if (parts.length !== 2 || parts.some((p) => !/^-?\d+(\.\d+)?$/.test(p))) return { ok: false, reason: 'format' };
  let [lon, lat] = parts.map(Number) as [number, number];
  const inside = (x: number, y: number): boolean => x >= TYPED_BOUNDS.minLon && x <= TYPED_BOUNDS.maxLon && y >= TYPED_BOUNDS.minLat && y <= TYPED_BOUNDS.maxLat;
  if (!inside(lon, lat) && inside(lat, lon)) [lon, lat] = [lat, lon];
  if (!inside(lon, lat)) return { ok: false, reason: 'range' };
  return { ok: true, point: { type: 'Point', coordinates: [round7(lon), round7(lat)] } };
}

/** A point as the form's text field shows it: "118.3000000, 36.8200000" → trimmed to 6 decimals. */
export function pointText(point: Point | null | undefined): string {
  if (!point) return '';
  const [lon, lat] = point.coordinates;
  return `${lon!.toFixed(6)}, ${lat!.toFixed(6)}`;
}

/** A point from a map click (Leaflet's lat/lng). */
export function pointFromLatLng(p: { lat: number; lng: number }): Point {
  return { type: 'Point', coordinates: [round7(p.lng), round7(p.lat)] };
}

/** A drawn outline with too few or too many vertices: the reason, else null. */
export function polygonProblem(polygon: Polygon): 'too_few' | 'too_many' | null {
  const ring = polygon.coordinates[0] ?? [];
  const vertices = Math.max(0, ring.length - 1);
  if (vertices < 3) return 'too_few';
  if (vertices > LEDGER_LIMITS.maxPolygonVertices) return 'too_many';
  return null;
}

/** Where to centre a point or a polygon's marker, [lat, lng]. */
export function markerLatLng(geometry: Point | Polygon): [number, number] {
  if (geometry.type === 'Point') return [geometry.coordinates[1]!, geometry.coordinates[0]!];
  const ring = geometry.coordinates[0] ?? [];
  const vertices = ring.length > 1 ? ring.slice(0, -1) : ring;
  const n = vertices.length || 1;
  return [vertices.reduce((s, p) => s + p[1]!, 0) / n, vertices.reduce((s, p) => s + p[0]!, 0) / n];
}

// ---- Collection-point coverage ------------------------------------------------------------------

/** The villages of `townCode` without an active collection point (libs/linzi villages against the points). */
export function uncoveredVillages(townCode: string, points: readonly CollectionPoint[]): Village[] {
  const covered = new Set(points.filter((p) => p.active && p.townCode === townCode && p.villageCode).map((p) => p.villageCode));
  return villagesOfTown(townCode).filter((v) => !covered.has(v.code));
}

/** A 0..1 rate as a percentage with one decimal, '—' for null. */
export function percent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—';
  return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

// ---- Collection requests ------------------------------------------------------------------------

/** How a request stands against 日产日清: done in time, late, still open past 24 h, open, or not counted. */
export type SameDayVerdict = 'yes' | 'no' | 'overdue' | 'pending' | 'cancelled';

export function sameDayVerdict(request: Pick<CollectionRequest, 'state' | 'sameDay' | 'requestedAt'>, nowMs: number, hours = 24): SameDayVerdict {
  if (request.state === 'cancelled') return 'cancelled';
  if (request.state === 'fulfilled') return request.sameDay ? 'yes' : 'no';
  return nowMs - Date.parse(request.requestedAt) > hours * 3_600_000 ? 'overdue' : 'pending';
}

export const SAME_DAY_TAG: Record<SameDayVerdict, TagType> = {
  yes: 'success',
  no: 'danger',
  overdue: 'danger',
  pending: 'warning',
  cancelled: 'info',
};

/** A request's dispatch and cancel are allowed while it waits or is on its way (libs/domain REQUEST_TRANSITIONS). */
export function requestActions(state: CollectionRequestState, canWrite: boolean): { dispatch: boolean; cancel: boolean } {
  const open = state === 'requested' || state === 'dispatched';
  return { dispatch: canWrite && open, cancel: canWrite && open };
}

// ---- History ------------------------------------------------------------------------------------

/** Bytes as KB / MB for a photo's caption. */
export function fileSize(bytes: number): string {
  return bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** A photo the API will take: JPEG, PNG or WebP up to the size limit. */
export function photoProblem(file: { type: string; size: number }): 'type' | 'size' | null {
  if (!['image/jpeg', 'image/png', 'image/webp'].includes(file.type)) return 'type';
  if (file.size > LEDGER_LIMITS.photoMaxBytes) return 'size';
  return null;
}

const HISTORY_ACTIONS = ['create', 'update', 'dispatch', 'cancel', 'fulfil', 'photo'] as const;

/** An event's headline: one of the named actions, or a move to the status it names. */
export function historyHeadline(event: Pick<LedgerEvent, 'action' | 'toStatus'>): { kind: 'action'; action: string } | { kind: 'move'; status: string } {
  return (HISTORY_ACTIONS as readonly string[]).includes(event.action) ? { kind: 'action', action: event.action } : { kind: 'move', status: event.toStatus };
}

/** A village's everyday name, without its committee: 辛东社区居委会 → 辛东社区, 和里村村委会 / 耿王村委会 → 和里村 / 耿王村. */
export function villageShortName(villageName: string): string {
  const short = villageName.replace(/(村民委员会|村委会)$/, '村').replace(/(居民委员会|居委会|委员会)$/, '');
  return short.replace(/村村$/, '村');
}
