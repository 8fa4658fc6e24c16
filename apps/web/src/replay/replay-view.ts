import { REPLAY_LIMITS, officeDayStart, replayLink, unpackReplayState } from '@muckwatch/contracts';

/** What the page's URL says: `/replay?truck=…&from=…&to=…&at=…` (the contract shared with the trips page and the live map). */
export interface ReplayRequest {
  truck: string | null;
  fromMs: number;
  toMs: number;
  atMs: number | null;
}

const DAY_MS = 86_400_000;
const first = (v: unknown): string | null => (Array.isArray(v) ? first(v[0]) : typeof v === 'string' && v !== '' ? v : null);
const instant = (v: unknown): number | null => {
  const text = first(v);
  if (text === null) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
};

/**
 * Reads the query: the period defaults to today so far (Asia/Shanghai); a period longer than the API
 * allows is cut to its first 31 days, a reversed one swapped; `at` outside the period is dropped.
 */
export function readReplayQuery(query: Record<string, unknown>, nowMs: number): ReplayRequest {
  let fromMs = instant(query['from']);
  let toMs = instant(query['to']);
  if (fromMs === null && toMs === null) {
    fromMs = Date.parse(officeDayStart(nowMs));
    toMs = nowMs;
  } else if (fromMs === null) fromMs = toMs! - DAY_MS;
  else if (toMs === null) toMs = Math.min(fromMs + DAY_MS, Math.max(nowMs, fromMs + 60_000));
  if (toMs! < fromMs) [fromMs, toMs] = [toMs!, fromMs];
  toMs = Math.min(toMs!, fromMs + REPLAY_LIMITS.maxDays * DAY_MS);
  const at = instant(query['at']);
  return { truck: first(query['truck'])?.trim() || null, fromMs, toMs, atMs: at !== null && at >= fromMs && at <= toMs ? at : null };
}

/** A web-map zoom for the overview, from the span of the map's view in degrees of longitude and its width in pixels. */
export function overviewZoom(spanLonDeg: number, widthPx: number): number {
  if (!(spanLonDeg > 0) || !(widthPx > 0)) return REPLAY_LIMITS.defaultZoom;
  const z = Math.floor(Math.log2((360 * widthPx) / (256 * spanLonDeg)));
  return Math.min(REPLAY_LIMITS.maxZoom, Math.max(REPLAY_LIMITS.minZoom, z));
}

export type ColourMode = 'speed' | 'load';

/** Speed bands (km/h) and their colours: standing, slow, normal, fast, over 60. */
export const SPEED_BANDS: ReadonlyArray<{ below: number; colour: string }> = [
  { below: REPLAY_LIMITS.movingKmh, colour: '#909399' },
  { below: 20, colour: '#67c23a' },
  { below: 40, colour: '#409eff' },
  { below: 60, colour: '#e6a23c' },
  { below: Infinity, colour: '#f56c6c' },
];

export const LOAD_COLOURS: Record<string, string> = { none: '#909399', empty: '#67c23a', half: '#409eff', full: '#e6a23c', overload: '#f56c6c' };

/** The colour of the track between fix i and the next, by speed or by load. */
export function segmentColour(mode: ColourMode, speedKmh: number, state: number): string {
  if (mode === 'speed') return SPEED_BANDS.find((b) => speedKmh < b.below)!.colour;
  return LOAD_COLOURS[unpackReplayState(state).load ?? 'none']!;
}

/** Runs of consecutive fixes of one colour: [start index, end index inclusive, colour]; runs share their boundary fix. */
export function colourRuns(mode: ColourMode, speed: ArrayLike<number>, state: ArrayLike<number>): Array<[number, number, string]> {
  const runs: Array<[number, number, string]> = [];
  const n = speed.length;
  for (let i = 0; i < n - 1; i += 1) {
    const colour = segmentColour(mode, speed[i]!, state[i]!);
    const last = runs[runs.length - 1];
    if (last && last[2] === colour && last[1] === i) last[1] = i + 1;
    else runs.push([i, i + 1, colour]);
  }
  return runs;
}

export const PLAYBACK_SPEEDS = [1, 2, 4, 8, 16, 32, 64] as const;

/**
 * Where playback stands after `elapsedMs` of wall time at `speed`×. At 1× a second of replay is a
 * second of the truck's day; a period has `baseRate` track seconds per wall second at 1× so that a day
 * plays in about four minutes and a month in about two hours at 1× (and 64× is a month in two minutes).
 */
export function advance(atMs: number, elapsedMs: number, speed: number, periodMs: number, toMs: number): number {
  return Math.min(toMs, atMs + elapsedMs * speed * baseRate(periodMs));
}

export function baseRate(periodMs: number): number {
  return Math.max(1, Math.round(periodMs / (4 * 60_000)));
}

/** Linear position between the fixes around `atMs` (lat, lon), from typed columns. */
export function positionAt(t: ArrayLike<number>, lat: ArrayLike<number>, lon: ArrayLike<number>, index: number, atMs: number): [number, number] {
  const next = Math.min(index + 1, t.length - 1);
  const span = t[next]! - t[index]!;
  const f = span > 0 ? Math.min(1, Math.max(0, (atMs - t[index]!) / span)) : 0;
  return [lat[index]! + (lat[next]! - lat[index]!) * f, lon[index]! + (lon[next]! - lon[index]!) * f];
}

/** Minutes of context around a violation its replay shows on either side. */
export const VIOLATION_CONTEXT_MS = 30 * 60_000;

/** The replay of a violation: its terminal, half an hour either side of it, starting at its first moment. */
export function violationReplayLink(v: { terminalId: string; start: { at: string }; end: { at: string } | null }): string {
  const start = Date.parse(v.start.at);
  const end = v.end ? Date.parse(v.end.at) : start;
  return replayLink(v.terminalId, new Date(start - VIOLATION_CONTEXT_MS), new Date(Math.max(end, start) + VIOLATION_CONTEXT_MS), v.start.at);
}

/** One mark of the period as the lists, the map and the timeline show it. */
export interface EventRow {
  key: string;
  atMs: number;
  label: string;
  colour: string;
  lat: number | null;
  lon: number | null;
  strong: boolean;
}
