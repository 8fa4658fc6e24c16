import type { BodyState, CoverState, LoadState } from '../telemetry/telemetry.js';
import type { TripStatusName, ViolationSeverity } from './compliance.js';

/**
 * Track replay (轨迹回放, issue #13): a truck's positions over a period, as the console plays them.
 *
 * Endpoints (`/api/v1/replay/{truck}/…`, `{truck}` = a truck id, a terminal id or a plate; the same
 * roles as a terminal's fixes: admin, dispatcher, auditor, enforcement officer):
 * - `track?from&to&zoom` — the period (≤ 31 days) simplified for a map zoom (Douglas–Peucker in
 *   PostGIS), keeping every fix where a state changes (load, cover, body, ignition, moving/stopped)
 *   and the fixes either side of a gap in reporting; `EncodedTrack`.
 * - `fixes?from&to&cursor&limit` — full resolution, ≤ 20,000 per page, paged by `nextCursor`.
 * - `marks?from&to&minStopMinutes` — trips, stops, violations, geofence entries and exits.
 * - `export.{gpx,kml,geojson,csv}?from&to` — every fix of the period, streamed; audited.
 */
export const REPLAY_LIMITS = {
  maxDays: 31,
  minZoom: 0,
  maxZoom: 22,
  defaultZoom: 12,
  /**
   * The zoom the console asks the month's overview at: the district's ~0.6° of truck routes across
   * a ~1,200 px map (apps/web/src/replay/replay-view.ts `overviewZoom(0.6, 1200)`).
   */
  consoleZoom: 11,
  /** Zooms whose overviews of closed days the API stores ahead (REPLAY_OVERVIEW_ZOOMS): the console's and the default. */
  storedZooms: [11, 12],
  defaultWindowFixes: 5_000,
  maxWindowFixes: 20_000,
  defaultStopMinutes: 5,
  minStopMinutes: 1,
  maxStopMinutes: 24 * 60,
  /** Below this a fix counts as standing still (km/h). */
  movingKmh: 3,
  /** A silence longer than this between two fixes is a gap: both fixes around it are kept. */
  gapSeconds: 300,
  /** Longest truck parameter (a plate, a terminal id or a uuid). */
  maxTruckParam: 64,
} as const;

export const REPLAY_EXPORT_FORMATS = ['gpx', 'kml', 'geojson', 'csv'] as const;
export type ReplayExportFormat = (typeof REPLAY_EXPORT_FORMATS)[number];

/** The codes of `EncodedTrack.state`'s fields (index = code; 0 = not reported). */
export const REPLAY_LOAD_CODES: ReadonlyArray<LoadState | null> = [null, 'empty', 'half', 'full', 'overload'];
export const REPLAY_COVER_CODES: ReadonlyArray<CoverState | null> = [null, 'closed', 'open', 'partial', 'fault'];
export const REPLAY_BODY_CODES: ReadonlyArray<BodyState | null> = [null, 'down', 'raised', 'fault'];

/**
 * A track as parallel, delta-encoded integer columns (compact in JSON: a month's overview of a few
 * thousand fixes is tens of kilobytes). Each of `t`, `lat`, `lon` holds the first value, then the
 * difference from the one before: `t` in milliseconds since the epoch, `lat`/`lon` in 1e-5 degree
 * (~1 m). `speed` is km/h rounded, `loadT` tenths of a tonne (−1: not reported), `state` packs the
 * sensor states (`packReplayState`). Decode with `decodeTrack`.
 */
export interface EncodedTrack {
  count: number;
  t: number[];
  lat: number[];
  lon: number[];
  speed: number[];
  loadT: number[];
  state: number[];
}

/** A decoded track: typed columns, one entry per fix, in time order. */
export interface DecodedTrack {
  count: number;
  /** epoch ms */
  t: Float64Array;
  lat: Float64Array;
  lon: Float64Array;
  speed: Float32Array;
  /** tonnes; NaN when not reported */
  loadT: Float32Array;
  state: Uint16Array;
}

export interface ReplayFixState {
  load: LoadState | null;
  cover: CoverState | null;
  body: BodyState | null;
  ignition: boolean | null;
  valid: boolean;
}

const code = <T>(codes: ReadonlyArray<T | null>, value: T | null | undefined): number => {
  const i = value === null || value === undefined ? 0 : codes.indexOf(value);
  return i < 0 ? 0 : i;
};

/** load (3 bits) | cover (3) << 3 | body (2) << 6 | ignition (0 none, 1 off, 2 on) << 8 | valid << 10. */
export function packReplayState(s: ReplayFixState): number {
  const ignition = s.ignition === null ? 0 : s.ignition ? 2 : 1;
  return code(REPLAY_LOAD_CODES, s.load) | (code(REPLAY_COVER_CODES, s.cover) << 3) | (code(REPLAY_BODY_CODES, s.body) << 6) | (ignition << 8) | ((s.valid ? 1 : 0) << 10);
}

export function unpackReplayState(packed: number): ReplayFixState {
  const ignition = (packed >> 8) & 3;
  return {
    load: REPLAY_LOAD_CODES[packed & 7] ?? null,
    cover: REPLAY_COVER_CODES[(packed >> 3) & 7] ?? null,
    body: REPLAY_BODY_CODES[(packed >> 6) & 3] ?? null,
    ignition: ignition === 0 ? null : ignition === 2,
    valid: ((packed >> 10) & 1) === 1,
  };
}

/** One fix as the encoder takes it. */
export interface ReplayFixInput extends ReplayFixState {
  timeMs: number;
  lat: number;
  lon: number;
  speedKmh: number;
  loadT: number | null;
}

