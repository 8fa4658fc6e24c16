import type { TerminalCredentialsResponse } from './accounts.js';
/**
 * The registry (issue #3): what every rule is checked against. Request and response bodies of
 * REST under /api/v1. Geometry is GeoJSON in WGS-84 ([lon, lat]); dates are local dates
 * (Asia/Shanghai) 'YYYY-MM-DD', inclusive; times of day 'HH:mm' local; instants ISO 8601 UTC.
 *
 * Conventions for every resource below:
 * - list: GET /api/v1/<resource> → Record[]; one: GET /api/v1/<resource>/{id} → Record
 * - create: POST → 201 Record; change: PATCH /{id} with any subset of the create body → Record;
 *   delete: DELETE /{id} → 204 (409 while other records still refer to it)
 * - writes need role admin or dispatcher (REGISTRY_EDITORS); every write is audited
 *   (action `<resourceType>.create|update|delete`, before and after) and reaches the running rule
 *   engine within seconds (RegistryChange events)
 * - invalid input → 400 ApiError with `field` naming the offending field (dotted path into the
 *   body, e.g. `weekly.1.end`, `geometry`); geometry errors say where ("self-intersection at
 *   118.30123,36.81234")
 * - town officials see only their own town's construction sites, approvals and disposal sites
 *   (another town's by id → 404)
 */
import type { Feature, FeatureCollection, Geometry, LineString, MultiPolygon, Polygon } from 'geojson';
import type { TruckSummary } from './api-types.js';

/** Local date 'YYYY-MM-DD' (Asia/Shanghai). */
export type LocalDate = string;
/** Local time of day 'HH:mm' (Asia/Shanghai); '24:00' allowed as an end. */
export type LocalTime = string;

// --- transport companies (运输企业) ------------------------------------------------------------

/** /api/v1/companies */
export interface TransportCompany {
  id: string;
  name: string;
  /** 统一社会信用代码, GB 32100-2015 (18 characters, check character verified). */
  creditCode: string;
  address: string | null;
  contactName: string | null;
  contactPhone: string | null;
  /** Trucks registered to the company. */
  truckCount: number;
  demo: boolean;
}

export interface TransportCompanyInput {
  name: string;
  creditCode: string;
  address?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
}

// --- trucks (渣土车) ---------------------------------------------------------------------------

/** fuel: 鲁CA1234; new-energy: 鲁C12345D (large) or 鲁CD12345 (small); trailer: 鲁CA123挂. */
export type PlateKind = 'fuel' | 'new-energy' | 'trailer';

/**
 * /api/v1/trucks. The list also serves the live map (it extends TruckSummary with the latest
 * position). Plates are stored without separator: '鲁CA1234', '鲁C12345D' (new energy); input may
 * carry '·', '-' or spaces and lower case, which are removed.
 */
export interface TruckRecord extends TruckSummary {
  plateKind: PlateKind;
  companyId: string;
  model: string | null;
  /** Sealed body (密闭) certified. */
  sealed: boolean;
  sealingCertificateNo: string | null;
  sealedCertifiedOn: LocalDate | null;
  /** 准运证 */
  permitNo: string | null;
  permitValidFrom: LocalDate | null;
  permitValidTo: LocalDate | null;
  /** Permit present and valid today (Asia/Shanghai). */
  permitValid: boolean;
  /** When the current terminal was bound (null when none). */
  terminalBoundAt: string | null;
  demo: boolean;
}

export interface TruckInput {
  plate: string;
  companyId: string;
  model?: string | null;
  ratedLoadT?: number | null;
  sealed?: boolean;
  sealingCertificateNo?: string | null;
  sealedCertifiedOn?: LocalDate | null;
  permitNo?: string | null;
  permitValidFrom?: LocalDate | null;
  permitValidTo?: LocalDate | null;
}

// --- terminals (卫星定位终端) ------------------------------------------------------------------

/** Protocols a terminal may speak (the `protocol` field). */
export const TERMINAL_PROTOCOLS = ['mqtt-v1', 'jt808-2013', 'jt808-2019'] as const;
export type TerminalProtocol = (typeof TERMINAL_PROTOCOLS)[number];

/** /api/v1/terminals, id = terminalId. */
/**
 * POST /api/v1/terminals: the registered terminal with its MQTT credentials. The password is
 * shown this once (stored only as a hash); POST /api/v1/terminals/{id}/credentials issues new ones.
 */
export interface RegisteredTerminal {
  terminal: TerminalRecord;
  credentials: TerminalCredentialsResponse;
}

