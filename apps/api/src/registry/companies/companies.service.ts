import { Injectable } from '@nestjs/common';
import type { TransportCompany, TransportCompanyInput } from '@muckwatch/contracts';
import { checkUscc } from '@muckwatch/domain';
import { Input, notFound, patched, requireUuidParam } from '../common/input.js';
import { orConflict } from '../common/pg-errors.js';
import { type Actor, RegistryDb, type Sql } from '../common/registry-db.js';

interface CompanyRow {
  id: string;
  name: string;
  credit_code: string;
  address: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  truck_count: number;
  demo: boolean;
}

const SELECT = `
  SELECT c.id, c.name, c.credit_code, c.address, c.contact_name, c.contact_phone, c.demo,
         (SELECT count(*)::int FROM trucks t WHERE t.company_id = c.id) AS truck_count
    FROM transport_companies c`;

const UNIQUE = { transport_companies_name_key: 'name', transport_companies_credit_code_key: 'creditCode' };

function toCompany(row: CompanyRow): TransportCompany {
  return {
    id: row.id,
    name: row.name,
    creditCode: row.credit_code,
    address: row.address,
    contactName: row.contact_name,
    contactPhone: row.contact_phone,
    truckCount: row.truck_count,
    demo: row.demo,
  };
}

/** Validates a whole company body (create, or PATCH merged onto the current record). */
export function parseCompany(body: unknown): Required<TransportCompanyInput> {
  const input: Input = Input.of(body);
  const raw = input.text('creditCode', { max: 40 });
  const uscc = checkUscc(raw);
  if (!uscc.valid) input.fail('creditCode', `creditCode ${uscc.code} is not a valid unified social credit code: ${uscc.reason}`, {
      code: 'registry.credit_code_invalid',
      params: { creditCode: uscc.code },
    });
  const phone = input.optionalText('contactPhone', { max: 40 });
  if (phone !== null && !/^[0-9+\-() ]{5,40}$/.test(phone)) input.fail('contactPhone', 'contactPhone must be a telephone number', { code: 'registry.phone_invalid' });
  return {
    name: input.text('name', { max: 100 }),
    creditCode: uscc.code,
    address: input.optionalText('address'),
    contactName: input.optionalText('contactName', { max: 50 }),
    contactPhone: phone,
  };
}

/** 运输企业 */
@Injectable()
export class CompaniesService {
  constructor(private readonly db: RegistryDb) {}

  async list(): Promise<TransportCompany[]> {
    return (await this.db.rows<CompanyRow>(`${SELECT} ORDER BY c.name`)).map(toCompany);
  }

  async get(id: string, sql: Sql = this.db.sql): Promise<TransportCompany> {
    requireUuidParam('company', id);
    const { rows } = await sql.query<CompanyRow>(`${SELECT} WHERE c.id = $1`, [id]);
    return rows[0] ? toCompany(rows[0]) : notFound('company', id);
  }

  async create(actor: Actor, body: unknown): Promise<TransportCompany> {
    const c = parseCompany(body);
    return this.db.write(actor, async (tx) => {
      const { rows } = await orConflict(
        tx.sql.query<{ id: string }>(
          `INSERT INTO transport_companies (name, credit_code, address, contact_name, contact_phone) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [c.name, c.creditCode, c.address, c.contactName, c.contactPhone],
        ),
        UNIQUE,
      );
      const after = await this.get(rows[0]!.id, tx.sql);
      await tx.audited('company', 'create', after.id, null, after);
      return after;
    });
  }

  async update(actor: Actor, id: string, body: unknown): Promise<TransportCompany> {
    const before = await this.get(id);
    const c = parseCompany(patched(before, body));
    return this.db.write(actor, async (tx) => {
      await orConflict(
        tx.sql.query(
          `UPDATE transport_companies SET name = $2, credit_code = $3, address = $4, contact_name = $5, contact_phone = $6, updated_at = now() WHERE id = $1`,
          [id, c.name, c.creditCode, c.address, c.contactName, c.contactPhone],
        ),
        UNIQUE,
      );
      const after = await this.get(id, tx.sql);
      await tx.audited('company', 'update', id, before, after);
      return after;
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const before = await this.get(id);
    await this.db.write(actor, async (tx) => {
      await orConflict(tx.sql.query(`DELETE FROM transport_companies WHERE id = $1`, [id]));
      await tx.audited('company', 'delete', id, before, null);
    });
  }
}
