import { Inject, Injectable } from '@nestjs/common';
import type { Point, Polygon } from 'geojson';
import type pg from 'pg';
import type { LedgerEvent, LedgerPhoto } from '@muckwatch/contracts';
import type { Db } from '../cases/cases.repository.js';
import { PG_POOL } from '../database/database.module.js';

/**
 * The towns' ledgers in SQL (tables: migration TownLedgers). Scope is applied here, once, in each
 * query: `town` null means every town (the muck office, auditors), a code means only that town's
 * rows (a town official) — another town's id then finds nothing, which the service answers with 404.
 */

export type LedgerKind = 'pile' | 'collection_point' | 'collection_request' | 'finding';

const TABLE: Record<LedgerKind, string> = {
  pile: 'waste_piles',
  collection_point: 'collection_points',
  collection_request: 'collection_requests',
  finding: 'findings',
};

const EVENTS: Record<Exclude<LedgerKind, 'collection_point'>, { table: string; owner: string }> = {
  pile: { table: 'waste_pile_events', owner: 'pile_id' },
  collection_request: { table: 'collection_request_events', owner: 'request_id' },
  finding: { table: 'finding_events', owner: 'finding_id' },
};

export type EventKind = keyof typeof EVENTS;

export interface PileRow {
  id: string;
  town_code: string;
  town_name: string;
  name: string;
  geometry: Point | Polygon;
  land_nature: string;
  volume_m3: string;
  responsible_party: string | null;
  governance_plan: string | null;
  deadline: string | null;
  status: string;
  verified_at: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface PointRow {
  id: string;
  town_code: string;
  town_name: string;
  village_code: string | null;
  name: string;
  location: Point;
  radius_m: string;
  active: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface RequestRow {
  id: string;
  town_code: string;
  town_name: string;
  village_code: string | null;
  requester_kind: string;
  requester_name: string;
  contact: string | null;
  collection_point_id: string | null;
  location: Point;
  radius_m: string;
  volume_m3: string;
  requested_at: Date;
  state: string;
  truck_id: string | null;
  plate: string | null;
  dispatched_at: Date | null;
  visit_at: Date | null;
  fulfilled_at: Date | null;
  trip_id: string | null;
  cancel_reason: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface FindingRow {
  id: string;
  town_code: string;
  town_name: string;
  kind: string;
  location: Point;
  found_at: Date;
  area_m2: string | null;
  description: string | null;
  finder: string;
  reported_by: string | null;
  deadline: string | null;
  status: string;
  verified_at: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const PILE_SELECT = `
  SELECT p.id, p.town_code, t.name AS town_name, p.name, ST_AsGeoJSON(p.geom, 7)::json AS geometry, p.land_nature, p.volume_m3,
         p.responsible_party, p.governance_plan, to_char(p.deadline, 'YYYY-MM-DD') AS deadline, p.status, p.verified_at,
         p.version, p.created_at, p.updated_at
    FROM waste_piles p JOIN towns t ON t.code = p.town_code`;

const POINT_SELECT = `
  SELECT c.id, c.town_code, t.name AS town_name, c.village_code, c.name, ST_AsGeoJSON(c.geom, 7)::json AS location, c.radius_m,
         c.active, c.version, c.created_at, c.updated_at
    FROM collection_points c JOIN towns t ON t.code = c.town_code`;

const REQUEST_SELECT = `
  SELECT r.id, r.town_code, t.name AS town_name, r.village_code, r.requester_kind, r.requester_name, r.contact,
         r.collection_point_id, ST_AsGeoJSON(COALESCE(c.geom, r.geom), 7)::json AS location,
         CASE WHEN c.id IS NULL THEN r.radius_m ELSE c.radius_m END AS radius_m, r.volume_m3, r.requested_at, r.state,
         r.truck_id, tr.plate, r.dispatched_at, r.visit_at, r.fulfilled_at, r.trip_id, r.cancel_reason, r.version,
         r.created_at, r.updated_at
    FROM collection_requests r JOIN towns t ON t.code = r.town_code
    LEFT JOIN collection_points c ON c.id = r.collection_point_id
    LEFT JOIN trucks tr ON tr.id = r.truck_id`;

const FINDING_SELECT = `
  SELECT f.id, f.town_code, t.name AS town_name, f.kind, ST_AsGeoJSON(f.geom, 7)::json AS location, f.found_at, f.area_m2,
         f.description, f.finder, u.username AS reported_by, to_char(f.deadline, 'YYYY-MM-DD') AS deadline, f.status,
         f.verified_at, f.version, f.created_at, f.updated_at
    FROM findings f JOIN towns t ON t.code = f.town_code LEFT JOIN users u ON u.id = f.reported_by`;

/** $1 = today (a local date): the truck's transport permit has a number and today lies in its period. */
const DISPATCHABLE = `(tr.permit_no IS NOT NULL AND tr.permit_valid_from <= $1::date AND tr.permit_valid_to >= $1::date)`;

export interface DispatchableTruckRow {
  id: string;
  plate: string;
  company_id: string;
  company_name: string;
  terminal_id: string;
  permit_valid_to: string;
}

const ALIAS: Record<LedgerKind, string> = { pile: 'p', collection_point: 'c', collection_request: 'r', finding: 'f' };
const SELECT: Record<LedgerKind, string> = { pile: PILE_SELECT, collection_point: POINT_SELECT, collection_request: REQUEST_SELECT, finding: FINDING_SELECT };
const ORDER: Record<LedgerKind, string> = {
  pile: 'p.created_at DESC, p.id',
  collection_point: 'c.town_code, c.village_code NULLS LAST, c.name, c.id',
  collection_request: 'r.requested_at DESC, r.id',
  finding: 'f.found_at DESC, f.id',
};

/** A list filter: column (of the kind's alias) = value, or a time bound. */
export interface ListFilter {
  town: string | null;
  equals: Array<[column: string, value: string | boolean]>;
  from?: { column: string; at: Date };
  to?: { column: string; at: Date };
  /**
   * Overdue (true) or not (false): a deadline before `today` (a local date) and a status among
   * `open` (the ones that still need work); a record without a deadline is never overdue.
   */
  overdue?: { value: boolean; today: string; open: readonly string[] };
  page: number;
  pageSize: number;
}

type RowOf<K extends LedgerKind> = K extends 'pile' ? PileRow : K extends 'collection_point' ? PointRow : K extends 'collection_request' ? RequestRow : FindingRow;

export interface EventInput {
  action: string;
  fromStatus: string | null;
  toStatus: string;
  actor: { userId: string; username: string; role: string } | null;
  comment?: string | null;
  changed?: Record<string, unknown> | null;
}

interface EventRow {
  id: string;
  at: Date;
  action: string;
  from_status: string | null;
  to_status: string;
  actor_username: string | null;
  actor_role: string | null;
  comment: string | null;
  changed: Record<string, unknown> | null;
}

interface PhotoRow {
  id: string;
  file_name: string;
  content_type: LedgerPhoto['contentType'];
  size_bytes: number;
  sha256: string;
  uploaded_by: string | null;
  uploaded_at: Date;
}

const PHOTO_COLUMNS = 'id, file_name, content_type, size_bytes, sha256, uploaded_by, uploaded_at';

export interface CoverageRow {
  town_code: string;
  town_name: string;
  covered_villages: string[];
  active_points: number;
  requests: number;
  fulfilled: number;
  fulfilled_same_day: number;
  cancelled: number;
  piles: number;
  piles_open: number;
  piles_overdue: number;
  findings_open: number;
}

@Injectable()
export class LedgersRepository {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async list<K extends LedgerKind>(kind: K, filter: ListFilter, db: Db = this.pool): Promise<{ rows: Array<RowOf<K>>; total: number }> {
    const a = ALIAS[kind];
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (n: string) => string, value: unknown): void => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.town !== null) add((n) => `${a}.town_code = ${n}`, filter.town);
    for (const [column, value] of filter.equals) add((n) => `${a}.${column} = ${n}`, value);
    if (filter.from) add((n) => `${a}.${filter.from!.column} >= ${n}`, filter.from.at.toISOString());
    if (filter.to) add((n) => `${a}.${filter.to!.column} < ${n}`, filter.to.at.toISOString());
    if (filter.overdue) {
      const { value, today, open } = filter.overdue;
      params.push(today, [...open]);
      const overdue = `(${a}.deadline IS NOT NULL AND ${a}.deadline < $${params.length - 1}::date AND ${a}.status = ANY($${params.length}::text[]))`;
      where.push(value ? overdue : `NOT ${overdue}`);
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const count = await db.query<{ total: number }>(`SELECT count(*)::int AS total FROM ${TABLE[kind]} ${a} ${clause}`, params);
    const { rows } = await db.query<RowOf<K>>(
      `${SELECT[kind]} ${clause} ORDER BY ${ORDER[kind]} LIMIT ${filter.pageSize} OFFSET ${(filter.page - 1) * filter.pageSize}`,
      params,
    );
    return { rows, total: count.rows[0]?.total ?? 0 };
  }

  /** One row in the caller's scope (`town` null: any town), optionally locked for an update. */
  async find<K extends LedgerKind>(kind: K, id: string, town: string | null, db: Db = this.pool, lock = false): Promise<RowOf<K> | null> {
    const a = ALIAS[kind];
    const { rows } = await db.query<RowOf<K>>(
      `${SELECT[kind]} WHERE ${a}.id = $1 AND ($2::text IS NULL OR ${a}.town_code = $2)${lock ? ` FOR UPDATE OF ${a}` : ''}`,
      [id, town],
    );
    return rows[0] ?? null;
  }

  /** The town whose area covers the point (a polygon: its point on surface), or null outside every town. */
  async townAt(place: Point | Polygon, db: Db = this.pool): Promise<string | null> {
    const { rows } = await db.query<{ code: string }>(
      `SELECT code FROM towns WHERE ST_Covers(geom, ST_PointOnSurface(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326))) ORDER BY code LIMIT 1`,
      [JSON.stringify(place)],
    );
    return rows[0]?.code ?? null;
  }

  /** Whether the town exists and its area covers the geometry (a polygon: its point on surface). */
  async townCovers(town: string, geometry: Point | Polygon, db: Db = this.pool): Promise<{ exists: boolean; covers: boolean; name: string | null }> {
    const { rows } = await db.query<{ covers: boolean; name: string }>(
      `SELECT name, ST_Covers(geom, ST_PointOnSurface(ST_SetSRID(ST_GeomFromGeoJSON($2), 4326))) AS covers FROM towns WHERE code = $1`,
      [town, JSON.stringify(geometry)],
    );
    return { exists: rows.length > 0, covers: rows[0]?.covers ?? false, name: rows[0]?.name ?? null };
  }

  /** PostGIS's word on a polygon's validity (the table's CHECK would refuse it later, as a 500). */
  async validGeometry(geometry: Point | Polygon, db: Db = this.pool): Promise<string | null> {
    const { rows } = await db.query<{ valid: boolean; reason: string | null }>(
      `SELECT (d).valid, (d).reason FROM (SELECT ST_IsValidDetail(ST_GeomFromGeoJSON($1)) AS d) v`,
      [JSON.stringify(geometry)],
    );
    return rows[0]?.valid ? null : (rows[0]?.reason ?? 'invalid geometry');
  }

  /**
   * The trucks a request may be dispatched to (a bound terminal, a permit valid on `today`, a local
   * date), whose plate contains `q` (case-insensitive), by plate.
   */
  async dispatchableTrucks(today: string, q: string | null, page: number, pageSize: number): Promise<{ rows: DispatchableTruckRow[]; total: number }> {
    const where = `${DISPATCHABLE} AND ($2::text IS NULL OR strpos(upper(tr.plate), upper($2)) > 0)`;
    const count = await this.pool.query<{ total: number }>(
      `SELECT count(*)::int AS total FROM trucks tr JOIN terminals te ON te.truck_id = tr.id WHERE ${where}`,
      [today, q],
    );
    const { rows } = await this.pool.query<DispatchableTruckRow>(
      `SELECT tr.id, tr.plate, tr.company_id, c.name AS company_name, te.terminal_id, to_char(tr.permit_valid_to, 'YYYY-MM-DD') AS permit_valid_to
         FROM trucks tr JOIN terminals te ON te.truck_id = tr.id JOIN transport_companies c ON c.id = tr.company_id
        WHERE ${where}
        ORDER BY tr.plate, tr.id LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
      [today, q],
    );
    return { rows, total: count.rows[0]?.total ?? 0 };
  }

  /** A registered truck as dispatch sees it: its plate, whether a terminal is bound and its permit valid on `today`. */
  async truckForDispatch(truckId: string, today: string, db: Db = this.pool): Promise<{ plate: string; has_terminal: boolean; permit_valid: boolean } | null> {
    const { rows } = await db.query<{ plate: string; has_terminal: boolean; permit_valid: boolean }>(
      `SELECT tr.plate, EXISTS (SELECT 1 FROM terminals te WHERE te.truck_id = tr.id) AS has_terminal,
              COALESCE(${DISPATCHABLE}, false) AS permit_valid
         FROM trucks tr WHERE tr.id = $2`,
      [today, truckId],
    );
    return rows[0] ?? null;
  }

  /**
   * Inserts a row: `values` maps columns to parameters; a column whose value is `{ geojson }` is
   * stored as WGS-84 geometry. Returns the new id.
   */
  async insert(kind: LedgerKind, values: Record<string, unknown>, db: Db): Promise<string> {
    const columns = Object.keys(values);
    const params = columns.map((c) => geoParam(values[c]));
    const placeholders = columns.map((c, i) => (isGeo(values[c]) ? `ST_SetSRID(ST_GeomFromGeoJSON($${i + 1}), 4326)` : `$${i + 1}`));
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO ${TABLE[kind]} (${columns.join(', ')}) VALUES (${placeholders.join(', ')}) RETURNING id`,
      params,
    );
    return rows[0]!.id;
  }

  /**
   * Updates a row if its version is still `version` (then bumps it); false when it moved on.
   * The caller has found the row in scope first.
   */
  async update(kind: LedgerKind, id: string, version: number, values: Record<string, unknown>, db: Db): Promise<boolean> {
    const columns = Object.keys(values);
    const params: unknown[] = [id, version, ...columns.map((c) => geoParam(values[c]))];
    const sets = columns.map((c, i) => `${c} = ${isGeo(values[c]) ? `ST_SetSRID(ST_GeomFromGeoJSON($${i + 3}), 4326)` : `$${i + 3}`}`);
    const { rowCount } = await db.query(
      `UPDATE ${TABLE[kind]} SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')} WHERE id = $1 AND version = $2`,
      params,
    );
    return (rowCount ?? 0) > 0;
  }

  async addEvent(kind: EventKind, ownerId: string, e: EventInput, db: Db): Promise<void> {
    const { table, owner } = EVENTS[kind];
    await db.query(
      `INSERT INTO ${table} (${owner}, action, from_status, to_status, actor_user_id, actor_username, actor_role, comment, changed)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)`,
      [ownerId, e.action, e.fromStatus, e.toStatus, e.actor?.userId ?? null, e.actor?.username ?? null, e.actor?.role ?? null, e.comment ?? null,
        e.changed ? JSON.stringify(e.changed) : null],
    );
  }

  async history(kind: EventKind, ownerId: string, db: Db = this.pool): Promise<LedgerEvent[]> {
    const { table, owner } = EVENTS[kind];
    const { rows } = await db.query<EventRow>(
      `SELECT id::text AS id, at, action, from_status, to_status, actor_username, actor_role, comment, changed
         FROM ${table} WHERE ${owner} = $1 ORDER BY id`,
      [ownerId],
    );
    return rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      action: r.action,
      fromStatus: r.from_status,
      toStatus: r.to_status,
      actorUsername: r.actor_username,
      actorRole: r.actor_role,
      comment: r.comment,
      changed: r.changed,
    }));
  }