export interface TerminalRecord {
  /** As used in MQTT topics: 1–32 of [A-Za-z0-9_-] (JT/T 808: 12-digit phone number). */
  terminalId: string;
  sim: string | null;
  maker: string | null;
  model: string | null;
  /** 'mqtt-v1' today; JT/T 808 later. */
  protocol: TerminalProtocol;
  installedOn: LocalDate | null;
  truckId: string | null;
  plate: string | null;
  boundAt: string | null;
  demo: boolean;
}

/** POST creates (terminalId required); PATCH changes the rest (terminalId is the id, not editable). */
export interface TerminalInput {
  terminalId: string;
  sim?: string | null;
  maker?: string | null;
  model?: string | null;
  /** Default 'mqtt-v1'. */
  protocol?: TerminalProtocol;
  installedOn?: LocalDate | null;
}

/**
 * PUT /api/v1/terminals/{terminalId}/binding → TerminalRecord. 400 (field `terminalId`) when the
 * terminal is already bound to another truck unless `rebind` is true; 400 (field `truckId`) when
 * the truck already carries another terminal. DELETE …/binding unbinds (→ TerminalRecord).
 */
export interface TerminalBindingInput {
  truckId: string;
  /** Move a terminal that is bound elsewhere: its old binding ends now, the new one starts now. */
  rebind?: boolean;
}

/** GET /api/v1/terminals/{terminalId}/bindings and GET /api/v1/trucks/{id}/bindings, newest first. */
export interface TerminalBinding {
  id: string;
  terminalId: string;
  truckId: string;
  plate: string;
  boundAt: string;
  /** null while current. */
  unboundAt: string | null;
}

// --- towns (镇、街道) ------------------------------------------------------------------------

export type TownKind = 'street' | 'town' | 'enterprise';

/** Properties of each feature of GET /api/v1/towns and GET /api/v1/towns/export. */
export interface TownProperties {
  code: string;
  name: string;
  kind: TownKind;
  /** True while the polygon is invented, not an official boundary. */
  synthetic: boolean;
}

// --- construction sites (工地) ----------------------------------------------------------------

export const CONSTRUCTION_SITE_STATUSES = ['planned', 'active', 'finished'] as const;
export type ConstructionSiteStatus = (typeof CONSTRUCTION_SITE_STATUSES)[number];

/** /api/v1/construction-sites */
export interface ConstructionSite {
  id: string;
  name: string;
  /** Derived from the polygon (the town containing a point on its surface) when null or absent in the input. */
  townCode: string | null;
  townName: string | null;
  address: string | null;
  /** Only active sites count in the approval rate. */
  status: ConstructionSiteStatus;
  geometry: Polygon;
  /** An approval valid today exists. */
  hasValidApproval: boolean;
  demo: boolean;
}

export interface ConstructionSiteInput {
  name: string;
  geometry: Polygon;
  /** Omit (create) or send null (PATCH with a new polygon) to derive it from the polygon. */
  townCode?: string | null;
  address?: string | null;
  status?: ConstructionSiteStatus;
}

// --- disposal sites (消纳场) ------------------------------------------------------------------

export const DISPOSAL_SITE_STATUSES = ['licensed', 'closed', 'illegal'] as const;
export type DisposalSiteStatus = (typeof DISPOSAL_SITE_STATUSES)[number];

/** /api/v1/disposal-sites */
export interface DisposalSite {
  id: string;
  name: string;
  status: DisposalSiteStatus;
  townCode: string | null;
  townName: string | null;
  address: string | null;
  capacityM3: number | null;
  geometry: Polygon;
  washingFacility: boolean;
  dustControl: boolean;
  distanceToHomesM: number | null;
  distanceToSchoolsM: number | null;
  demo: boolean;
}

export interface DisposalSiteInput {
  name: string;
  status: DisposalSiteStatus;
  geometry: Polygon;
  /** Omit (create) or send null (PATCH with a new polygon) to derive it from the polygon. */
  townCode?: string | null;
  address?: string | null;
  capacityM3?: number | null;
  washingFacility?: boolean;
  dustControl?: boolean;
  distanceToHomesM?: number | null;
  distanceToSchoolsM?: number | null;
}

// --- approved routes (规定路线) ---------------------------------------------------------------

/** /api/v1/routes */
export interface ApprovedRoute {
  id: string;
  name: string;
  /** At least two distinct points. */
  geometry: LineString;
  /** Full width: a truck is on the route within corridorWidthM / 2 of the line. */
  corridorWidthM: number;
  lengthM: number;
  /** Informative ends of the route (a route may serve several approvals). */
  constructionSiteId: string | null;
  disposalSiteId: string | null;
  demo: boolean;
}

export interface ApprovedRouteInput {
  name: string;
  geometry: LineString;
  corridorWidthM: number;
  constructionSiteId?: string | null;
  disposalSiteId?: string | null;
}

