import { Injectable } from '@nestjs/common';
import {
  REPLAY_LIMITS,
  encodeTrack,
  packReplayMarks,
  type PackedReplayMarks,
  type ReplayFixesResponse,
  type ReplayMarks,
  type ReplayTrackResponse,
  type ReplayTruck,
} from '@muckwatch/contracts';
import { CodedError, badQuery } from '../cases/case-errors.js';
import { parseIntParam, parseTimeParam, parseTimeRange } from '../common/query-params.js';
import { ReplayRepository, type ResolvedTruck } from './replay.repository.js';

const DAY_MS = 86_400_000;

export type ReplayQuery = Record<string, unknown>;

/** A query parameter given at most once (a repeated one is an array: 400). */
export function single(query: ReplayQuery, field: string): string | undefined {
  const value = query[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badQuery(field, 'must be given once');
  return value;
}

/** The period of a replay: `from`–`to` (default the last 24 hours), at most 31 days. */
export function replayPeriod(query: ReplayQuery): { from: Date; to: Date } {
  return parseTimeRange({ from: single(query, 'from'), to: single(query, 'to') }, DAY_MS, REPLAY_LIMITS.maxDays * DAY_MS);
}

/** Douglas–Peucker tolerance for a web-map zoom: half a screen pixel, in degrees of longitude. */
export function toleranceForZoom(zoom: number): number {
  return 360 / (256 * 2 ** zoom) / 2;
}

/** Track replay: resolves the truck once, then reads the track, a window of fixes or the marks. */
@Injectable()
export class ReplayService {
  constructor(private readonly repository: ReplayRepository) {}

  /** The truck a path names in the period, or 404 `replay.truck_not_found`; a malformed name is 400. */
  async truck(name: string, from: Date, to: Date): Promise<ResolvedTruck> {
    const trimmed = name.trim();
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    if (trimmed.length === 0 || trimmed.length > REPLAY_LIMITS.maxTruckParam || /[\u0000-\u001f\u007f]/.test(trimmed)) {
      throw new CodedError(400, 'replay.truck_invalid', `truck must be a truck id, a terminal id or a plate of 1–${REPLAY_LIMITS.maxTruckParam} characters`, { field: 'truck', max: REPLAY_LIMITS.maxTruckParam }, 'truck');
    }
    const found = await this.repository.resolve(trimmed, from, to);
    if (!found) throw new CodedError(404, 'replay.truck_not_found', `no truck, terminal or plate ${trimmed}`, { truck: trimmed });
    return found;
  }

  async track(name: string, query: ReplayQuery): Promise<ReplayTrackResponse> {
    const { from, to } = replayPeriod(query);
    const zoom = parseIntParam('zoom', single(query, 'zoom'), REPLAY_LIMITS.defaultZoom, REPLAY_LIMITS.minZoom, REPLAY_LIMITS.maxZoom);
    const truck = await this.truck(name, from, to);
    const toleranceDeg = toleranceForZoom(zoom);
    const { fixes, total } = await this.repository.simplifiedTrack(truck.spans, toleranceDeg);
    return { truck: describe(truck), from: from.toISOString(), to: to.toISOString(), zoom, toleranceDeg, totalFixes: total, track: encodeTrack(fixes) };
  }

  async fixes(name: string, query: ReplayQuery): Promise<ReplayFixesResponse> {
    const { from, to } = replayPeriod(query);
    const limit = parseIntParam('limit', single(query, 'limit'), REPLAY_LIMITS.defaultWindowFixes, 1, REPLAY_LIMITS.maxWindowFixes);
    const cursorText = single(query, 'cursor');
    const cursor = cursorText === undefined || cursorText === '' ? null : parseTimeParam('cursor', cursorText, 0);
    const truck = await this.truck(name, from, to);
    const rows = await this.repository.fixes(truck.spans, cursor, limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      truck: describe(truck),
      from: from.toISOString(),
      to: to.toISOString(),
      track: encodeTrack(page),
      nextCursor: rows.length > limit && last ? new Date(last.timeMs).toISOString() : null,
    };
  }

  /** The marks as objects, or with `format=packed` as columns (PackedReplayMarks: what the console reads). */
  async marks(name: string, query: ReplayQuery): Promise<ReplayMarks | PackedReplayMarks> {
    const { from, to } = replayPeriod(query);
    const format = single(query, 'format') ?? 'objects';
    if (format !== 'objects' && format !== 'packed') throw badQuery('format', 'must be objects or packed');
    const minStopMinutes = parseIntParam('minStopMinutes', single(query, 'minStopMinutes'), REPLAY_LIMITS.defaultStopMinutes, REPLAY_LIMITS.minStopMinutes, REPLAY_LIMITS.maxStopMinutes);
    const truck = await this.truck(name, from, to);
    const [trips, stops, violations, fences] = await Promise.all([
      this.repository.trips(truck.spans, from, to),
      this.repository.stops(truck.spans, minStopMinutes * 60),
      this.repository.violations(truck.spans, from, to),
      this.repository.fences(truck.spans),
    ]);
    const marks: ReplayMarks = { truck: describe(truck), from: from.toISOString(), to: to.toISOString(), minStopMinutes, trips, stops, violations, fences };
    return format === 'packed' ? packReplayMarks(marks) : marks;
  }
}

export function describe(truck: ResolvedTruck): ReplayTruck {
  return { truckId: truck.truckId, plate: truck.plate, terminalIds: [...new Set(truck.spans.map((s) => s.terminalId))] };
}
