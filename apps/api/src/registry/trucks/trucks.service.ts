import { Injectable } from '@nestjs/common';
import type { TerminalBinding, TruckInput, TruckPosition, TruckRecord } from '@muckwatch/contracts';
import { checkPlate } from '@muckwatch/domain';
import type { Principal } from '../../auth/principal.js';
import { LatestPositionsRepository } from '../../live/latest-positions.repository.js';
import { TownScope } from '../../live/town-scope.js';
import { conflict, Input, notFound, patched, requireUuidParam } from '../common/input.js';
import { today } from '../common/local-date.js';
import { orConflict } from '../common/pg-errors.js';
import { type Actor, RegistryDb, type Sql } from '../common/registry-db.js';
import { townScope } from '../common/scope.js';

interface TruckRow {
  id: string;
  plate: string;
  plate_kind: TruckRecord['plateKind'];
  company_id: string;
  company_name: string;
  model: string | null;
  rated_load_t: string | null;
  sealed: boolean;
  sealing_certificate_no: string | null;
  sealed_certified_on: string | null;
  permit_no: string | null;
  permit_valid_from: string | null;
  permit_valid_to: string | null;
  permit_valid: boolean;
  terminal_id: string | null;
  bound_at: Date | null;
  demo: boolean;
}

/** $1 = today (local date): the permit is valid when it has a number and today lies in its period. */
const SELECT = `
  SELECT tr.id, tr.plate, tr.plate_kind, tr.company_id, c.name AS company_name, tr.model, tr.rated_load_t, tr.sealed,
         tr.sealing_certificate_no, to_char(tr.sealed_certified_on, 'YYYY-MM-DD') AS sealed_certified_on, tr.permit_no,
         to_char(tr.permit_valid_from, 'YYYY-MM-DD') AS permit_valid_from, to_char(tr.permit_valid_to, 'YYYY-MM-DD') AS permit_valid_to,
         (tr.permit_no IS NOT NULL AND tr.permit_valid_from <= $1::date AND tr.permit_valid_to >= $1::date) AS permit_valid,
         te.terminal_id, te.bound_at, tr.demo
    FROM trucks tr
    JOIN transport_companies c ON c.id = tr.company_id
    LEFT JOIN terminals te ON te.truck_id = tr.id`;

function toTruck(row: TruckRow, latest: TruckPosition | null): TruckRecord {
  return {
    truckId: row.id,
    plate: row.plate,
    plateKind: row.plate_kind,
    companyId: row.company_id,
    companyName: row.company_name,
    model: row.model,
    ratedLoadT: row.rated_load_t === null ? null : Number(row.rated_load_t),
    sealed: row.sealed,
    sealingCertificateNo: row.sealing_certificate_no,
    sealedCertifiedOn: row.sealed_certified_on,
    permitNo: row.permit_no,
    permitValidFrom: row.permit_valid_from,
    permitValidTo: row.permit_valid_to,
    permitValid: row.permit_valid,
    terminalId: row.terminal_id,
    terminalBoundAt: row.bound_at?.toISOString() ?? null,
    latest,
    demo: row.demo,
  };
}

/** What the audit log keeps of a truck: its registry fields, not its latest position. */
function auditView(truck: TruckRecord): Omit<TruckRecord, 'latest'> {
  const { latest: _latest, ...rest } = truck;
  return rest;
}

type ParsedTruck = Required<TruckInput> & { plateKind: TruckRecord['plateKind'] };