// --- time windows (通行时段) ------------------------------------------------------------------

/** ISO weekday: 1 = Monday … 7 = Sunday (Asia/Shanghai). */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/**
 * One weekly window: open from `start` to `end` local time on each of `days`. A window that runs
 * past midnight says so: { days: [1], start: '22:00', end: '06:00', crossesMidnight: true } is
 * Monday 22:00 → Tuesday 06:00. Without `crossesMidnight` (default false) the end must be after
 * the start on the same day ('24:00' allowed); otherwise 400 with field `weekly.N.end`. With it,
 * the end must not be after the start (start == end: 24 hours).
 */
export interface WeeklyWindow {
  days: IsoWeekday[];
  start: LocalTime;
  end: LocalTime;
  crossesMidnight?: boolean;
}

/**
 * A dated exception: on `date` (local) the weekly windows are replaced: `closed` shuts every
 * window that day (a holiday, a heavy-pollution alert), `open` replaces them with `windows`
 * (same-day windows; those starting that day may cross midnight). Windows that began the day
 * before and run past midnight are cut at 00:00 by a `closed` exception.
 */
export interface ScheduleException {
  date: LocalDate;
  kind: 'closed' | 'open';
  windows?: Array<Omit<WeeklyWindow, 'days'>>;
  reason: string;
}

/** /api/v1/time-windows: a named weekly schedule (local time Asia/Shanghai) with exceptions. */
export interface TimeWindowSchedule {
  id: string;
  name: string;
  timeZone: 'Asia/Shanghai';
  weekly: WeeklyWindow[];
  exceptions: ScheduleException[];
  demo: boolean;
}

export interface TimeWindowScheduleInput {
  name: string;
  weekly: WeeklyWindow[];
  exceptions?: ScheduleException[];
}

/** GET /api/v1/time-windows/{id}/open?at=ISO → whether the schedule is open at that instant. */
export interface TimeWindowOpenResponse {
  scheduleId: string;
  at: string;
  open: boolean;
  /** The exception that decided, if any. */
  exception: ScheduleException | null;
}

// --- disposal approvals (建筑垃圾处置核准) -----------------------------------------------------

/** /api/v1/approvals (filter ?constructionSiteId=, ?companyId=, ?validOn=YYYY-MM-DD). */
export interface DisposalApproval {
  id: string;
  /** 核准证号, unique. */
  number: string;
  constructionSiteId: string;
  constructionSiteName: string;
  townCode: string | null;
  validFrom: LocalDate;
  validTo: LocalDate;
  /** Valid today (Asia/Shanghai). */
  valid: boolean;
  /** Contracted transport company; every listed truck belongs to it. */
  companyId: string;
  truckIds: string[];
  disposalSiteIds: string[];
  routeIds: string[];
  timeWindowIds: string[];
  demo: boolean;
}

export interface DisposalApprovalInput {
  number: string;
  constructionSiteId: string;
  validFrom: LocalDate;
  validTo: LocalDate;
  companyId: string;
  truckIds?: string[];
  /** Licensed disposal sites only (a closed or illegal site → 400). */
  disposalSiteIds?: string[];
  routeIds?: string[];
  timeWindowIds?: string[];
}

// --- speed-limit zones (限速区) ---------------------------------------------------------------

/** /api/v1/speed-zones: a polygon, or a line with a corridor width. */
export interface SpeedZone {
  id: string;
  name: string;
  limitKmh: number;
  geometry: Polygon | LineString;
  /** Required with a LineString (full width, metres); null with a Polygon. */
  corridorWidthM: number | null;
  demo: boolean;
}

export interface SpeedZoneInput {
  name: string;
  limitKmh: number;
  geometry: Polygon | LineString;
  corridorWidthM?: number | null;
}

// --- geometry limits -------------------------------------------------------------------------

/**
 * The largest geometry the registry accepts (a 400 naming the field and the limit beyond it).
 * A construction site drawn by hand has tens of positions, one imported from a survey a few
 * thousand at most; a route traced along streets a few thousand; a town boundary a few thousand per
 * part. The limits leave room for all of that and keep every check (self-intersections, PostGIS
 * validity, GCJ-02 conversion) well under a second.
 */
export const GEOMETRY_LIMITS = Object.freeze({
  /** Positions in one ring of a Polygon (closing position included). */
  positionsPerRing: 10_000,
  /** Rings in one Polygon: the outer ring and up to 99 holes. */
  ringsPerPolygon: 100,
  /** Polygons in one MultiPolygon (towns). */
  polygonsPerMultiPolygon: 100,
  /** Positions in one geometry, all its rings and parts together. */
  positionsPerGeometry: 50_000,
  /** Positions in one LineString (a route or a speed-zone corridor). */
  positionsPerLine: 10_000,
  /** Features in one GeoJSON import. */
  featuresPerImport: 1_000,
  /** Positions in one GeoJSON import, all features together. */
  positionsPerImport: 200_000,
});

