import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import { OFFICE_TIME_ZONE, type TripStatusName, type TripViolationRef } from '@muckwatch/contracts';
import type { Principal } from '../auth/principal.js';
import { PG_POOL } from '../database/database.module.js';
import type { TripRow } from '../compliance/trip-rows.js';
import type { TripFilter, TripPaging } from './trip-query.js';

/** A trip with what the list shows beside the engine's columns. */
export interface TripListRow extends TripRow {
  company_id: string | null;
  company_name: string | null;
  town_name: string | null;
  rated_load_t: string | null;
  load_t: number | null;
  violations: TripViolationRef[];
}

export interface DayCountRow {
  day: string;
  status: TripStatusName;
  trips: number;
}

export interface SiteCountRow {
  id: string | null;
  name: string | null;
  status: TripStatusName;
  trips: number;
  distance_m: number;
}

const COLUMNS = `t.id, t.terminal_id, t.truck_id, t.plate, t.approval_id, t.approval_number, t.origin_id, t.origin_name,
  t.destination_id, t.destination_name, t.started_at, ST_X(t.start_geom) AS start_lon, ST_Y(t.start_geom) AS start_lat,
  t.ended_at, ST_X(t.end_geom) AS end_lon, ST_Y(t.end_geom) AS end_lat, t.town_code, t.distance_m, t.status, t.reasons,
  t.reported_late, tr.company_id, c.name AS company_name, tw.name AS town_name, tr.rated_load_t::text AS rated_load_t,
  ld.load_t, vi.violations`;

/**
 * What each listed trip is joined to: its truck and company, its town's name, the highest load the
 * sensor reported while it ran (the positions' primary key: one terminal's fixes of the trip's
 * period), and the violations raised during it (those the caller may see).
 */
function joins(violationScope: string): string {
  return `LEFT JOIN trucks tr ON tr.id = t.truck_id
  LEFT JOIN transport_companies c ON c.id = tr.company_id
  LEFT JOIN towns tw ON tw.code = t.town_code
  LEFT JOIN LATERAL (
    SELECT max(p.load_t) AS load_t FROM positions p
     WHERE p.terminal_id = t.terminal_id AND p.fix_time >= t.started_at AND p.fix_time <= coalesce(t.ended_at, now())
  ) ld ON true
  LEFT JOIN LATERAL (
    SELECT coalesce(jsonb_agg(jsonb_build_object('id', v.id, 'type', v.type) ORDER BY v.started_at, v.id), '[]'::jsonb) AS violations
      FROM violations v WHERE v.trip_id = t.id${violationScope}
  ) vi ON true`;
}

const SORT_SQL: Record<TripFilter['sort'], string> = {
  startedAt: 't.started_at',
  endedAt: 't.ended_at',
  distance: 't.distance_m',
  plate: 't.plate',
  status: `array_position(ARRAY['open','closed','unclosed','abandoned']::text[], t.status)`,
};

function orderBy(filter: TripFilter): string {
  const dir = filter.order === 'asc' ? 'ASC' : 'DESC';
  // Open trips (no end) and trips without a plate come last whichever way; the id makes every order total.
  const nulls = filter.sort === 'endedAt' || filter.sort === 'plate' ? ' NULLS LAST' : '';
  return `ORDER BY ${SORT_SQL[filter.sort]} ${dir}${nulls}, t.id ${dir}`;
}

/**
 * The principal's scope (README "Trips"): the muck office and auditors see every trip, a town
 * official their town's, an enforcement officer none. Applied here, once, to every read.
 */
function scopeSql(principal: Principal, params: unknown[]): { trips: string | null; violations: string } {
  switch (principal.role) {
    case 'admin':
    case 'dispatcher':
    case 'auditor':
      return { trips: null, violations: '' };
    case 'town_official':
      params.push(principal.townCode);
      return { trips: `t.town_code = $${params.length}`, violations: ` AND v.town_code = $${params.length}` };
    default:
      return { trips: 'false', violations: ' AND false' };
  }
}

