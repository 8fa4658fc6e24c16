import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import type {
  CaseAction,
  CaseAttachment,
  CaseEvent,
  CaseOutcome,
  CaseState,
  DismissReason,
  TripRecord,
  Violation,
  ViolationContext,
} from '@muckwatch/contracts';
import type { Principal } from '../auth/principal.js';
import { PG_POOL } from '../database/database.module.js';
import { TRIP_COLUMNS, type TripRow, endpoints, toTrip } from '../compliance/trip-rows.js';
import type { CaseFilter, CasePaging } from './case-query.js';

/** Anything that runs SQL: the pool or a client inside a transaction. */
export type Db = Pick<pg.Pool, 'query'> | pg.PoolClient;

export interface ViolationRow {
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
  updated_at: Date;
  case_state: CaseState;
  version: number;
  department_code: string | null;
  department_name: string | null;
  deadline: Date | null;
  overdue: boolean;
  assigned_at: Date | null;
  handled_at: Date | null;
  closed_at: Date | null;
  dismiss_reason: DismissReason | null;
  outcome: CaseOutcome | null;
  company_id: string | null;
  company_name: string | null;
  evidence?: Array<{ atMs: number; lon: number; lat: number; speedKmh: number }>;
  evidence_thinned?: boolean;
}

/** A row of the export: the list's columns plus what an enforcement office reads by name. */
export interface ExportRow extends ViolationRow {
  town_name: string | null;
}

const OVERDUE_SQL = `(v.case_state IN ('assigned', 'returned') AND v.deadline < now())`;

const VIOLATION_COLUMNS = `v.id, v.type, v.severity, v.status, v.terminal_id, v.truck_id, v.plate, v.trip_id, v.approval_id, v.subject_id,
  v.started_at, ST_X(v.start_geom) AS start_lon, ST_Y(v.start_geom) AS start_lat, v.ended_at, ST_X(v.end_geom) AS end_lon,
  ST_Y(v.end_geom) AS end_lat, v.town_code, v.params, v.reasons, v.peak, v.reported_late, v.updated_at,
  v.case_state, v.version, v.department_code, d.name AS department_name, v.deadline, ${OVERDUE_SQL} AS overdue,
  v.assigned_at, v.handled_at, v.closed_at, v.dismiss_reason, v.outcome, t.company_id, c.name AS company_name`;

const VIOLATION_JOINS = `FROM violations v
  LEFT JOIN departments d ON d.code = v.department_code
  LEFT JOIN trucks t ON t.id = v.truck_id
  LEFT JOIN transport_companies c ON c.id = t.company_id`;

const SEVERITY_RANK = `CASE v.severity WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 ELSE 4 END`;
const STATE_RANK = `array_position(ARRAY['new','confirmed','dismissed','assigned','handled','returned','closed']::text[], v.case_state)`;

const SORT_SQL: Record<CaseFilter['sort'], string> = {
  startedAt: 'v.started_at',
  severity: SEVERITY_RANK,
  deadline: 'v.deadline',
  updatedAt: 'v.updated_at',
  type: 'v.type',
  caseState: STATE_RANK,
};

function orderBy(filter: CaseFilter): string {
  const dir = filter.order === 'asc' ? 'ASC' : 'DESC';
  // Cases without a deadline come last whichever way; the id makes every order total (stable pages).
  const nulls = filter.sort === 'deadline' ? ' NULLS LAST' : '';
  return `ORDER BY ${SORT_SQL[filter.sort]} ${dir}${nulls}, v.id ${dir}`;
}

/**
 * The principal's scope as SQL over `v` (README "Violation cases"): the office and auditors see
 * every case; a town official their town's; an enforcement officer the cases their department
 * holds or ever held (an event naming it). Applied here, once, for every read and write.
 */
