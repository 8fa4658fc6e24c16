import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import type { Methodology as MethodologyView, MethodologyBody, RankingAdjustment, RankingRefKind, RankingRevisionSummary } from '@muckwatch/contracts';
import type { Methodology } from '@muckwatch/domain';
import type { Db } from '../cases/cases.repository.js';
import { PG_POOL } from '../database/database.module.js';

interface MethodologyRow {
  version: number;
  effective_from: string;
  body: MethodologyBody;
  note: string | null;
  created_by: string | null;
  created_at: Date;
}

export interface SnapshotRow {
  month: string;
  revision: number;
  methodology_version: number;
  /** The exact stored text (json, not jsonb). */
  inputs: string;
  inputs_sha256: string;
  result: string;
  reason: string | null;
  changed_towns: string[];
  created_by: string | null;
  created_at: Date;
}

interface AdjustmentRow {
  id: string;
  month: string;
  town_code: string;
  kind: RankingAdjustment['kind'];
  points: string | null;
  veto_ground: RankingAdjustment['vetoGround'];
  reason: string;
  document_ref: string;
  created_by: string | null;
  created_at: Date;
}

export function toMethodology(row: MethodologyRow): Methodology {
  return { ...row.body, version: row.version, effectiveFrom: row.effective_from };
}

export function toMethodologyView(row: MethodologyRow): MethodologyView {
  return { ...row.body, version: row.version, effectiveFrom: row.effective_from, note: row.note, createdAt: row.created_at.toISOString(), createdBy: row.created_by };
}

export function toAdjustment(row: AdjustmentRow): RankingAdjustment {
  return {
    id: row.id,
    month: row.month,
    townCode: row.town_code,
    kind: row.kind,
    points: row.points === null ? null : Number(row.points),
    vetoGround: row.veto_ground,
    reason: row.reason,
    documentRef: row.document_ref,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
  };
}

const SNAPSHOT_COLUMNS = `month, revision, methodology_version, inputs::text AS inputs, inputs_sha256, result::text AS result, reason, changed_towns, created_by, created_at`;

/** A record behind a score line, as the drill-down names it. */
export interface RecordTitle {
  kind: RankingRefKind;
  id: string;
  /** Violation type or finding kind (the service renders it in zh-CN), or null. */
  code: string | null;
  title: string;
  at: Date | null;
}

/**
 * The assessment's own tables: methodology versions, adjustments, and the append-only snapshots
 * of closed months (the database refuses UPDATE and DELETE on them).
 */