function whereOf(filter: TripFilter, principal: Principal, params: unknown[]): { where: string; violationScope: string } {
  const where: string[] = [];
  const scope = scopeSql(principal, params);
  if (scope.trips) where.push(scope.trips);
  const add = (sql: string, value: unknown): void => {
    params.push(value);
    where.push(sql.replaceAll('?', `$${params.length}`));
  };
  add('t.started_at >= ?', filter.from.toISOString());
  add('t.started_at <= ?', filter.to.toISOString());
  if (filter.truck && 'id' in filter.truck) add('t.truck_id = ?::uuid', filter.truck.id);
  if (filter.truck && 'ref' in filter.truck) add('(t.terminal_id = ? OR t.plate = ?)', filter.truck.ref);
  if (filter.plate) add('t.plate = ?', filter.plate);
  if (filter.companyId) add('t.truck_id IN (SELECT id FROM trucks WHERE company_id = ?::uuid)', filter.companyId);
  if (filter.originId) add('t.origin_id = ?::uuid', filter.originId);
  if (filter.destinationId) add('t.destination_id = ?::uuid', filter.destinationId);
  if (filter.townCode) add('t.town_code = ?', filter.townCode);
  if (filter.statuses.length) add('t.status = ANY(?::text[])', filter.statuses);
  if (filter.violations !== null) {
    where.push(`${filter.violations ? '' : 'NOT '}EXISTS (SELECT 1 FROM violations v WHERE v.trip_id = t.id${scope.violations})`);
  }
  return { where: `WHERE ${where.join(' AND ')}`, violationScope: scope.violations };
}

/** Trips over SQL: the list, its totals and its export, all through one filter and one scope. */
@Injectable()
export class TripsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  /**
   * One page: the ids are ordered and cut on `trips` alone (an index walk, nothing joined for the
   * rows an OFFSET skips), then only the page's rows are joined.
   */
  async page(filter: TripFilter, paging: TripPaging, principal: Principal): Promise<{ rows: TripListRow[]; total: number }> {
    const params: unknown[] = [];
    const { where, violationScope } = whereOf(filter, principal, params);
    const offset = (paging.page - 1) * paging.pageSize;
    const [rows, count] = await Promise.all([
      this.pool.query<TripListRow>(
        `SELECT ${COLUMNS} FROM trips t
           JOIN (SELECT t.id FROM trips t ${where} ${orderBy(filter)} LIMIT ${paging.pageSize} OFFSET ${offset}) page ON page.id = t.id
           ${joins(violationScope)}
           ${orderBy(filter)}`,
        params,
      ),
      this.count(filter, principal),
    ]);
    return { rows: rows.rows, total: count };
  }

  async count(filter: TripFilter, principal: Principal): Promise<number> {
    const params: unknown[] = [];
    const { where } = whereOf(filter, principal, params);
    const { rows } = await this.pool.query<{ total: number }>(`SELECT count(*)::int AS total FROM trips t ${where}`, params);
    return rows[0]?.total ?? 0;
  }

  /** 趟数 per office day (Asia/Shanghai) and state. */
  async perDay(filter: TripFilter, principal: Principal): Promise<DayCountRow[]> {
    const params: unknown[] = [];
    const { where } = whereOf(filter, principal, params);
    params.push(OFFICE_TIME_ZONE);
    const { rows } = await this.pool.query<DayCountRow>(
      `SELECT to_char(t.started_at AT TIME ZONE $${params.length}, 'YYYY-MM-DD') AS day, t.status, count(*)::int AS trips
         FROM trips t ${where} GROUP BY 1, 2 ORDER BY 1, 2`,
      params,
    );
    return rows;
  }

  /** 趟数 per origin or per disposal site and state (the name each trip recorded, the latest one per place). */
  async perSite(kind: 'origin' | 'destination', filter: TripFilter, principal: Principal): Promise<SiteCountRow[]> {
    const params: unknown[] = [];
    const { where } = whereOf(filter, principal, params);
    const { rows } = await this.pool.query<SiteCountRow>(
      `SELECT t.${kind}_id AS id, (array_agg(t.${kind}_name ORDER BY t.started_at DESC))[1] AS name, t.status,
              count(*)::int AS trips, sum(t.distance_m)::float8 AS distance_m
         FROM trips t ${where} GROUP BY t.${kind}_id, t.status`,
      params,
    );
    return rows;
  }

  /**
   * The export's rows in the list's order, fetched through a cursor in batches (one connection for
   * the export's duration; nothing but a batch is held).
   */
  async *exportRows(filter: TripFilter, principal: Principal, limit: number): AsyncGenerator<TripListRow> {
    const params: unknown[] = [];
    const { where, violationScope } = whereOf(filter, principal, params);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await client.query(
        `DECLARE trip_export NO SCROLL CURSOR FOR
           SELECT ${COLUMNS} FROM (SELECT t.* FROM trips t ${where} ${orderBy(filter)} LIMIT ${limit}) t
           ${joins(violationScope)}
           ${orderBy(filter)}`,
        params,
      );
      for (;;) {
        const batch = await client.query<TripListRow>('FETCH 2000 FROM trip_export');
        for (const row of batch.rows) yield row;
        if (batch.rows.length < 2000) break;
      }
    } finally {
      // Read-only: ending it either way is a ROLLBACK (also when the download was abandoned).
      const broken = await client.query('ROLLBACK').then(
        () => undefined,
        (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
      );
      client.release(broken);
    }
  }
}