function scopeSql(principal: Principal, params: unknown[]): string | null {
  switch (principal.role) {
    case 'admin':
    case 'dispatcher':
    case 'auditor':
      return null;
    case 'town_official':
      params.push(principal.townCode);
      return `v.town_code = $${params.length}`;
    case 'enforcement_officer':
      if (!principal.department) return 'false';
      params.push(principal.department);
      // Hashed once per query (a set of the department's case ids), not probed per row.
      return `(v.department_code = $${params.length} OR v.id IN (SELECT se.violation_id FROM violation_case_events se
                 WHERE se.department_code = $${params.length}))`;
    default:
      return 'false';
  }
}

function whereOf(filter: CaseFilter, principal: Principal, params: unknown[]): string {
  const where: string[] = [];
  const scope = scopeSql(principal, params);
  if (scope) where.push(scope);
  const add = (sql: string, value: unknown): void => {
    params.push(value);
    where.push(sql.replaceAll('?', `$${params.length}`));
  };
  if (filter.from) add('v.started_at >= ?', filter.from.toISOString());
  if (filter.to) add('v.started_at <= ?', filter.to.toISOString());
  if (filter.types.length) add('v.type = ANY(?::text[])', filter.types);
  if (filter.severities.length) add('v.severity = ANY(?::text[])', filter.severities);
  if (filter.caseStates.length) add('v.case_state = ANY(?::text[])', filter.caseStates);
  if (filter.status) add('v.status = ?', filter.status);
  if (filter.townCode) add('v.town_code = ?', filter.townCode);
  if (filter.companyId) add('v.truck_id IN (SELECT id FROM trucks WHERE company_id = ?::uuid)', filter.companyId);
  if (filter.truckId) add('v.truck_id = ?::uuid', filter.truckId);
  if (filter.plate) add('v.plate = ?', filter.plate);
  if (filter.departmentCode) add('v.department_code = ?', filter.departmentCode);
  if (filter.overdue === true) where.push(OVERDUE_SQL);
  if (filter.overdue === false) where.push(`NOT ${OVERDUE_SQL}`);
  return where.length ? `WHERE ${where.join(' AND ')}` : '';
}

/**
 * One page: the ids are ordered and cut on `violations` alone (an index walk, nothing joined for
 * the rows an OFFSET skips), then the page's rows are joined to their department, truck and company.
 */
function pageQuery(where: string, filter: CaseFilter, paging: CasePaging): string {
  const offset = (paging.page - 1) * paging.pageSize;
  return `SELECT ${VIOLATION_COLUMNS} ${VIOLATION_JOINS}
     JOIN (SELECT v.id FROM violations v ${where} ${orderBy(filter)} LIMIT ${paging.pageSize} OFFSET ${offset}) page ON page.id = v.id
     ${orderBy(filter)}`;
}

export interface EventRow {
  id: string;
  at: Date;
  action: CaseAction;
  from_state: CaseState;
  to_state: CaseState;
  actor_username: string | null;
  actor_role: string | null;
  comment: string | null;
  dismiss_reason: DismissReason | null;
  department_code: string | null;
  deadline: Date | null;
  outcome: CaseOutcome | null;
}

export interface AttachmentRow {
  id: string;
  event_id: string | null;
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  uploaded_by: string | null;
  uploaded_at: Date;
}

const ATTACHMENT_COLUMNS = 'id, event_id::text AS event_id, file_name, content_type, size_bytes, sha256, uploaded_by, uploaded_at';

export interface CaseUpdate {
  id: string;
  version: number;
  state: CaseState;
  departmentCode: string | null;
  deadline: Date | null;
  assignedAt: 'now' | 'keep';
  handledAt: 'now' | 'keep';
  closedAt: 'now' | 'clear' | 'keep';
  dismissReason: DismissReason | null | 'keep';
  outcome: CaseOutcome | null | 'keep';
}

export interface NewEvent {
  violationId: string;
  action: CaseAction;
  fromState: CaseState;
  toState: CaseState;
  actor: Principal;
  comment: string | null;
  dismissReason: DismissReason | null;
  departmentCode: string | null;
  deadline: Date | null;
  outcome: CaseOutcome | null;
}