@Injectable()
export class RankingsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async methodologies(db: Db = this.pool): Promise<MethodologyRow[]> {
    const { rows } = await db.query<MethodologyRow>(
      `SELECT version, effective_from, body, note, created_by, created_at FROM assessment_methodologies ORDER BY version DESC LIMIT 1000`,
    );
    return rows;
  }

  async insertMethodology(input: { body: MethodologyBody; effectiveFrom: string; note: string | null; createdBy: string }, db: Db): Promise<MethodologyRow> {
    const { rows } = await db.query<MethodologyRow>(
      `INSERT INTO assessment_methodologies (version, effective_from, body, note, created_by)
       SELECT coalesce(max(version), 0) + 1, $1, $2::jsonb, $3, $4 FROM assessment_methodologies
       RETURNING version, effective_from, body, note, created_by, created_at`,
      [input.effectiveFrom, JSON.stringify(input.body), input.note, input.createdBy],
    );
    return rows[0]!;
  }

  async newestFrozenMonth(db: Db = this.pool): Promise<string | null> {
    const { rows } = await db.query<{ month: string | null }>(`SELECT max(month) AS month FROM ranking_snapshots`);
    return rows[0]?.month ?? null;
  }

  async isFrozen(month: string, db: Db = this.pool): Promise<boolean> {
    const { rows } = await db.query(`SELECT 1 FROM ranking_snapshots WHERE month = $1 LIMIT 1`, [month]);
    return rows.length > 0;
  }

  /** The newest revision of a month, or one given revision. */
  async snapshot(month: string, revision: number | null, db: Db = this.pool): Promise<SnapshotRow | null> {
    const { rows } =
      revision === null
        ? await db.query<SnapshotRow>(`SELECT ${SNAPSHOT_COLUMNS} FROM ranking_snapshots WHERE month = $1 ORDER BY revision DESC LIMIT 1`, [month])
        : await db.query<SnapshotRow>(`SELECT ${SNAPSHOT_COLUMNS} FROM ranking_snapshots WHERE month = $1 AND revision = $2`, [month, revision]);
    return rows[0] ?? null;
  }

  async revisions(month: string): Promise<RankingRevisionSummary[]> {
    const { rows } = await this.pool.query<Omit<SnapshotRow, 'inputs' | 'result'>>(
      `SELECT revision, methodology_version, inputs_sha256, reason, changed_towns, created_by, created_at
         FROM ranking_snapshots WHERE month = $1 ORDER BY revision DESC LIMIT 1000`,
      [month],
    );
    return rows.map((r) => ({
      revision: r.revision,
      computedAt: r.created_at.toISOString(),
      reason: r.reason,
      createdBy: r.created_by,
      methodologyVersion: r.methodology_version,
      inputsSha256: r.inputs_sha256,
      changedTowns: r.changed_towns,
    }));
  }

  async insertSnapshot(
    s: { month: string; revision: number; methodologyVersion: number; inputs: string; inputsSha256: string; result: string; reason: string | null; changedTowns: string[]; createdBy: string | null },
    db: Db,
  ): Promise<SnapshotRow> {
    const { rows } = await db.query<SnapshotRow>(
      `INSERT INTO ranking_snapshots (month, revision, methodology_version, inputs, inputs_sha256, result, reason, changed_towns, created_by)
       VALUES ($1, $2, $3, $4::json, $5, $6::json, $7, $8::text[], $9)
       RETURNING ${SNAPSHOT_COLUMNS}`,
      [s.month, s.revision, s.methodologyVersion, s.inputs, s.inputsSha256, s.result, s.reason, s.changedTowns, s.createdBy],
    );
    return rows[0]!;
  }

  /**
   * Per frozen month in [from, before) (newest revision): the towns on its black list, and every
   * town's total and rank (the trend and the black-list streak read only these, not whole results).
   */
  async frozenSummaries(from: string, before: string, db: Db = this.pool): Promise<Map<string, Array<{ townCode: string; total: number; rank: number; blackList: boolean }>>> {
    const { rows } = await db.query<{ month: string; town_code: string; total: number; rank: number; black_list: boolean }>(
      `WITH newest AS (
         SELECT DISTINCT ON (month) month, result FROM ranking_snapshots
          WHERE month >= $1 AND month < $2 ORDER BY month, revision DESC)
       SELECT n.month, t->>'townCode' AS town_code, (t->>'total')::float8 AS total, (t->>'rank')::int AS rank, (t->>'blackList')::boolean AS black_list
         FROM newest n, json_array_elements(n.result->'towns') AS t`,
      [from, before],
    );
    const map = new Map<string, Array<{ townCode: string; total: number; rank: number; blackList: boolean }>>();
    for (const r of rows) {
      const list = map.get(r.month) ?? [];
      list.push({ townCode: r.town_code, total: r.total, rank: r.rank, blackList: r.black_list });
      map.set(r.month, list);
    }
    return map;
  }

  async adjustments(month: string | null): Promise<RankingAdjustment[]> {
    const { rows } = await this.pool.query<AdjustmentRow>(
      `SELECT id::text AS id, month, town_code, kind, points::text AS points, veto_ground, reason, document_ref, created_by, created_at
         FROM ranking_adjustments WHERE ($1::text IS NULL OR month = $1) ORDER BY month DESC, town_code, created_at LIMIT 5000`,
      [month],
    );
    return rows.map(toAdjustment);
  }

  async adjustment(id: string, db: Db = this.pool): Promise<RankingAdjustment | null> {
    const { rows } = await db.query<AdjustmentRow>(
      `SELECT id::text AS id, month, town_code, kind, points::text AS points, veto_ground, reason, document_ref, created_by, created_at
         FROM ranking_adjustments WHERE id = $1::uuid`,
      [id],
    );
    return rows[0] ? toAdjustment(rows[0]) : null;
  }

  async insertAdjustment(
    a: { month: string; townCode: string; kind: RankingAdjustment['kind']; points: number | null; vetoGround: RankingAdjustment['vetoGround']; reason: string; documentRef: string; createdBy: string },
    db: Db,
  ): Promise<RankingAdjustment> {
    const { rows } = await db.query<AdjustmentRow>(
      `INSERT INTO ranking_adjustments (month, town_code, kind, points, veto_ground, reason, document_ref, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       RETURNING id::text AS id, month, town_code, kind, points::text AS points, veto_ground, reason, document_ref, created_by, created_at`,
      [a.month, a.townCode, a.kind, a.points, a.vetoGround, a.reason, a.documentRef, a.createdBy],
    );
    return toAdjustment(rows[0]!);
  }

  async deleteAdjustment(id: string, db: Db): Promise<void> {
    await db.query(`DELETE FROM ranking_adjustments WHERE id = $1::uuid`, [id]);
  }

  async townExists(code: string, db: Db = this.pool): Promise<boolean> {
    const { rows } = await db.query(`SELECT 1 FROM towns WHERE code = $1`, [code]);
    return rows.length > 0;
  }

  /** Short zh-CN titles of the records a town's score lines name (one query per kind, by id). */
  async titles(refs: ReadonlyArray<{ kind: RankingRefKind; id: string }>): Promise<Map<string, RecordTitle>> {
    const ids = (kind: RankingRefKind): string[] => [...new Set(refs.filter((r) => r.kind === kind).map((r) => r.id))];
    const uuids = (kind: RankingRefKind): string[] => ids(kind).filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    const queries: Array<Promise<RecordTitle[]>> = [];
    const run = (kind: RankingRefKind, sql: string, values: string[]): void => {
      if (values.length === 0) return;
      queries.push(this.pool.query<{ id: string; code: string | null; title: string; at: Date | null }>(sql, [values]).then((r) => r.rows.map((row) => ({ kind, ...row }))));
    };
    run('violation', `SELECT id, type AS code, coalesce(plate, terminal_id) AS title, started_at AS at FROM violations WHERE id = ANY($1::text[])`, ids('violation'));
    run('finding', `SELECT id::text AS id, kind AS code, coalesce(left(description, 60), '') AS title, found_at AS at FROM findings WHERE id = ANY($1::uuid[])`, uuids('finding'));
    run('site', `SELECT id::text AS id, NULL AS code, name AS title, NULL::timestamptz AS at FROM construction_sites WHERE id = ANY($1::uuid[])`, uuids('site'));
    run('pile', `SELECT id::text AS id, NULL AS code, name AS title, updated_at AS at FROM waste_piles WHERE id = ANY($1::uuid[])`, uuids('pile'));
    run('collection_point', `SELECT id::text AS id, NULL AS code, name AS title, NULL::timestamptz AS at FROM collection_points WHERE id = ANY($1::uuid[])`, uuids('collection_point'));
    run('request', `SELECT id::text AS id, NULL AS code, requester_name AS title, requested_at AS at FROM collection_requests WHERE id = ANY($1::uuid[])`, uuids('request'));
    run('adjustment', `SELECT id::text AS id, kind AS code, left(reason, 60) AS title, created_at AS at FROM ranking_adjustments WHERE id = ANY($1::uuid[])`, uuids('adjustment'));
    const map = new Map<string, RecordTitle>();
    for (const list of await Promise.all(queries)) for (const t of list) map.set(`${t.kind}:${t.id}`, t);
    return map;
  }
}
