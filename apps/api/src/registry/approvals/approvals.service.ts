import { Injectable } from '@nestjs/common';
import type { DisposalApproval, DisposalApprovalInput } from '@muckwatch/contracts';
import type { Principal } from '../../auth/principal.js';
import { TODAY_SQL } from '../common/geofence-resource.js';
import { badInput, Input, notFound, patched, requireUuidParam } from '../common/input.js';
import { dayParam } from '../common/local-date.js';
import { orConflict } from '../common/pg-errors.js';
import { type Actor, RegistryDb, type Sql } from '../common/registry-db.js';
import { townScope } from '../common/scope.js';

interface ApprovalRow {
  id: string;
  number: string;
  construction_site_id: string;
  construction_site_name: string;
  town_code: string | null;
  valid_from: string;
  valid_to: string;
  valid: boolean;
  company_id: string;
  truck_ids: string[];
  disposal_site_ids: string[];
  route_ids: string[];
  time_window_ids: string[];
  demo: boolean;
}

const SELECT = `
  SELECT a.id, a.number, a.construction_site_id, s.name AS construction_site_name, s.town_code,
         to_char(a.valid_from, 'YYYY-MM-DD') AS valid_from, to_char(a.valid_to, 'YYYY-MM-DD') AS valid_to,
         (${TODAY_SQL} BETWEEN a.valid_from AND a.valid_to) AS valid, a.company_id, a.demo,
         ARRAY(SELECT truck_id FROM approval_trucks x WHERE x.approval_id = a.id ORDER BY 1) AS truck_ids,
         ARRAY(SELECT disposal_site_id FROM approval_disposal_sites x WHERE x.approval_id = a.id ORDER BY 1) AS disposal_site_ids,
         ARRAY(SELECT route_id FROM approval_routes x WHERE x.approval_id = a.id ORDER BY 1) AS route_ids,
         ARRAY(SELECT schedule_id FROM approval_time_windows x WHERE x.approval_id = a.id ORDER BY 1) AS time_window_ids
    FROM disposal_approvals a
    JOIN construction_sites s ON s.id = a.construction_site_id`;

function toApproval(row: ApprovalRow): DisposalApproval {
  return {
    id: row.id,
    number: row.number,
    constructionSiteId: row.construction_site_id,
    constructionSiteName: row.construction_site_name,
    townCode: row.town_code,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    valid: row.valid,
    companyId: row.company_id,
    truckIds: row.truck_ids,
    disposalSiteIds: row.disposal_site_ids,
    routeIds: row.route_ids,
    timeWindowIds: row.time_window_ids,
    demo: row.demo,
  };
}

type Parsed = Required<DisposalApprovalInput>;

const LINKS = [
  { field: 'truckIds', table: 'approval_trucks', column: 'truck_id' },
  { field: 'disposalSiteIds', table: 'approval_disposal_sites', column: 'disposal_site_id' },
  { field: 'routeIds', table: 'approval_routes', column: 'route_id' },
  { field: 'timeWindowIds', table: 'approval_time_windows', column: 'schedule_id' },
] as const;

async function parseApproval(sql: Sql, body: unknown): Promise<Parsed> {
  const input: Input = Input.of(body);
  const number = input.text('number', { max: 80 });
  const constructionSiteId = input.uuid('constructionSiteId');
  if (!(await sql.query(`SELECT 1 FROM construction_sites WHERE id = $1`, [constructionSiteId])).rowCount) {
    input.fail('constructionSiteId', `constructionSiteId: no construction site ${constructionSiteId}`);
  }
  const validFrom = input.date('validFrom');
  const validTo = input.date('validTo');
  if (validTo < validFrom) input.fail('validTo', `validTo ${validTo} is before validFrom ${validFrom}`);
  const companyId = input.uuid('companyId');
  if (!(await sql.query(`SELECT 1 FROM transport_companies WHERE id = $1`, [companyId])).rowCount) {
    input.fail('companyId', `companyId: no transport company ${companyId}`);
  }
  const truckIds = input.uuids('truckIds');
  const disposalSiteIds = input.uuids('disposalSiteIds');
  const routeIds = input.uuids('routeIds');
  const timeWindowIds = input.uuids('timeWindowIds');

  const trucks = await sql.query<{ id: string; plate: string; company_id: string }>(`SELECT id, plate, company_id FROM trucks WHERE id = ANY($1::uuid[])`, [truckIds]);
  const truckById = new Map(trucks.rows.map((t) => [t.id, t]));
  for (const [i, id] of truckIds.entries()) {
    const truck = truckById.get(id);
    if (!truck) badInput(`truckIds.${i}`, `truckIds.${i}: no truck ${id}`);
    if (truck.company_id !== companyId) badInput(`truckIds.${i}`, `truckIds.${i}: truck ${truck.plate} belongs to another transport company than the contracted one`);
  }
  const disposal = await sql.query<{ id: string; name: string; status: string }>(`SELECT id, name, status FROM disposal_sites WHERE id = ANY($1::uuid[])`, [disposalSiteIds]);
  const disposalById = new Map(disposal.rows.map((d) => [d.id, d]));
  for (const [i, id] of disposalSiteIds.entries()) {
    const site = disposalById.get(id);
    if (!site) badInput(`disposalSiteIds.${i}`, `disposalSiteIds.${i}: no disposal site ${id}`);
    if (site.status !== 'licensed') badInput(`disposalSiteIds.${i}`, `disposalSiteIds.${i}: ${site.name} is ${site.status}; only a licensed disposal site can be designated`);
  }
  for (const [field, table, ids] of [
    ['routeIds', 'approved_routes', routeIds],
    ['timeWindowIds', 'time_window_schedules', timeWindowIds],
  ] as const) {
    const found = new Set((await sql.query<{ id: string }>(`SELECT id FROM ${table} WHERE id = ANY($1::uuid[])`, [ids])).rows.map((r) => r.id));
    const i = ids.findIndex((id) => !found.has(id));
    if (i >= 0) badInput(`${field}.${i}`, `${field}.${i}: no ${field === 'routeIds' ? 'approved route' : 'time window schedule'} ${ids[i]}`);
  }
  return { number, constructionSiteId, validFrom, validTo, companyId, truckIds, disposalSiteIds, routeIds, timeWindowIds };
}

