import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type pg from 'pg';
import { inTransaction } from '../database/transaction.js';
import {
  TRIP_STATUSES,
  VIOLATION_STATUSES,
  VIOLATION_TYPE_NAMES,
  type TripPage,
  type TripRecord,
  type Violation,
  type ViolationDetail,
  type ViolationPage,
  type ViolationPatch,
} from '@muckwatch/contracts';
import { AuditService } from '../audit/audit.service.js';
import type { Principal, RequestOrigin } from '../auth/principal.js';
import { parseIntParam, parseTimeRange } from '../common/query-params.js';
import { PG_POOL } from '../database/database.module.js';

const DAY_MS = 86_400_000;
const TOWN_CODE = /^[A-Z0-9]{1,20}$/;

export interface ViolationQuery {
  from?: string;
  to?: string;
  type?: string;
  townCode?: string;
  plate?: string;
  status?: string;
  page?: string;
  pageSize?: string;
}

export type TripQuery = Omit<ViolationQuery, 'type' | 'townCode'>;

interface ViolationRow {
  id: string;
  type: Violation['type'];
  severity: Violation['severity'];
  status: Violation['status'];
  terminal_id: string;
  truck_id: string | null;
  plate: string | null;
  trip_id: string | null;
  approval_id: string | null;
  subject_id: string | null;
  started_at: Date;
  start_lon: number;
  start_lat: number;
  ended_at: Date | null;
  end_lon: number | null;
  end_lat: number | null;
  town_code: string | null;
  params: Violation['params'];
  reasons: Violation['reasons'];
  peak: number | null;
  reported_late: boolean;
  handling: Violation['handling'];
  assigned_department: string | null;
  note: string | null;
  updated_at: Date;
  evidence?: Array<{ atMs: number; lon: number; lat: number; speedKmh: number }>;
  evidence_thinned?: boolean;
}

const VIOLATION_COLUMNS = `id, type, severity, status, terminal_id, truck_id, plate, trip_id, approval_id, subject_id,
  started_at, ST_X(start_geom) AS start_lon, ST_Y(start_geom) AS start_lat, ended_at, ST_X(end_geom) AS end_lon,
  ST_Y(end_geom) AS end_lat, town_code, params, reasons, peak, reported_late, handling, assigned_department, note, updated_at`;

/** Where and when an episode or a trip started and, once it has, ended. */
interface EndpointColumns {
  started_at: Date;
  start_lon: number;
  start_lat: number;
  ended_at: Date | null;
  end_lon: number | null;
  end_lat: number | null;
}

function endpoints(r: EndpointColumns): Pick<Violation, 'start' | 'end'> {
  return {
    start: { at: r.started_at.toISOString(), lon: r.start_lon, lat: r.start_lat },
    end: r.ended_at && r.end_lon !== null && r.end_lat !== null ? { at: r.ended_at.toISOString(), lon: r.end_lon, lat: r.end_lat } : null,
  };
}

function toViolation(r: ViolationRow): Violation {
  return {
    id: r.id,
    type: r.type,
    severity: r.severity,
    status: r.status,
    terminalId: r.terminal_id,
    truckId: r.truck_id,
    plate: r.plate,
    tripId: r.trip_id,
    approvalId: r.approval_id,
    subjectId: r.subject_id,
    ...endpoints(r),
    townCode: r.town_code,
    reasons: r.reasons,
    params: r.params,
    peak: r.peak,
    reportedLate: r.reported_late,
    handling: r.handling,
    assignedDepartment: r.assigned_department,
    note: r.note,
    updatedAt: r.updated_at.toISOString(),
  };
}

function oneOf<T extends string>(name: string, raw: string | undefined, allowed: readonly T[]): T | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new BadRequestException({ message: `${name} must be one of ${allowed.join(', ')}`, field: name });
  }
  return raw as T;
}

function plateParam(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw.length > 16) throw new BadRequestException({ message: 'plate must be at most 16 characters', field: 'plate' });
  return raw;
}

/** SQL conditions for a principal's scope (README "Accounts, roles and audit": out of scope is 404 / left out). */
function scopeOf(principal: Principal, params: unknown[], withDepartment: boolean): string[] {
  if (principal.role === 'town_official') {
    params.push(principal.townCode);
    return [`town_code = $${params.length}`];
  }
  if (principal.role === 'enforcement_officer') {
    if (!withDepartment) return ['false'];
    params.push(principal.department);
    return [`assigned_department = $${params.length}`];
  }
  return [];
}

/**
 * Violations and trips as stored by the compliance engine, scoped per principal: a town official
 * sees their own town's, an enforcement officer the violations assigned to their department.
 */
