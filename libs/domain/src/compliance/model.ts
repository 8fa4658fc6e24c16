/** What the compliance engine reads (a fix) and what it returns (trips, violation episodes, events). */

/** One stored fix of a terminal, as the API hands it over (times in epoch ms, UTC). */
export interface ComplianceFix {
  terminalId: string;
  fixTimeMs: number;
  /** When the platform received it; with fixTimeMs, tells a backlog from live data. */
  receivedAtMs: number;
  lat: number;
  lon: number;
  speedKmh: number;
  /** false: the terminal had no position fix (counts as a report, never as a position). */
  valid?: boolean;
  ignition?: boolean;
  cover?: 'closed' | 'open' | 'partial' | 'fault';
  body?: 'down' | 'raised' | 'fault';
  load?: 'empty' | 'half' | 'full' | 'overload';
  loadT?: number;
  sensors?: { cover?: SensorHealth; lift?: SensorHealth; load?: SensorHealth };
}

export type SensorHealth = 'ok' | 'short' | 'open' | 'offline';

export const VIOLATION_TYPES = [
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
export type ViolationType = (typeof VIOLATION_TYPES)[number];

export type Severity = 'low' | 'medium' | 'high' | 'critical';

/** Default severity per type (the console sorts and colours alarms by it). */
export const VIOLATION_SEVERITY: Readonly<Record<ViolationType, Severity>> = {
  illegal_dumping: 'critical',
  closed_disposal_site: 'critical',
  unlicensed_transport: 'high',
  unregistered_terminal: 'high',
  suspected_tampering: 'high',
  undesignated_disposal: 'medium',
  unsealed_transport: 'medium',
  off_route: 'medium',
  overload: 'medium',
  outside_time_window: 'medium',
  overspeed: 'medium',
  terminal_offline: 'low',
};

/** A place at an instant. */
export interface PlaceAt {
  atMs: number;
  lon: number;
  lat: number;
}

/** One point of a track segment kept as evidence. */
export interface TrackPoint extends PlaceAt {
  speedKmh: number;
}

/** Why: a stable code for machines and a sentence for people. */
/**
 * Why a rule fired: a stable code, its measured values and names as `params` (the console and the
 * exports render the zh-CN or English sentence from code + params: libs/contracts/src/i18n/reason-text.ts),
 * and `detail`, the English sentence kept for logs and for rows written before params existed.
 */
export interface Reason {
  code: string;
  detail: string;
  params?: Record<string, string | number>;
}

export type RuleParameters = Record<string, number | string | boolean | null>;

/** One continuous breach of one rule (not one row per fix). Ids are deterministic: replays upsert. */
export interface ViolationEpisode {
  /** `${terminalId}/${type}/${start.atMs}` */
  id: string;
  type: ViolationType;
  severity: Severity;
  terminalId: string;
  truckId: string | null;
  plate: string | null;
  tripId: string | null;
  approvalId: string | null;
  /** The fence or zone it concerns (disposal site, speed zone, route), when there is one. */
  subjectId: string | null;
  start: PlaceAt;
  /** null while the episode is open. */
  end: PlaceAt | null;
  /** The town (code) where it started. */
  townCode: string | null;
  reasons: Reason[];
  /** The rule's thresholds when it was raised. */
  parameters: RuleParameters;
  /** The worst value seen (speed km/h, metres off the corridor, tonnes …), when the rule measures one. */
  peak: number | null;
  evidence: TrackPoint[];
  /** Evidence thinned to ComplianceRules.maxEvidencePoints. */
  evidenceThinned: boolean;
  /** Opened by a fix that arrived later than ComplianceRules.lateAfterMs after its fix time. */
  reportedLate: boolean;
}

export type TripStatus = 'open' | 'closed' | 'unclosed' | 'abandoned';

/** 运次: one load from a site or collection point to where it is tipped. */
export interface Trip {
  /** `${terminalId}/trip/${start.atMs}` */
  id: string;
  terminalId: string;
  truckId: string | null;
  plate: string | null;
  approvalId: string | null;
  approvalNumber: string | null;
  originId: string | null;
  originKind: 'construction-site' | 'collection-point' | null;
  originName: string | null;
  destinationId: string | null;
  destinationName: string | null;
  start: PlaceAt;
  end: PlaceAt | null;
  townCode: string | null;
  distanceM: number;
  status: TripStatus;
  reasons: Reason[];
  reportedLate: boolean;
}

export type ComplianceEvent =
  | { kind: 'trip.started'; trip: Trip }
  | { kind: 'trip.ended'; trip: Trip }
  | { kind: 'violation.opened'; violation: ViolationEpisode }
  /** An open episode got worse (a higher peak) or gained a reason. */
  | { kind: 'violation.updated'; violation: ViolationEpisode }
  | { kind: 'violation.closed'; violation: ViolationEpisode }
  /** A provisional episode (terminal offline, raised by tick) that stored fixes later disproved. */
  | { kind: 'violation.retracted'; violation: ViolationEpisode; reason: Reason };
