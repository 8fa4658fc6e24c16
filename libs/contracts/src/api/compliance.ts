/**
 * Compliance (issue #4): trips (运次) and violations (违规) as the API returns them.
 *
 * - GET /api/v1/violations?…ViolationListQuery → ViolationPage
 * - GET /api/v1/violations/{id} → ViolationDetail (evidence track as a GeoJSON LineString, the case)
 * - the case workflow (transitions, bulk, attachments, export): libs/contracts/src/api/violation-cases.ts
 * - GET /api/v1/trips → TripListPage (filters, totals and export: libs/contracts/src/api/trips.ts)
 *
 * Scope: a town official sees only violations and trips of their own town (another town's by id
 * → 404); an enforcement officer only violations assigned to their department.
 * Ids are the engine's deterministic ids (`{terminalId}/{type}/{startMs}`), URL-encoded in paths.
 */
import type { Feature, LineString, Point } from 'geojson';
import type { CaseAction, CaseAttachment, CaseEvent, CaseFields } from './violation-cases.js';

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
  /** English sentence (logs; rows written before params existed). Show renderReason(reason, locale). */
  detail: string;
  /** Measured values and names the sentence is made of (libs/contracts/src/i18n/reason-text.ts). */
  params?: Record<string, string | number>;
}

export interface Violation extends CaseFields {
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
  /** Company (id and name) of the truck, when the terminal is bound to a registered truck. */
  companyId: string | null;
  companyName: string | null;
  updatedAt: string;
}

export interface ViolationDetail extends Violation {
  /** The track segment kept as evidence: LineString of [lon, lat]; properties.times[i] is point i's fix time. */
  evidence: Feature<LineString, { times: string[]; speedsKmh: number[]; thinned: boolean }> | null;
  startPoint: Feature<Point, { at: string }>;
  /** The case's timeline, oldest first. */
  timeline: CaseEvent[];
  /** Every attachment of the case (also listed on the timeline event that carries it). */
  attachments: CaseAttachment[];
  /** What the caller may do now (the console shows these buttons only). */
  allowedActions: CaseAction[];
  /** What the dispatcher needs beside the track: the truck, its approval and the trip. */
  context: ViolationContext;
}

export interface ViolationContext {
  truck: { id: string; plate: string; companyId: string | null; companyName: string | null; permitNumber: string | null } | null;
  approval: { id: string; number: string; siteId: string | null; siteName: string | null; validFrom: string | null; validTo: string | null } | null;
  trip: TripRecord | null;
  /** The fence or zone the violation concerns, by name. */
  subjectName: string | null;
}

export interface ViolationPage {
  items: Violation[];
  total: number;
  page: number;
  pageSize: number;
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