@Injectable()
export class ViolationsService {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly audit: AuditService,
  ) {}

  async list(query: ViolationQuery, principal: Principal): Promise<ViolationPage> {
    const { from, to } = parseTimeRange(query, 7 * DAY_MS, 366 * DAY_MS);
    const type = oneOf('type', query.type, VIOLATION_TYPE_NAMES);
    const status = oneOf('status', query.status, VIOLATION_STATUSES);
    const plate = plateParam(query.plate);
    if (query.townCode && !TOWN_CODE.test(query.townCode)) {
      throw new BadRequestException({ message: 'townCode must be a town code (digits and capitals)', field: 'townCode' });
    }
    const page = parseIntParam('page', query.page, 1, 1, 100_000);
    const pageSize = parseIntParam('pageSize', query.pageSize, 50, 1, 500);
    const params: unknown[] = [from.toISOString(), to.toISOString()];
    const where = ['started_at >= $1', 'started_at <= $2', ...scopeOf(principal, params, true)];
    const add = (sql: string, value: unknown): void => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (type) add('type = ?', type);
    if (status) add('status = ?', status);
    if (plate) add('plate = ?', plate);
    if (query.townCode) add('town_code = ?', query.townCode);
    const conditions = where.join(' AND ');
    const rows = await this.pool.query<ViolationRow>(
      `SELECT ${VIOLATION_COLUMNS} FROM violations WHERE ${conditions}
        ORDER BY started_at DESC, id LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
      params,
    );
    const count = await this.pool.query<{ total: number }>(`SELECT count(*)::int AS total FROM violations WHERE ${conditions}`, params);
    return { items: rows.rows.map(toViolation), total: count.rows[0]?.total ?? 0, page, pageSize };
  }

  async get(id: string, principal: Principal): Promise<ViolationDetail> {
    const params: unknown[] = [id];
    const where = ['id = $1', ...scopeOf(principal, params, true)].join(' AND ');
    const { rows } = await this.pool.query<ViolationRow>(
      `SELECT ${VIOLATION_COLUMNS}, evidence, evidence_thinned FROM violations WHERE ${where}`,
      params,
    );
    const row = rows[0];
    if (!row) throw new NotFoundException({ message: `violation ${id} not found` });
    return toDetail(row);
  }

  /** Dispatcher's handling: assignment to an enforcement department and a note, audited. */
  async update(id: string, patch: ViolationPatch, actor: { principal: Principal; origin: RequestOrigin }): Promise<ViolationDetail> {
    return inTransaction(this.pool, async (client) => {
      const before = await client.query<ViolationRow>(`SELECT ${VIOLATION_COLUMNS} FROM violations WHERE id = $1 FOR UPDATE`, [id]);
      const row = before.rows[0];
      if (!row) throw new NotFoundException({ message: `violation ${id} not found` });
      const { rows } = await client.query<ViolationRow>(
        `UPDATE violations SET assigned_department = $2, note = $3, handling = $4, updated_at = now() WHERE id = $1
         RETURNING ${VIOLATION_COLUMNS}, evidence, evidence_thinned`,
        [
          id,
          patch.assignedDepartment === undefined ? row.assigned_department : patch.assignedDepartment,
          patch.note === undefined ? row.note : patch.note,
          patch.handling ?? row.handling,
        ],
      );
      const after = rows[0];
      if (!after) throw new NotFoundException({ message: `violation ${id} not found` });
      await this.audit.record(
        {
          action: 'violation.update',
          actor: actor.principal,
          origin: actor.origin,
          resourceType: 'violation',
          resourceId: id,
          before: { handling: row.handling, assignedDepartment: row.assigned_department, note: row.note },
          after: { handling: after.handling, assignedDepartment: after.assigned_department, note: after.note },
        },
        client,
      );
      return toDetail(after);
    });
  }

  async trips(query: TripQuery, principal: Principal): Promise<TripPage> {
    const { from, to } = parseTimeRange(query, 7 * DAY_MS, 366 * DAY_MS);
    const status = oneOf('status', query.status, TRIP_STATUSES);
    const plate = plateParam(query.plate);
    const page = parseIntParam('page', query.page, 1, 1, 100_000);
    const pageSize = parseIntParam('pageSize', query.pageSize, 50, 1, 500);
    const params: unknown[] = [from.toISOString(), to.toISOString()];
    const where = ['started_at >= $1', 'started_at <= $2', ...scopeOf(principal, params, false)];
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
        `SELECT id, terminal_id, truck_id, plate, approval_id, approval_number, origin_id, origin_name, destination_id,
                destination_name, started_at, ST_X(start_geom) AS start_lon, ST_Y(start_geom) AS start_lat, ended_at,
                ST_X(end_geom) AS end_lon, ST_Y(end_geom) AS end_lat, town_code, distance_m, status, reasons, reported_late
           FROM trips WHERE ${conditions} ORDER BY started_at DESC, id LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
      params,
    );
    const count = await this.pool.query<{ total: number }>(`SELECT count(*)::int AS total FROM trips WHERE ${conditions}`, params);
    return { items: rows.rows.map(toTrip), total: count.rows[0]?.total ?? 0, page, pageSize };
  }
}

function toDetail(row: ViolationRow): ViolationDetail {
  const points = row.evidence ?? [];
  return {
    ...toViolation(row),
    evidence:
      points.length === 0
        ? null
        : {
            type: 'Feature',
            geometry: { type: 'LineString', coordinates: points.map((p) => [p.lon, p.lat]) },
            properties: {
              times: points.map((p) => new Date(p.atMs).toISOString()),
              speedsKmh: points.map((p) => p.speedKmh),
              thinned: row.evidence_thinned ?? false,
            },
          },
    startPoint: {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [row.start_lon, row.start_lat] },
      properties: { at: row.started_at.toISOString() },
    },
  };
}

interface TripRow {
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

function toTrip(r: TripRow): TripRecord {
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