/** Encodes fixes (in time order) as an `EncodedTrack`. */
export function encodeTrack(fixes: Iterable<ReplayFixInput>): EncodedTrack {
  const out: EncodedTrack = { count: 0, t: [], lat: [], lon: [], speed: [], loadT: [], state: [] };
  let t0 = 0;
  let lat0 = 0;
  let lon0 = 0;
  for (const f of fixes) {
    const lat = Math.round(f.lat * 1e5);
    const lon = Math.round(f.lon * 1e5);
    const t = Math.round(f.timeMs);
    out.t.push(t - t0);
    out.lat.push(lat - lat0);
    out.lon.push(lon - lon0);
    out.speed.push(Math.round(f.speedKmh));
    out.loadT.push(f.loadT === null ? -1 : Math.round(f.loadT * 10));
    out.state.push(packReplayState(f));
    t0 = t;
    lat0 = lat;
    lon0 = lon;
    out.count += 1;
  }
  return out;
}

/** Decodes `track` into typed columns (linear; the console runs it in a Web Worker). */
export function decodeTrack(track: EncodedTrack): DecodedTrack {
  const n = track.count;
  if (![track.t, track.lat, track.lon, track.speed, track.loadT, track.state].every((c) => c.length === n)) {
    throw new RangeError('decodeTrack: columns of different lengths');
  }
  const out: DecodedTrack = {
    count: n,
    t: new Float64Array(n),
    lat: new Float64Array(n),
    lon: new Float64Array(n),
    speed: new Float32Array(n),
    loadT: new Float32Array(n),
    state: new Uint16Array(n),
  };
  let t = 0;
  let lat = 0;
  let lon = 0;
  for (let i = 0; i < n; i += 1) {
    t += track.t[i] ?? 0;
    lat += track.lat[i] ?? 0;
    lon += track.lon[i] ?? 0;
    out.t[i] = t;
    out.lat[i] = lat / 1e5;
    out.lon[i] = lon / 1e5;
    out.speed[i] = track.speed[i] ?? 0;
    const load = track.loadT[i] ?? -1;
    out.loadT[i] = load < 0 ? Number.NaN : load / 10;
    out.state[i] = track.state[i] ?? 0;
  }
  return out;
}

/** The index of the last fix at or before `timeMs` (0 when before the first); binary search. */
export function fixIndexAt(t: ArrayLike<number>, timeMs: number): number {
  let lo = 0;
  let hi = t.length - 1;
  if (hi < 0 || timeMs <= (t[0] ?? 0)) return 0;
  if (timeMs >= (t[hi] ?? 0)) return hi;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((t[mid] ?? 0) <= timeMs) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Whom a replay shows: the truck (when the registry knows it) and the terminals it carried in the period. */
export interface ReplayTruck {
  truckId: string | null;
  plate: string | null;
  terminalIds: string[];
}

export interface ReplayTrackResponse {
  truck: ReplayTruck;
  from: string;
  to: string;
  zoom: number;
  /** The Douglas–Peucker tolerance used, in degrees. */
  toleranceDeg: number;
  /** Valid fixes in the period; `track.count` of them are kept. */
  totalFixes: number;
  track: EncodedTrack;
}

export interface ReplayFixesResponse {
  truck: ReplayTruck;
  from: string;
  to: string;
  track: EncodedTrack;
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface ReplayTripMark {
  id: string;
  status: TripStatusName;
  startedAt: string;
  endedAt: string | null;
  originName: string | null;
  destinationName: string | null;
  start: [number, number];
  end: [number, number] | null;
}

export type ReplayPlaceKind = 'disposal_site' | 'construction_site' | 'town';

export interface ReplayPlace {
  kind: ReplayPlaceKind;
  id: string;
  name: string;
  /** A disposal site's status (licensed / closed / illegal). */
  status?: string | null;
}

/** Where and how long the truck stood still (speed below `REPLAY_LIMITS.movingKmh`). */
export interface ReplayStop {
  startedAt: string;
  endedAt: string;
  durationS: number;
  lat: number;
  lon: number;
  /** The body was raised at some fix during the stop (unloading). */
  bodyRaised: boolean;
  ignitionOn: boolean | null;
  /** The disposal site or construction site the stop lies in, if any. */
  place: ReplayPlace | null;
  townName: string | null;
  /** Body raised outside every licensed disposal site and every construction site: what an inspector looks for. */
  suspicious: boolean;
}

export interface ReplayViolationMark {
  id: string;
  type: string;
  severity: ViolationSeverity;
  startedAt: string;
  endedAt: string | null;
  lat: number;
  lon: number;
}

export interface ReplayFenceMark {
  kind: 'enter' | 'exit';
  at: string;
  lat: number;
  lon: number;
  place: ReplayPlace;
}

export interface ReplayMarks {
  truck: ReplayTruck;
  from: string;
  to: string;
  minStopMinutes: number;
  trips: ReplayTripMark[];
  stops: ReplayStop[];
  violations: ReplayViolationMark[];
  fences: ReplayFenceMark[];
}

/**
 * The replay page's URL (shared with the trips page, the live map and the case page):
 * `/replay?truck=<truck id | terminal id | plate>&from=<ISO>&to=<ISO>&at=<ISO, optional>`.
 */
export function replayLink(truck: string, from: string | Date, to: string | Date, at?: string | Date): string {
  const iso = (v: string | Date): string => (typeof v === 'string' ? v : v.toISOString());
  const q = new URLSearchParams({ truck, from: iso(from), to: iso(to) });
  if (at !== undefined) q.set('at', iso(at));
  return `/replay?${q.toString()}`;
}
