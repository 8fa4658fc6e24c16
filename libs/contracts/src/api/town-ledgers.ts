/**
 * The towns' own ledgers (镇街台账, issue 12 "What towns maintain"): existing waste piles
 * (既有建筑垃圾堆台账), collection points (收集点), collection requests (收集申请) and inspection
 * findings (巡查发现). Geometry is GeoJSON in WGS-84 ([lon, lat]); times are ISO 8601 UTC; dates
 * (deadlines) are local dates yyyy-mm-dd in Asia/Shanghai.
 *
 * Endpoints (all under /api/v1):
 * - GET   ledgers/piles?townCode&status&landNature&overdue&page&pageSize → LedgerPage<WastePile>
 * - POST  ledgers/piles ← WastePileInput → WastePileDetail
 * - GET   ledgers/piles/{id} → WastePileDetail (history and photos)
 * - PATCH ledgers/piles/{id} ← WastePilePatch (with `version`) → WastePileDetail
 * - POST  ledgers/piles/{id}/transitions ← LedgerTransitionRequest<PileStatus> → WastePileDetail
 * - POST  ledgers/piles/{id}/photos (multipart, field `file`; JPEG, PNG or WebP, ≤ 10 MiB) → LedgerPhoto
 * - GET   ledgers/piles/{id}/photos/{photoId} → the image
 * - GET   ledgers/collection-points?townCode&villageCode&active&page&pageSize → LedgerPage<CollectionPoint>
 * - POST  ledgers/collection-points ← CollectionPointInput → CollectionPoint
 * - GET   ledgers/collection-points/{id} → CollectionPoint
 * - PATCH ledgers/collection-points/{id} ← CollectionPointPatch (with `version`) → CollectionPoint
 * - GET   ledgers/collection-requests?townCode&state&page&pageSize → LedgerPage<CollectionRequest>
 * - POST  ledgers/collection-requests ← CollectionRequestInput → CollectionRequestDetail
 * - GET   ledgers/collection-requests/{id} → CollectionRequestDetail (history)
 * - PATCH ledgers/collection-requests/{id} ← CollectionRequestPatch (only while requested) → CollectionRequestDetail
 * - GET   ledgers/collection-requests/{id}/dispatchable-trucks?q&page&pageSize → LedgerPage<DispatchableTruck>
 *   (every registered truck with a bound terminal and a permit valid today, wherever it is: a town
 *   dispatches contracted trucks that are often outside it; for whoever may read the request)
 * - POST  ledgers/collection-requests/{id}/dispatch ← { truckId, version } → CollectionRequestDetail
 *   (exactly a dispatchable truck: unknown → 400 `ledger.truck_unknown`, no terminal or no valid
 *   permit → 422 `ledger.truck_no_terminal` / `ledger.truck_permit_invalid`)
 * - POST  ledgers/collection-requests/{id}/cancel ← { reason, version } → CollectionRequestDetail
 *   (there is no "fulfil": a request becomes fulfilled only from GPS — the dispatched truck's stored
 *   fixes show it within the point's radius after dispatch, and a trip of that truck then closed at a
 *   licensed disposal site; fulfilledAt = that trip's end)
 * - GET   ledgers/findings?townCode&status&kind&finder&from&to&overdue&page&pageSize → LedgerPage<Finding>
 *   (`overdue=true`: past the deadline — before today in Asia/Shanghai — and still open; `false`: the rest)
 * - POST  ledgers/findings ← FindingInput → FindingDetail (the town is derived from the location)
 * - GET   ledgers/findings/{id} → FindingDetail
 * - PATCH ledgers/findings/{id} ← FindingPatch (with `version`) → FindingDetail
 * - POST  ledgers/findings/{id}/transitions ← LedgerTransitionRequest<FindingStatus> → FindingDetail
 * - POST  ledgers/findings/{id}/photos, GET ledgers/findings/{id}/photos/{photoId} (as piles)
 * - GET   ledgers/coverage → TownLedgerCoverage[] (one row per town in scope)
 *
 * Scope (applied in SQL): dispatchers and admins see and edit every town's ledgers and may set
 * `verified`; a town official sees and edits only their own town's (another town's id → 404;
 * creating for another town → 403 `ledger.town_out_of_scope`; the muck office may omit the town of
 * a new record: it is the one whose area holds the location); auditors and enforcement officers
 * read everything and change nothing (enforcement officers act on road pollution and dumping
 * findings, so they see them). A stale `version` → 409 `ledger.version_conflict`; a status change the
 * workflow does not allow → 409 `ledger.illegal_transition`.
 */
import type { Point, Polygon } from 'geojson';
import type { FinderLevel } from './rankings.js';