/** Cases, their timeline and attachments in SQL; every read is scoped by the caller's Principal. */
@Injectable()
export class CasesRepository {
  constructor(@Inject(PG_POOL) readonly pool: pg.Pool) {}

  async page(filter: CaseFilter, paging: CasePaging, principal: Principal): Promise<{ rows: ViolationRow[]; total: number }> {
    const params: unknown[] = [];
    const where = whereOf(filter, principal, params);
    const [rows, count] = await Promise.all([
      this.pool.query<ViolationRow>(pageQuery(where, filter, paging), params),
      this.pool.query<{ total: number }>(`SELECT count(*)::int AS total FROM violations v ${where}`, params),
    ]);
    return { rows: rows.rows, total: count.rows[0]?.total ?? 0 };
  }

  async count(filter: CaseFilter, principal: Principal): Promise<number> {
    const params: unknown[] = [];
    const { rows } = await this.pool.query<{ total: number }>(`SELECT count(*)::int AS total FROM violations v ${whereOf(filter, principal, params)}`, params);
    return rows[0]?.total ?? 0;
  }

  /** The SQL of the list's page query, for the bench's EXPLAIN (tests/bench/violations-list-bench.ts). */
  pageSql(filter: CaseFilter, paging: CasePaging, principal: Principal): { sql: string; countSql: string; params: unknown[] } {
    const params: unknown[] = [];
    const where = whereOf(filter, principal, params);
    return {
      sql: pageQuery(where, filter, paging),
      countSql: `SELECT count(*)::int AS total FROM violations v ${where}`,
      params,
    };
  }