  async photos(ownerKind: 'pile' | 'finding', ownerId: string, db: Db = this.pool): Promise<LedgerPhoto[]> {
    const { rows } = await db.query<PhotoRow>(
      `SELECT ${PHOTO_COLUMNS} FROM ledger_photos WHERE owner_kind = $1 AND owner_id = $2 ORDER BY uploaded_at, id`,
      [ownerKind, ownerId],
    );
    return rows.map(toPhoto);
  }

  async insertPhoto(
    p: { ownerKind: 'pile' | 'finding'; ownerId: string; fileName: string; contentType: string; content: Buffer; sha256: string; uploadedBy: string },
    db: Db,
  ): Promise<LedgerPhoto> {
    const { rows } = await db.query<PhotoRow>(
      `INSERT INTO ledger_photos (owner_kind, owner_id, file_name, content_type, size_bytes, sha256, content, uploaded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${PHOTO_COLUMNS}`,
      [p.ownerKind, p.ownerId, p.fileName, p.contentType, p.content.length, p.sha256, p.content, p.uploadedBy],
    );
    return toPhoto(rows[0]!);
  }

  async photoContent(ownerKind: 'pile' | 'finding', ownerId: string, photoId: string): Promise<(LedgerPhoto & { content: Buffer }) | null> {
    const { rows } = await this.pool.query<PhotoRow & { content: Buffer }>(
      `SELECT ${PHOTO_COLUMNS}, content FROM ledger_photos WHERE owner_kind = $1 AND owner_id = $2 AND id = $3`,
      [ownerKind, ownerId, photoId],
    );
    return rows[0] ? { ...toPhoto(rows[0]), content: rows[0].content } : null;
  }