export const PILE_STATUSES = ['registered', 'in_progress', 'cleared', 'covered', 'verified'] as const;
export type PileStatus = (typeof PILE_STATUSES)[number];

export const LAND_NATURES = ['construction_land', 'farmland', 'roadside', 'riverbank', 'woodland', 'vacant_lot', 'other'] as const;
export type LandNature = (typeof LAND_NATURES)[number];

export const REQUESTER_KINDS = ['community', 'enterprise', 'village'] as const;
export type RequesterKind = (typeof REQUESTER_KINDS)[number];

export const COLLECTION_REQUEST_STATES = ['requested', 'dispatched', 'fulfilled', 'cancelled'] as const;
export type CollectionRequestState = (typeof COLLECTION_REQUEST_STATES)[number];

export const FINDING_KINDS = ['road_pollution', 'unwashed_exit', 'dumping_point', 'complaint_12345'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export const FINDING_STATUSES = ['open', 'rectifying', 'rectified', 'verified'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** Same-day clearance (日产日清): fulfilled within this many hours of the request. */
export const SAME_DAY_CLEARANCE_HOURS = 24;

/** Bounds of every ledger input (the JSON schemas in apps/api/src/ledgers/ledger-schemas.ts use them). */
export const LEDGER_LIMITS = {
  nameLength: 100,
  textLength: 2000,
  contactLength: 100,
  maxVolumeM3: 10_000_000,
  maxRequestVolumeM3: 100_000,
  maxAreaM2: 10_000_000,
  minRadiusM: 5,
  maxRadiusM: 1000,
  /** A pile outline: at most this many vertices. */
  maxPolygonVertices: 2000,
  photoMaxBytes: 10 * 1024 * 1024,
  maxPageSize: 200,
  /** The plate search of the dispatchable trucks: at most this many characters. */
  truckQueryLength: 20,
} as const;

/**
 * Where a ledger location may be (WGS-84): a generous box around Linzi district (its extent is
 * about 118.11–118.50 E, 36.63–37.01 N); finer checks (the town's own area) are the server's.
 */
export const LEDGER_BBOX = { minLon: 117.9, maxLon: 118.7, minLat: 36.4, maxLat: 37.2 } as const;

export interface LedgerPage<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface LedgerPhoto {
  id: string;
  fileName: string;
  contentType: 'image/jpeg' | 'image/png' | 'image/webp';
  sizeBytes: number;
  sha256: string;
  uploadedBy: string | null;
  uploadedAt: string;
}

/** One entry of a ledger record's history: created, edited (with the changed fields), or moved. */
export interface LedgerEvent {
  id: string;
  at: string;
  /** create, update, a status transition's target, dispatch, cancel, fulfil (by the GPS check), photo. */
  action: string;
  fromStatus: string | null;
  toStatus: string;
  actorUsername: string | null;
  actorRole: string | null;
  comment: string | null;
  /** For `update`: the fields the patch changed and their new values. */
  changed: Record<string, unknown> | null;
}

export interface WastePile {
  id: string;
  townCode: string;
  townName: string;
  name: string;
  geometry: Point | Polygon;
  landNature: LandNature;
  volumeM3: number;
  responsibleParty: string | null;
  governancePlan: string | null;
  /** yyyy-mm-dd, Asia/Shanghai. */
  deadline: string | null;
  status: PileStatus;
  /** Past its deadline and neither cleared, covered nor verified. */
  overdue: boolean;
  verifiedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface WastePileDetail extends WastePile {
  history: LedgerEvent[];
  photos: LedgerPhoto[];
  /** The statuses the caller may move it to now. */
  allowedStatuses: PileStatus[];
}

export interface WastePileInput {
  /** Town officials: their own (may be omitted); the muck office: omitted → the town whose area holds the location. */
  townCode?: string;
  name: string;
  geometry: Point | Polygon;
  landNature: LandNature;
  volumeM3: number;
  responsibleParty?: string | null;
  governancePlan?: string | null;
  deadline?: string | null;
}

export type WastePilePatch = Partial<Omit<WastePileInput, 'townCode'>> & { version: number };

/** POST …/transitions: move a pile or a finding to another status. */
export interface LedgerTransitionRequest<S extends string> {
  to: S;
  version: number;
  comment?: string | null;
}

export interface CollectionPoint {
  id: string;
  townCode: string;
  townName: string;
  /** 12-digit village-level code (村/社区); null for a point serving no village (e.g. an enterprise zone). */
  villageCode: string | null;
  villageName: string | null;
  name: string;
  location: Point;
  radiusM: number;
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface CollectionPointInput {
  /** As WastePileInput.townCode. */
  townCode?: string;
  villageCode?: string | null;
  name: string;
  location: Point;
  /** Visit radius in metres (default 50). */
  radiusM?: number;
  active?: boolean;
}

export type CollectionPointPatch = Partial<Omit<CollectionPointInput, 'townCode'>> & { version: number };

export interface CollectionRequest {
  id: string;
  townCode: string;
  townName: string;
  villageCode: string | null;
  villageName: string | null;
  requesterKind: RequesterKind;
  requesterName: string;
  contact: string | null;
  collectionPointId: string | null;
  /** Where to collect: the point's location, or the request's own. */
  location: Point;
  radiusM: number;
  volumeM3: number;
  requestedAt: string;
  state: CollectionRequestState;
  truckId: string | null;
  plate: string | null;
  dispatchedAt: string | null;
  /** First stored fix of the truck within the radius after dispatch (from GPS). */
  visitAt: string | null;
  /** The end of the trip that delivered it to a licensed disposal site (from GPS). */
  fulfilledAt: string | null;
  tripId: string | null;
  /** Fulfilled within SAME_DAY_CLEARANCE_HOURS of the request (日产日清). */
  sameDay: boolean | null;
  cancelReason: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface CollectionRequestDetail extends CollectionRequest {
  history: LedgerEvent[];
}

export interface CollectionRequestInput {
  /** As WastePileInput.townCode (or the collection point's town). */
  townCode?: string;
  villageCode?: string | null;
  requesterKind: RequesterKind;
  requesterName: string;
  contact?: string | null;
  /** Either a collection point of the same town, or a location of its own (then radiusM applies). */
  collectionPointId?: string | null;
  location?: Point | null;
  radiusM?: number;
  volumeM3: number;
  /** When the request was made (default now; not in the future). */
  requestedAt?: string;
}

export type CollectionRequestPatch = Partial<Omit<CollectionRequestInput, 'townCode'>> & { version: number };

export interface CollectionDispatchRequest {
  truckId: string;
  version: number;
}

export interface CollectionCancelRequest {
  reason: string;
  version: number;
}

export interface Finding {
  id: string;
  /** The town whose area holds the location (derived by the server). */
  townCode: string;
  townName: string;
  kind: FindingKind;
  location: Point;
  foundAt: string;
  /** Polluted area for road pollution (m²). */
  areaM2: number | null;
  description: string | null;
  finder: FinderLevel;
  reportedBy: string | null;
  deadline: string | null;
  status: FindingStatus;
  overdue: boolean;
  verifiedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface FindingDetail extends Finding {
  history: LedgerEvent[];
  photos: LedgerPhoto[];
  allowedStatuses: FindingStatus[];
}

export interface FindingInput {
  kind: FindingKind;
  location: Point;
  foundAt: string;
  areaM2?: number | null;
  description?: string | null;
  /** Town officials always record `town`; the muck office district, city or higher (or town). */
  finder?: FinderLevel;
  deadline?: string | null;
}

export type FindingPatch = Partial<Omit<FindingInput, 'finder'>> & { version: number };

/** Per town: collection-point coverage of its villages and same-day clearance of its requests. */
export interface TownLedgerCoverage {
  townCode: string;
  townName: string;
  /** Village-level units (村/社区) of the town (libs/linzi villages). */
  villages: number;
  /** Villages with at least one active collection point. */
  villagesCovered: number;
  /** villagesCovered / villages (0..1), null for a town without villages. */
  coverageRate: number | null;
  activePoints: number;
  requests: number;
  fulfilled: number;
  /** Fulfilled within 24 h of the request (日产日清). */
  fulfilledSameDay: number;
  /** fulfilledSameDay / requests that are not cancelled (0..1), null without requests. */
  sameDayRate: number | null;
  piles: number;
  pilesOpen: number;
  pilesOverdue: number;
  findingsOpen: number;
}

export interface LedgerCoverageQuery {
  /** Requests made in [from, to) (ISO 8601); default all. */
  from?: string;
  to?: string;
}

/**
 * A truck a collection request may be dispatched to: registered, with a bound terminal (its GPS
 * fulfils the request) and a transport permit valid today — wherever its latest position is.
 */
export interface DispatchableTruck {
  truckId: string;
  plate: string;
  companyId: string;
  companyName: string;
  terminalId: string;
  /** The permit's last day (yyyy-mm-dd). */
  permitValidTo: string;
}

export interface DispatchableTruckQuery {
  /** Part of the plate (case-insensitive), at most LEDGER_LIMITS.truckQueryLength characters. */
  q?: string;
  page?: number;
  pageSize?: number;
}
