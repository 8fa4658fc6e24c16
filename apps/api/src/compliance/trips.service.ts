import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import { TRIP_STATUSES, type PlaceAtTime, type TripPage, type TripRecord } from '@muckwatch/contracts';
import type { Principal } from '../auth/principal.js';
import { parseIntParam, parseTimeRange } from '../common/query-params.js';
import { PG_POOL } from '../database/database.module.js';

const DAY_MS = 86_400_000;

export interface TripQuery {
  from?: string;
  to?: string;
  plate?: string;
  status?: string;
  page?: string;
  pageSize?: string;
}

/** Where and when an episode or a trip started and, once it has, ended. */
export interface EndpointColumns {
  started_at: Date;
  start_lon: number;
  start_lat: number;
  ended_at: Date | null;
  end_lon: number | null;
  end_lat: number | null;
}

export function endpoints(r: EndpointColumns): { start: PlaceAtTime; end: PlaceAtTime | null } {
  return {
    start: { at: r.started_at.toISOString(), lon: r.start_lon, lat: r.start_lat },
    end: r.ended_at && r.end_lon !== null && r.end_lat !== null ? { at: r.ended_at.toISOString(), lon: r.end_lon, lat: r.end_lat } : null,
  };
}

export function oneOf<T extends string>(name: string, raw: string | undefined, allowed: readonly T[]): T | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new BadRequestException({ code: 'query.invalid', params: { field: name, allowed }, message: `${name} must be one of ${allowed.join(', ')}`, field: name });
  }
  return raw as T;
}

export function plateParam(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw.length > 16) throw new BadRequestException({ code: 'query.invalid', params: { field: 'plate', maxLength: 16 }, message: 'plate must be at most 16 characters', field: 'plate' });
  return raw;
}

export const TRIP_COLUMNS = `id, terminal_id, truck_id, plate, approval_id, approval_number, origin_id, origin_name, destination_id,
  destination_name, started_at, ST_X(start_geom) AS start_lon, ST_Y(start_geom) AS start_lat, ended_at,
  ST_X(end_geom) AS end_lon, ST_Y(end_geom) AS end_lat, town_code, distance_m, status, reasons, reported_late`;

/** Trips as stored by the compliance engine: a town official sees their own town's, an enforcement officer none. */
@Injectable()
export class TripsService {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async trips(query: TripQuery, principal: Principal): Promise<TripPage> {
    const { from, to } = parseTimeRange(query, 7 * DAY_MS, 366 * DAY_MS);
    const status = oneOf('status', query.status, TRIP_STATUSES);
    const plate = plateParam(query.plate);
    const page = parseIntParam('page', query.page, 1, 1, 100_000);
    const pageSize = parseIntParam('pageSize', query.pageSize, 50, 1, 500);
    const params: unknown[] = [from.toISOString(), to.toISOString()];
    const where = ['started_at >= $1', 'started_at <= $2', ...tripScope(principal, params)];
    if (status) {
      params.push(status);
      where.push(`status = $${params.length}`);
    }
    if (plate) {
      params.push(plate);
      where.push(`plate = $${params.length}`);
    }
    const conditions = where.join(' AND ');
    const rows = await this.pool.query<TripRow>(
        `SELECT ${TRIP_COLUMNS} FROM trips WHERE ${conditions} ORDER BY started_at DESC, id LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
      params,
    );
    const count = await this.pool.query<{ total: number }>(`SELECT count(*)::int AS total FROM trips WHERE ${conditions}`, params);
    return { items: rows.rows.map(toTrip), total: count.rows[0]?.total ?? 0, page, pageSize };
  }
}

function tripScope(principal: Principal, params: unknown[]): string[] {
  if (principal.role === 'town_official') {
    params.push(principal.townCode);
    return [`town_code = $${params.length}`];
  }
  return principal.role === 'enforcement_officer' ? ['false'] : [];
}

export interface TripRow {
  id: string;
  terminal_id: string;
  truck_id: string | null;
  plate: string | null;
  approval_id: string | null;
  approval_number: string | null;
  origin_id: string | null;
  origin_name: string | null;
  destination_id: string | null;
  destination_name: string | null;
  started_at: Date;
  start_lon: number;
  start_lat: number;
  ended_at: Date | null;
  end_lon: number | null;
  end_lat: number | null;
  town_code: string | null;
  distance_m: number;
  status: TripRecord['status'];
  reasons: TripRecord['reasons'];
  reported_late: boolean;
}

export function toTrip(r: TripRow): TripRecord {
  return {
    id: r.id,
    terminalId: r.terminal_id,
    truckId: r.truck_id,
    plate: r.plate,
    approvalId: r.approval_id,
    approvalNumber: r.approval_number,
    originId: r.origin_id,
    originName: r.origin_name,
    destinationId: r.destination_id,
    destinationName: r.destination_name,
    ...endpoints(r),
    townCode: r.town_code,
    distanceM: r.distance_m,
    status: r.status,
    reasons: r.reasons,
    reportedLate: r.reported_late,
  };
}