  /**
   * The export's rows in the list's order, fetched through a cursor in batches (one connection
   * for the export's duration; nothing but a batch is held).
   */
  async *exportRows(filter: CaseFilter, principal: Principal, limit: number): AsyncGenerator<ExportRow> {
    const params: unknown[] = [];
    const where = whereOf(filter, principal, params);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await client.query(
        `DECLARE case_export NO SCROLL CURSOR FOR
           SELECT ${VIOLATION_COLUMNS}, tw.name AS town_name ${VIOLATION_JOINS} LEFT JOIN towns tw ON tw.code = v.town_code
           ${where} ${orderBy(filter)} LIMIT ${limit}`,
        params,
      );
      for (;;) {
        const batch = await client.query<ExportRow>('FETCH 2000 FROM case_export');
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

  async find(id: string, principal: Principal, db: Db = this.pool, withEvidence = false): Promise<ViolationRow | null> {
    const params: unknown[] = [id];
    const scope = scopeSql(principal, params);
    const { rows } = await db.query<ViolationRow>(
      `SELECT ${VIOLATION_COLUMNS}${withEvidence ? ', v.evidence, v.evidence_thinned' : ''} ${VIOLATION_JOINS}
        WHERE v.id = $1${scope ? ` AND ${scope}` : ''}`,
      params,
    );
    return rows[0] ?? null;
  }

  async currentVersion(id: string, db: Db = this.pool): Promise<number | null> {
    const { rows } = await db.query<{ version: number }>(`SELECT version FROM violations WHERE id = $1`, [id]);
    return rows[0]?.version ?? null;
  }

  /** The optimistic write: false when someone else moved the case since `version`. */
  async update(u: CaseUpdate, db: Db): Promise<boolean> {
    const { rowCount } = await db.query(
      `UPDATE violations SET
         case_state = $3, version = version + 1, department_code = $4, deadline = $5,
         assigned_at = CASE WHEN $6 THEN now() ELSE assigned_at END,
         handled_at = CASE WHEN $7 THEN now() ELSE handled_at END,
         closed_at = CASE $8 WHEN 'now' THEN now() WHEN 'clear' THEN NULL ELSE closed_at END,
         dismiss_reason = CASE WHEN $9 THEN $10 ELSE dismiss_reason END,
         outcome = CASE WHEN $11 THEN $12::jsonb ELSE outcome END,
         updated_at = now()
       WHERE id = $1 AND version = $2`,
      [
        u.id,
        u.version,
        u.state,
        u.departmentCode,
        u.deadline?.toISOString() ?? null,
        u.assignedAt === 'now',
        u.handledAt === 'now',
        u.closedAt,
        u.dismissReason !== 'keep',
        u.dismissReason === 'keep' ? null : u.dismissReason,
        u.outcome !== 'keep',
        u.outcome === 'keep' || u.outcome === null ? null : JSON.stringify(u.outcome),
      ],
    );
    return rowCount === 1;
  }

  async insertEvent(e: NewEvent, db: Db): Promise<string> {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO violation_case_events (violation_id, action, from_state, to_state, actor_user_id, actor_username, actor_role,
                                          comment, dismiss_reason, department_code, deadline, outcome)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb) RETURNING id::text AS id`,
      [
        e.violationId,
        e.action,
        e.fromState,
        e.toState,
        e.actor.userId,
        e.actor.username,
        e.actor.role,
        e.comment,
        e.dismissReason,
        e.departmentCode,
        e.deadline?.toISOString() ?? null,
        e.outcome ? JSON.stringify(e.outcome) : null,
      ],
    );
    return rows[0]!.id;
  }

  /** Puts this case's unlinked attachments on an event; returns how many it linked. */
  async linkAttachments(violationId: string, eventId: string, ids: readonly string[], db: Db): Promise<number> {
    if (ids.length === 0) return 0;
    const { rowCount } = await db.query(
      `UPDATE violation_attachments SET event_id = $3
        WHERE violation_id = $1 AND event_id IS NULL AND id::text = ANY($2::text[])`,
      [violationId, ids, eventId],
    );
    return rowCount ?? 0;
  }

  async events(violationId: string): Promise<EventRow[]> {
    const { rows } = await this.pool.query<EventRow>(
      `SELECT id::text AS id, at, action, from_state, to_state, actor_username, actor_role, comment, dismiss_reason,
              department_code, deadline, outcome
         FROM violation_case_events WHERE violation_id = $1 ORDER BY id`,
      [violationId],
    );
    return rows;
  }

  async attachments(violationId: string): Promise<AttachmentRow[]> {
    const { rows } = await this.pool.query<AttachmentRow>(
      `SELECT ${ATTACHMENT_COLUMNS} FROM violation_attachments WHERE violation_id = $1 ORDER BY uploaded_at, id`,
      [violationId],
    );
    return rows;
  }

  async insertAttachment(
    a: { violationId: string; fileName: string; contentType: string; content: Buffer; sha256: string; uploadedBy: string },
    db: Db = this.pool,
  ): Promise<AttachmentRow> {
    const { rows } = await db.query<AttachmentRow>(
      `INSERT INTO violation_attachments (violation_id, file_name, content_type, size_bytes, sha256, content, uploaded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${ATTACHMENT_COLUMNS}`,
      [a.violationId, a.fileName, a.contentType, a.content.length, a.sha256, a.content, a.uploadedBy],
    );
    return rows[0]!;
  }

  async attachmentContent(violationId: string, attachmentId: string): Promise<(AttachmentRow & { content: Buffer }) | null> {
    const { rows } = await this.pool.query<AttachmentRow & { content: Buffer }>(
      `SELECT ${ATTACHMENT_COLUMNS}, content FROM violation_attachments WHERE violation_id = $1 AND id::text = $2`,
      [violationId, attachmentId],
    );
    return rows[0] ?? null;
  }

  /** What the dispatcher needs beside the track: truck and company, approval and site, trip, subject. */
  async context(row: ViolationRow): Promise<ViolationContext> {
    const [truck, approval, trip, subject] = await Promise.all([
      row.truck_id
        ? this.pool.query<{ id: string; plate: string; company_id: string | null; company_name: string | null; permit_no: string | null }>(
            `SELECT t.id, t.plate, t.company_id, c.name AS company_name, t.permit_no
               FROM trucks t LEFT JOIN transport_companies c ON c.id = t.company_id WHERE t.id = $1`,
            [row.truck_id],
          )
        : null,
      row.approval_id
        ? this.pool.query<{ id: string; number: string; site_id: string | null; site_name: string | null; valid_from: string | null; valid_to: string | null }>(
            `SELECT a.id, a.number, a.construction_site_id AS site_id, s.name AS site_name,
                    to_char(a.valid_from, 'YYYY-MM-DD') AS valid_from, to_char(a.valid_to, 'YYYY-MM-DD') AS valid_to
               FROM disposal_approvals a LEFT JOIN construction_sites s ON s.id = a.construction_site_id WHERE a.id = $1`,
            [row.approval_id],
          )
        : null,
      row.trip_id ? this.pool.query<TripRow>(`SELECT ${TRIP_COLUMNS} FROM trips WHERE id = $1`, [row.trip_id]) : null,
      row.subject_id
        ? this.pool.query<{ name: string }>(
            `SELECT name FROM (
               SELECT name FROM disposal_sites WHERE id::text = $1
               UNION ALL SELECT name FROM construction_sites WHERE id::text = $1
               UNION ALL SELECT name FROM speed_zones WHERE id::text = $1
               UNION ALL SELECT name FROM approved_routes WHERE id::text = $1) AS s LIMIT 1`,
            [row.subject_id],
          )
        : null,
    ]);
    const t = truck?.rows[0];
    const a = approval?.rows[0];
    const tripRow = trip?.rows[0];
    return {
      truck: t ? { id: t.id, plate: t.plate, companyId: t.company_id, companyName: t.company_name, permitNumber: t.permit_no } : null,
      approval: a ? { id: a.id, number: a.number, siteId: a.site_id, siteName: a.site_name, validFrom: a.valid_from, validTo: a.valid_to } : null,
      trip: tripRow ? (toTrip(tripRow) satisfies TripRecord) : null,
      subjectName: subject?.rows[0]?.name ?? null,
    };
  }
}

export function toViolation(r: ViolationRow): Violation {
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
    companyId: r.company_id,
    companyName: r.company_name,
    updatedAt: r.updated_at.toISOString(),
    caseState: r.case_state,
    version: r.version,
    departmentCode: r.department_code,
    departmentName: r.department_name,
    deadline: r.deadline?.toISOString() ?? null,
    overdue: r.overdue,
    assignedAt: r.assigned_at?.toISOString() ?? null,
    handledAt: r.handled_at?.toISOString() ?? null,
    closedAt: r.closed_at?.toISOString() ?? null,
    dismissReason: r.dismiss_reason,
    outcome: r.outcome,
  };
}

export function toAttachment(r: AttachmentRow): CaseAttachment {
  return {
    id: r.id,
    fileName: r.file_name,
    contentType: r.content_type,
    sizeBytes: r.size_bytes,
    sha256: r.sha256,
    uploadedBy: r.uploaded_by,
    uploadedAt: r.uploaded_at.toISOString(),
    eventId: r.event_id,
  };
}

export function toEvent(r: EventRow, attachments: CaseAttachment[]): CaseEvent {
  return {
    id: r.id,
    at: r.at.toISOString(),
    action: r.action,
    fromState: r.from_state,
    toState: r.to_state,
    actorUsername: r.actor_username,
    actorRole: r.actor_role,
    comment: r.comment,
    dismissReason: r.dismiss_reason,
    departmentCode: r.department_code,
    deadline: r.deadline?.toISOString() ?? null,
    outcome: r.outcome,
    attachments: attachments.filter((a) => a.eventId === r.id),
  };
}
