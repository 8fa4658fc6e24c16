import type {
  BodyState,
  CoverState,
  LoadState,
  SensorsHealth,
  TerminalControl,
  TerminalLiveness,
} from '../telemetry/telemetry.js';
import type { Violation } from '../api/compliance.js';
import type { CaseAction } from '../api/violation-cases.js';

/** Socket.IO namespace of the live gateway, served under the API's origin. */
export const LIVE_NAMESPACE = '/live';
export const LIVE_SOCKET_PATH = '/socket.io';

/** Server → client events on the live namespace. */
export const LiveEvent = {
  /** Sent once on connect: every truck's latest position. Payload: TruckPosition[]. */
  Snapshot: 'snapshot',
  /** Batched updates, only the latest per truck, about once per second. Payload: TruckPosition[]. */
  Positions: 'positions',
  /** The session behind this socket was ended (signed out, user disabled); the server then disconnects. */
  SessionEnded: 'session_ended',
} as const;

/** A truck's (or an unregistered terminal's) latest position, as the live map draws it. */
export interface TruckPosition {
  terminalId: string;
  /** Registry facts; null when the terminal is not bound to a registered truck. */
  truckId: string | null;
  plate: string | null;
  companyName: string | null;
  /** Fix time, ISO 8601 UTC. */
  ts: string;
  /** When the platform received the fix, ISO 8601 UTC. */
  receivedAt: string;
  lat: number;
  lon: number;
  speedKmh: number;
  headingDeg: number;
  ignition: boolean | null;
  cover: CoverState | null;
  body: BodyState | null;
  load: LoadState | null;
  loadT: number | null;
  sensors: SensorsHealth | null;
  control: TerminalControl | null;
  /** Retained liveness from the terminal's status topic, null if never seen. */
  liveness: TerminalLiveness | null;
}

/** Compliance alarms on the live namespace (a town official gets only their town's). */
export const ComplianceLiveEvent = {
  /** A violation episode began. Payload: Violation (libs/contracts/src/api/compliance.ts). */
  ViolationOpened: 'violation_opened',
  /** A violation episode ended (or was retracted: payload.retracted). Payload: ViolationClosedEvent. */
  ViolationClosed: 'violation_closed',
  /**
   * A case changed state (confirmed, assigned, handled, closed …). Sent to the muck office, to the
   * town it happened in and, once assigned, to the department's officers. Payload: CaseChangedEvent.
   */
  CaseChanged: 'case_changed',
} as const;

/** Payload of `case_changed`: the violation with its case fields after the transition, and what happened. */
export interface CaseChangedEvent {
  violation: Violation;
  action: CaseAction;
  actorUsername: string | null;
  at: string;
}