export interface ApprovalFilter {
  constructionSiteId?: string;
  companyId?: string;
  validOn?: string;
}

/**
 * 建筑垃圾处置核准: a construction site's approval, with validity, the contracted company and its
 * trucks, designated (licensed) disposal sites, approved routes and time windows. A site may hold
 * several over time. Town officials see the approvals of their own town's sites only.
 */
@Injectable()
export class ApprovalsService {
  constructor(private readonly db: RegistryDb) {}

  async list(filter: ApprovalFilter, principal?: Principal): Promise<DisposalApproval[]> {
    const params: unknown[] = [
      filter.constructionSiteId ? requireUuidParam('construction_site', filter.constructionSiteId) : null,
      filter.companyId ? requireUuidParam('company', filter.companyId) : null,
      filter.validOn ? dayParam('validOn', filter.validOn) : null,
      townScope(principal),
    ];
    const rows = await this.db.rows<ApprovalRow>(
      `${SELECT}
        WHERE ($1::uuid IS NULL OR a.construction_site_id = $1) AND ($2::uuid IS NULL OR a.company_id = $2)
          AND ($3::date IS NULL OR $3::date BETWEEN a.valid_from AND a.valid_to) AND ($4::text IS NULL OR s.town_code = $4)
        ORDER BY s.name, a.valid_from DESC`,
      params,
    );
    return rows.map(toApproval);
  }

  async get(id: string, principal?: Principal, sql: Sql = this.db.sql): Promise<DisposalApproval> {
    requireUuidParam('approval', id);
    const { rows } = await sql.query<ApprovalRow>(`${SELECT} WHERE a.id = $1 AND ($2::text IS NULL OR s.town_code = $2)`, [id, townScope(principal)]);
    return rows[0] ? toApproval(rows[0]) : notFound('approval', id);
  }

  private async save(sql: Sql, id: string, p: Parsed): Promise<void> {
    for (const link of LINKS) {
      await sql.query(`DELETE FROM ${link.table} WHERE approval_id = $1`, [id]);
      await sql.query(`INSERT INTO ${link.table} (approval_id, ${link.column}) SELECT $1, unnest($2::uuid[])`, [id, p[link.field]]);
    }
  }

  async create(actor: Actor, body: unknown): Promise<DisposalApproval> {
    const p = await parseApproval(this.db.sql, body);
    return this.db.write(actor, async (tx) => {
      const { rows } = await orConflict(
        tx.sql.query<{ id: string }>(
          `INSERT INTO disposal_approvals (number, construction_site_id, company_id, valid_from, valid_to) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [p.number, p.constructionSiteId, p.companyId, p.validFrom, p.validTo],
        ),
        { disposal_approvals_number_key: 'number' },
      );
      const id = rows[0]!.id;
      await this.save(tx.sql, id, p);
      const after = await this.get(id, undefined, tx.sql);
      await tx.audited('approval', 'create', id, null, after);
      return after;
    });
  }

  async update(actor: Actor, id: string, body: unknown): Promise<DisposalApproval> {
    const before = await this.get(id);
    const p = await parseApproval(this.db.sql, patched(before, body));
    return this.db.write(actor, async (tx) => {
      await orConflict(
        tx.sql.query(
          `UPDATE disposal_approvals SET number = $2, construction_site_id = $3, company_id = $4, valid_from = $5, valid_to = $6, updated_at = now() WHERE id = $1`,
          [id, p.number, p.constructionSiteId, p.companyId, p.validFrom, p.validTo],
        ),
        { disposal_approvals_number_key: 'number' },
      );
      await this.save(tx.sql, id, p);
      const after = await this.get(id, undefined, tx.sql);
      await tx.audited('approval', 'update', id, before, after);
      return after;
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const before = await this.get(id);
    await this.db.write(actor, async (tx) => {
      await tx.sql.query(`DELETE FROM disposal_approvals WHERE id = $1`, [id]);
      await tx.audited('approval', 'delete', id, before, null);
    });
  }
}