// --- GeoJSON import / export ------------------------------------------------------------------

/** Geofence kinds with GET /api/v1/<kind>/export and POST /api/v1/<kind>/import. */
export const GEOFENCE_KINDS = ['towns', 'construction-sites', 'disposal-sites', 'routes', 'speed-zones'] as const;
export type GeofenceKind = (typeof GEOFENCE_KINDS)[number];

/** Coordinate systems an import may declare: WGS-84 (default) or GCJ-02 (converted on import). */
export type ImportCrs = 'WGS84' | 'GCJ02';

/**
 * POST /api/v1/<kind>/import body: a FeatureCollection whose properties carry the Input fields of
 * the kind (towns: `code`, optional `name`, `kind`, `synthetic`). A feature with `properties.id`
 * (or a town `code`) that exists is updated, otherwise created. The CRS is declared by the
 * `?crs=WGS84|GCJ02` query parameter or a `crs` member
 * ({ type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' | 'EPSG:4326' | 'GCJ02' } });
 * absent means WGS-84. All or nothing: one bad feature → 400 with field `features.N.geometry` or
 * `features.N.properties.<field>`. Each imported record is audited (`<resourceType>.import`).
 * At most `GEOMETRY_LIMITS.featuresPerImport` features and `positionsPerImport` positions.
 * Export (GET …/export) is always WGS-84 and round-trips.
 */
export interface GeofenceImport {
  type: 'FeatureCollection';
  crs?: { type: 'name'; properties: { name: string } };
  features: Array<Feature<Geometry, Record<string, unknown>>>;
}

export interface GeofenceImportResult {
  kind: GeofenceKind;
  crs: ImportCrs;
  created: number;
  updated: number;
  ids: string[];
}

/** GET /api/v1/<kind>/export: properties carry the record's fields (all but geometry). */
export type GeofenceExport<P = Record<string, unknown>> = FeatureCollection<Polygon | MultiPolygon | LineString, P>;

// --- rates (密闭化率, 卫星定位安装率, 核准办理率) ----------------------------------------------

/**
 * A rate: numerator / denominator, `rate` null when there is nothing to count.
 */
export interface Rate {
  numerator: number;
  denominator: number;
  rate: number | null;
}

/**
 * Per company, over the company's registered trucks:
 * - sealed: trucks certified sealed (sealed and a certification date) / trucks
 * - terminalInstalled: trucks with a bound terminal / trucks
 * - permitValid: trucks whose transport permit is valid on the day / trucks
 */
export interface CompanyRates {
  companyId: string;
  companyName: string;
  trucks: number;
  sealed: Rate;
  terminalInstalled: Rate;
  permitValid: Rate;
}

/**
 * Per town:
 * - approval: active construction sites in the town with an approval valid on the day / active
 *   construction sites in the town
 * - sealed, terminalInstalled, permitValid: over the distinct trucks listed on the approvals valid
 *   on the day of the town's active sites (the trucks working in the town)
 */
export interface TownRates {
  townCode: string;
  townName: string;
  activeSites: number;
  trucks: number;
  approval: Rate;
  sealed: Rate;
  terminalInstalled: Rate;
  permitValid: Rate;
}

/**
 * GET /api/v1/registry/rates?on=YYYY-MM-DD (default today, Asia/Shanghai); live, never cached.
 * A town official gets only their own town's line: no companies (their trucks work district-wide),
 * no other town, no district.
 */
export interface RegistryRates {
  on: LocalDate;
  companies: CompanyRates[];
  towns: TownRates[];
  /** Over all trucks and all active sites of the district; null for a town official. */
  district: { trucks: number; activeSites: number; approval: Rate; sealed: Rate; terminalInstalled: Rate; permitValid: Rate } | null;
}

// --- change events ----------------------------------------------------------------------------

export type RegistryResourceType =
  | 'company'
  | 'truck'
  | 'terminal'
  | 'town'
  | 'construction_site'
  | 'disposal_site'
  | 'route'
  | 'time_window'
  | 'approval'
  | 'speed_zone'
  /** A JT/T 808 terminal model and its vendor mapping (/api/v1/terminal-models). */
  | 'terminal_model';

/** What the API publishes in process after each committed registry change (the rule engine subscribes). */
export interface RegistryChange {
  resourceType: RegistryResourceType;
  resourceId: string;
  action: 'create' | 'update' | 'delete' | 'bind' | 'unbind' | 'import';
  at: string;
}