  /**
   * Per town in scope: villages with an active point, active points, requests made in [from, to)
   * and how many were fulfilled (within `sameDayHours` of the request), piles, and open findings.
   */
  async coverage(town: string | null, from: Date | null, to: Date | null, sameDayHours: number, todayLocal: string): Promise<CoverageRow[]> {
    const { rows } = await this.pool.query<CoverageRow>(
      `SELECT t.code AS town_code, t.name AS town_name,
              COALESCE((SELECT array_agg(DISTINCT c.village_code) FROM collection_points c
                         WHERE c.town_code = t.code AND c.active AND c.village_code IS NOT NULL), '{}') AS covered_villages,
              (SELECT count(*)::int FROM collection_points c WHERE c.town_code = t.code AND c.active) AS active_points,
              r.requests, r.fulfilled, r.fulfilled_same_day, r.cancelled,
              (SELECT count(*)::int FROM waste_piles p WHERE p.town_code = t.code) AS piles,
              (SELECT count(*)::int FROM waste_piles p WHERE p.town_code = t.code AND p.status IN ('registered', 'in_progress')) AS piles_open,
              (SELECT count(*)::int FROM waste_piles p WHERE p.town_code = t.code AND p.status IN ('registered', 'in_progress')
                  AND p.deadline < $5::date) AS piles_overdue,
              (SELECT count(*)::int FROM findings f WHERE f.town_code = t.code AND f.status IN ('open', 'rectifying')) AS findings_open
         FROM towns t
         CROSS JOIN LATERAL (
           SELECT count(*)::int AS requests,
                  count(*) FILTER (WHERE q.state = 'fulfilled')::int AS fulfilled,
                  count(*) FILTER (WHERE q.state = 'fulfilled' AND q.fulfilled_at - q.requested_at <= make_interval(hours => $4))::int AS fulfilled_same_day,
                  count(*) FILTER (WHERE q.state = 'cancelled')::int AS cancelled
             FROM collection_requests q
            WHERE q.town_code = t.code AND ($2::timestamptz IS NULL OR q.requested_at >= $2) AND ($3::timestamptz IS NULL OR q.requested_at < $3)) r
        WHERE $1::text IS NULL OR t.code = $1
        ORDER BY t.code`,
      [town, from?.toISOString() ?? null, to?.toISOString() ?? null, sameDayHours, todayLocal],
    );
    return rows;
  }
}

function isGeo(value: unknown): value is { geojson: object } {
  return typeof value === 'object' && value !== null && 'geojson' in value;
}

function geoParam(value: unknown): unknown {
  return isGeo(value) ? JSON.stringify(value.geojson) : value;
}

function toPhoto(r: PhotoRow): LedgerPhoto {
  return {
    id: r.id,
    fileName: r.file_name,
    contentType: r.content_type,
    sizeBytes: r.size_bytes,
    sha256: r.sha256,
    uploadedBy: r.uploaded_by,
    uploadedAt: r.uploaded_at.toISOString(),
  };
}