export async function parseTruck(sql: Sql, body: unknown, prefix = ''): Promise<ParsedTruck> {
  const input: Input = Input.of(body, prefix);
  const rawPlate = input.text('plate', { max: 20 });
  const plate = checkPlate(rawPlate);
  if (!plate.valid) input.fail('plate', `plate ${rawPlate} is not a Chinese plate: ${plate.reason}`);
  const companyId = input.uuid('companyId');
  const company = await sql.query(`SELECT 1 FROM transport_companies WHERE id = $1`, [companyId]);
  if (!company.rowCount) input.fail('companyId', `companyId: no transport company ${companyId}`);
  const sealed = input.bool('sealed', false);
  const permitNo = input.optionalText('permitNo', { max: 60 });
  const permitValidFrom = input.optionalDate('permitValidFrom');
  const permitValidTo = input.optionalDate('permitValidTo');
  if (permitNo !== null) {
    if (!sealed) input.fail('permitNo', 'permitNo: a transport permit (准运证) is only for sealed trucks; set sealed first');
    if (permitValidFrom === null) input.fail('permitValidFrom', 'permitValidFrom is required with a permit number');
    if (permitValidTo === null) input.fail('permitValidTo', 'permitValidTo is required with a permit number');
  }
  if (permitValidFrom !== null && permitValidTo !== null && permitValidTo < permitValidFrom) {
    input.fail('permitValidTo', `permitValidTo ${permitValidTo} is before permitValidFrom ${permitValidFrom}`);
  }
  return {
    plate: plate.plate,
    plateKind: plate.kind,
    companyId,
    model: input.optionalText('model', { max: 100 }),
    ratedLoadT: input.optionalNumber('ratedLoadT', { min: 0, max: 100, exclusiveMin: true }),
    sealed,
    sealingCertificateNo: input.optionalText('sealingCertificateNo', { max: 60 }),
    sealedCertifiedOn: input.optionalDate('sealedCertifiedOn'),
    permitNo,
    permitValidFrom,
    permitValidTo,
  };
}

const UNIQUE = { trucks_plate_key: 'plate' };

/**
 * 渣土车: plate, company, rated load, sealing certification, transport permit; the bound terminal is
 * read-only here. A town official sees only the trucks in their own town: by the live map's
 * definition (TownScope), the trucks whose latest position lies inside the town; another truck by id
 * is 404.
 */
@Injectable()
export class TrucksService {
  constructor(
    private readonly db: RegistryDb,
    private readonly latest: LatestPositionsRepository,
    private readonly towns: TownScope,
  ) {}

  async list(filter: { companyId?: string } = {}, principal?: Principal): Promise<TruckRecord[]> {
    const companyId = filter.companyId ? requireUuidParam('company', filter.companyId) : null;
    const [rows, positions] = await Promise.all([
      this.db.rows<TruckRow>(`${SELECT} WHERE ($2::uuid IS NULL OR tr.company_id = $2) ORDER BY tr.plate`, [today(), companyId]),
      this.latest.all(),
    ]);
    const byTerminal = new Map(positions.map((p) => [p.terminalId, p]));
    const trucks = rows.map((row) => toTruck(row, row.terminal_id ? (byTerminal.get(row.terminal_id) ?? null) : null));
    const visible = await this.visibleTo(principal);
    return trucks.filter(visible);
  }

  async get(id: string, principal?: Principal, sql: Sql = this.db.sql): Promise<TruckRecord> {
    requireUuidParam('truck', id);
    const { rows } = await sql.query<TruckRow>(`${SELECT} WHERE tr.id = $2`, [today(), id]);
    if (!rows[0]) notFound('truck', id);
    const latest = rows[0].terminal_id ? ((await this.latest.all()).find((p) => p.terminalId === rows[0]!.terminal_id) ?? null) : null;
    const truck = toTruck(rows[0], latest);
    return (await this.visibleTo(principal))(truck) ? truck : notFound('truck', id);
  }

  /** Whether the caller may see a truck: everyone but a town official sees them all. */
  private async visibleTo(principal: Principal | undefined): Promise<(truck: TruckRecord) => boolean> {
    const town = townScope(principal);
    if (town === null) return () => true;
    await this.towns.ready();
    return (truck) => truck.latest !== null && this.towns.townAt(truck.latest.lon, truck.latest.lat) === town;
  }

