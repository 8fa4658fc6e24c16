/**
 * Compliance (issue #4): trips (运次) and violations (违规) as the API returns them.
 *
 * - GET /api/v1/violations?from=&to=&type=&townCode=&plate=&status=&page=&pageSize= → ViolationPage
 * - GET /api/v1/violations/{id} → ViolationDetail (evidence track as a GeoJSON LineString)
 * - PATCH /api/v1/violations/{id} (admin, dispatcher) ← ViolationPatch → ViolationDetail (audited)
 * - GET /api/v1/trips?from=&to=&plate=&status=&page=&pageSize= → TripPage
 *
 * Scope: a town official sees only violations and trips of their own town (another town's by id
 * → 404); an enforcement officer only violations assigned to their department.
 * Ids are the engine's deterministic ids (`{terminalId}/{type}/{startMs}`), URL-encoded in paths.
 */
import type { Feature, LineString, Point } from 'geojson';

export const VIOLATION_TYPE_NAMES = [
  'illegal_dumping',
  'undesignated_disposal',
  'closed_disposal_site',
  'unsealed_transport',
  'off_route',
  'outside_time_window',
  'overspeed',
  'overload',
  'unlicensed_transport',
  'unregistered_terminal',
  'terminal_offline',
  'suspected_tampering',
] as const;
export type ViolationTypeName = (typeof VIOLATION_TYPE_NAMES)[number];
export type ViolationSeverity = 'low' | 'medium' | 'high' | 'critical';
export const VIOLATION_STATUSES = ['open', 'closed'] as const;
export type ViolationStatus = (typeof VIOLATION_STATUSES)[number];
/** The dispatcher's handling of a violation: new → dispatched (to enforcement) → resolved, or dismissed. */
export const VIOLATION_HANDLING = ['new', 'dispatched', 'resolved', 'dismissed'] as const;
export type ViolationHandling = (typeof VIOLATION_HANDLING)[number];
export const TRIP_STATUSES = ['open', 'closed', 'unclosed', 'abandoned'] as const;
export type TripStatusName = (typeof TRIP_STATUSES)[number];

/** A place at an instant (ISO 8601 UTC). */
export interface PlaceAtTime {
  at: string;
  lon: number;
  lat: number;
}

export interface ViolationReason {
  code: string;
  detail: string;
}

export interface Violation {
  id: string;
  type: ViolationTypeName;
  severity: ViolationSeverity;
  /** open while the breach goes on; closed once it ended. */
  status: ViolationStatus;
  terminalId: string;
  truckId: string | null;
  plate: string | null;
  tripId: string | null;
  approvalId: string | null;
  /** The fence or zone it concerns (disposal site, speed zone, route), when there is one. */
  subjectId: string | null;
  start: PlaceAtTime;
  end: PlaceAtTime | null;
  /** The town (code) where it happened. */
  townCode: string | null;
  reasons: ViolationReason[];
  /** The rule's thresholds when it was raised. */
  params: Record<string, number | string | boolean | null>;
  peak: number | null;
  /** Raised by a fix that arrived late (a terminal's buffered backlog). */
  reportedLate: boolean;
  handling: ViolationHandling;
  /** The enforcement department it is assigned to (null: not assigned). */
  assignedDepartment: string | null;
  /** Dispatcher's handling note. */
  note: string | null;
  updatedAt: string;
}

export interface ViolationDetail extends Violation {
  /** The track segment kept as evidence: LineString of [lon, lat]; properties.times[i] is point i's fix time. */
  evidence: Feature<LineString, { times: string[]; speedsKmh: number[]; thinned: boolean }> | null;
  startPoint: Feature<Point, { at: string }>;
}

export interface ViolationPage {
  items: Violation[];
  total: number;
  page: number;
  pageSize: number;
}

/** PATCH /api/v1/violations/{id}: any subset; the engine's own fields (type, times, status…) are not editable. */
export interface ViolationPatch {
  handling?: ViolationHandling;
  assignedDepartment?: string | null;
  note?: string | null;
}

export interface TripRecord {
  id: string;
  terminalId: string;
  truckId: string | null;
  plate: string | null;
  approvalId: string | null;
  approvalNumber: string | null;
  originId: string | null;
  originName: string | null;
  destinationId: string | null;
  destinationName: string | null;
  start: PlaceAtTime;
  end: PlaceAtTime | null;
  townCode: string | null;
  distanceM: number;
  status: TripStatusName;
  reasons: ViolationReason[];
  reportedLate: boolean;
}

export interface TripPage {
  items: TripRecord[];
  total: number;
  page: number;
  pageSize: number;
}

/** Payload of `violation_closed`: the episode as it ended; `retracted` when stored fixes disproved it. */
export interface ViolationClosedEvent extends Violation {
  retracted: boolean;
}
