import type { FixSource } from '../telemetry/telemetry.js';
import type { RejectionReason } from '../telemetry/validate-telemetry.js';
import type {
  BodyState,
  CoverState,
  LoadState,
  SensorsHealth,
  TerminalControl,
} from '../telemetry/telemetry.js';
import type { TruckPosition } from '../live/live-events.js';

/** Quality flags a stored fix may carry (see README, "Data quality"). */
export type FixQualityFlag = 'invalid_fix' | 'implied_speed';

/** A fix as stored, from GET /api/v1/terminals/{terminalId}/fixes. */
export interface StoredFix {
  terminalId: string;
  ts: string;
  receivedAt: string;
  lat: number;
  lon: number;
  speedKmh: number;
  headingDeg: number;
  altitudeM: number | null;
  satellites: number | null;
  hdop: number | null;
  valid: boolean;
  ignition: boolean | null;
  mileageKm: number | null;
  seq: number | null;
  cover: CoverState | null;
  body: BodyState | null;
  load: LoadState | null;
  loadT: number | null;
  sensors: SensorsHealth | null;
  control: TerminalControl | null;
  /** Unknown fields the terminal sent, kept as they came. */
  extra: Record<string, unknown> | null;
  quality: FixQualityFlag[];
}

export interface FixesResponse {
  terminalId: string;
  from: string;
  to: string;
  fixes: StoredFix[];
}

/** A refused message or fix, from GET /api/v1/rejections. */
export interface Rejection {
  id: string;
  receivedAt: string;
  /** The door the message came through. */
  source: FixSource;
  terminalId: string | null;
  /** Where it came from within the door: the MQTT topic, or `jt808/{phone}/{message id}`. */
  topic: string;
  reason: RejectionReason;
  detail: string;
  fixIndex: number | null;
  /** The raw payload (or the offending fix), capped in size. */
  payload: string;
  payloadTruncated: boolean;
}

export interface RejectionsResponse {
  from: string;
  to: string;
  rejections: Rejection[];
  /** True when more rows matched than were returned (from `offset` on). */
  truncated: boolean;
  /** Rows matching the filters in all (paging: `offset` + `limit`). */
  total: number;
  offset: number;
  limit: number;
}

/** A registered truck with its latest position, from GET /api/v1/trucks. */
export interface TruckSummary {
  truckId: string;
  plate: string;
  companyName: string;
  terminalId: string | null;
  ratedLoadT: number | null;
  latest: TruckPosition | null;
}

export type ComponentStatus = 'ok' | 'down';

/** GET /api/health: 200 when everything is ok, 503 otherwise, with what is wrong. */
export interface HealthResponse {
  status: 'ok' | 'degraded';
  database: { status: ComponentStatus; embedded: boolean; latencyMs: number | null; error: string | null };
  broker: { status: ComponentStatus; embedded: boolean; url: string; connectedSubscribers: number; expectedSubscribers: number; error: string | null };
  /**
   * `stalled` (and the whole status `degraded`) when a message has waited longer than
   * INGEST_STALL_SECONDS for its commit, whatever the cause. `isolatedMessages`: messages the
   * database refused even on their own since start, recorded as rejected (`unstorable`).
   */
  ingest: {
    status: 'ok' | 'stalled';
    pendingMessages: number;
    oldestPendingSeconds: number;
    isolatedMessages: number;
    lastCommitAt: string | null;
    lastError: string | null;
  };
  /** The compliance engines' child process: `down` while it is not running (it is restarted on the next batch). */
  /**
   * `partitions`: the compliance partitions (of 32) this instance evaluates, the others' being
   * other instances'; null with the embedded database (one instance: every terminal).
   */
  compliance: { status: ComponentStatus; pid: number | null; restarts: number; lastError: string | null; partitions: number[] | null };
  /** The JT/T 808 door's TCP listener; null when it is turned off (JT808_PORT=off). */
  jt808: { status: ComponentStatus; port: number; connections: number; terminals: number; refusedConnections: number } | null;
  /**
   * This instance among the others on the same database: `instanceId` (INSTANCE_ID), and whether it
   * hears their events (PostgreSQL LISTEN). Null with the embedded database (one instance).
   */
  cluster: { status: ComponentStatus; instanceId: string; listening: boolean } | null;
}

/** GET /api/v1/console-config: what the web console needs to start. */
/** One tiled layer: a Leaflet URL template ({s} {z} {x} {y}) and its options. */
export interface TileSource {
  urlTemplate: string;
  attribution: string;
  subdomains: string[];
  maxZoom: number;
}

export const BASE_MAP_IDS = ['vector', 'imagery', 'custom', 'osm'] as const;
export type BaseMapId = (typeof BASE_MAP_IDS)[number];

/** A base map the console can switch to: its tiles and the layers drawn over them (天地图's place names: cva, cia). */
export interface BaseMap extends TileSource {
  id: BaseMapId;
  overlays: TileSource[];
}

export interface ConsoleConfig {
  /** The default base map (the first of `baseMaps`); null means no base map (vector layers only, for offline use). */
  tiles: BaseMap | null;
  /** Every base map the console may switch between (天地图: vector vec+cva, imagery img+cia); empty offline. */
  baseMaps: BaseMap[];
  /** A motion state switches to offline after this many seconds without a fix. */
  offlineAfterSeconds: number;
  timeZone: string;
}

/** Consistent error body of every non-2xx response. */
export interface ApiError {
  statusCode: number;
  error: string;
  /**
   * Stable error code the console translates (zh-CN / en), e.g. `case.illegal_transition`,
   * `validation.required`; the catalogue is libs/contracts/src/i18n/api-errors.ts.
   */
  code: string;
  /** The code's parameters (field names, limits, states), for the translated sentence. */
  params?: Record<string, unknown>;
  /** English sentence, for logs and API clients without a catalogue. */
  message: string;
  /** The offending parameter or field, when one is to blame. */
  field?: string;
}