  private async record(sql: Sql, id: string): Promise<Omit<TruckRecord, 'latest'>> {
    const { rows } = await sql.query<TruckRow>(`${SELECT} WHERE tr.id = $2`, [today(), id]);
    if (!rows[0]) notFound('truck', id);
    return auditView(toTruck(rows[0], null));
  }

  async create(actor: Actor, body: unknown): Promise<TruckRecord> {
    const t = await parseTruck(this.db.sql, body);
    const id = await this.db.write(actor, async (tx) => {
      const { rows } = await orConflict(
        tx.sql.query<{ id: string }>(
          `INSERT INTO trucks (plate, plate_kind, company_id, model, rated_load_t, sealed, sealing_certificate_no, sealed_certified_on,
                               permit_no, permit_valid_from, permit_valid_to)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
          [t.plate, t.plateKind, t.companyId, t.model, t.ratedLoadT, t.sealed, t.sealingCertificateNo, t.sealedCertifiedOn, t.permitNo, t.permitValidFrom, t.permitValidTo],
        ),
        UNIQUE,
      );
      const after = await this.record(tx.sql, rows[0]!.id);
      await tx.audited('truck', 'create', after.truckId, null, after);
      return after.truckId;
    });
    return this.get(id);
  }

  async update(actor: Actor, id: string, body: unknown): Promise<TruckRecord> {
    const before = auditView(await this.get(id));
    const t = await parseTruck(this.db.sql, patched(before, body));
    await this.db.write(actor, async (tx) => {
      await orConflict(
        tx.sql.query(
          `UPDATE trucks SET plate = $2, plate_kind = $3, company_id = $4, model = $5, rated_load_t = $6, sealed = $7,
                  sealing_certificate_no = $8, sealed_certified_on = $9, permit_no = $10, permit_valid_from = $11,
                  permit_valid_to = $12, updated_at = now()
            WHERE id = $1`,
          [id, t.plate, t.plateKind, t.companyId, t.model, t.ratedLoadT, t.sealed, t.sealingCertificateNo, t.sealedCertifiedOn, t.permitNo, t.permitValidFrom, t.permitValidTo],
        ),
        UNIQUE,
      );
      await tx.audited('truck', 'update', id, before, await this.record(tx.sql, id));
    });
    return this.get(id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const before = auditView(await this.get(id));
    if (before.terminalId) {
      conflict('terminalId', `truck ${before.plate} still carries terminal ${before.terminalId}; unbind it first`, {
        code: 'registry.truck_has_terminal',
        params: { plate: before.plate, terminalId: before.terminalId },
      });
    }
    await this.db.write(actor, async (tx) => {
      await orConflict(tx.sql.query(`DELETE FROM trucks WHERE id = $1`, [id]));
      await tx.audited('truck', 'delete', id, before, null);
    });
  }

  async bindings(id: string, principal?: Principal): Promise<TerminalBinding[]> {
    await this.get(id, principal);
    return bindingsWhere(this.db.sql, 'truck_id = $1', id);
  }
}

interface BindingRow {
  id: string;
  terminal_id: string;
  truck_id: string;
  plate: string;
  bound_at: Date;
  unbound_at: Date | null;
}

export async function bindingsWhere(sql: Sql, where: string, value: string): Promise<TerminalBinding[]> {
  const { rows } = await sql.query<BindingRow>(
    `SELECT id::text, terminal_id, truck_id, plate, bound_at, unbound_at FROM terminal_bindings WHERE ${where} ORDER BY bound_at DESC, id DESC`,
    [value],
  );
  return rows.map((r) => ({
    id: r.id,
    terminalId: r.terminal_id,
    truckId: r.truck_id,
    plate: r.plate,
    boundAt: r.bound_at.toISOString(),
    unboundAt: r.unbound_at?.toISOString() ?? null,
  }));
}
