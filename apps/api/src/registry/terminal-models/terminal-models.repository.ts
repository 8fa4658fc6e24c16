import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import { STANDARD_TERMINAL_MODEL, type TerminalModelInput, type TerminalModelMapping, type TerminalModelRecord } from '@muckwatch/contracts';
import { PG_POOL } from '../../database/database.module.js';
import type { Sql } from '../common/registry-db.js';

interface TerminalModelRow {
  id: string;
  maker: string;
  model: string | null;
  name: string;
  notes: string | null;
  mapping: TerminalModelMapping;
  is_default: boolean;
  is_fallback: boolean;
  created_at: Date;
  updated_at: Date;
}

const SELECT = `SELECT id, maker, model, name, notes, mapping, is_default, is_fallback, created_at, updated_at FROM terminal_models`;

function toRecord(row: TerminalModelRow): TerminalModelRecord {
  return {
    id: row.id,
    maker: row.maker,
    model: row.model,
    name: row.name,
    notes: row.notes,
    mapping: row.mapping,
    isDefault: row.is_default,
    isFallback: row.is_fallback,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/**
 * The SQL of terminal models (apps/api/src/database/migrations/1765100000000-TerminalModels.ts).
 * Shared by the registry's CRUD (terminal-models.service.ts) and the JT/T 808 auth service, which
 * resolves a terminal's mapping (`forTerminal`).
 */
@Injectable()
export class TerminalModelsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async list(): Promise<TerminalModelRecord[]> {
    const { rows } = await this.pool.query<TerminalModelRow>(`${SELECT} ORDER BY is_fallback DESC, lower(maker), lower(coalesce(model, ''))`);
    return rows.map(toRecord);
  }

  async get(id: string, sql: Sql = this.pool, lock = false): Promise<TerminalModelRecord | null> {
    const { rows } = await sql.query<TerminalModelRow>(`${SELECT} WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async insert(sql: Sql, input: Required<TerminalModelInput>): Promise<string> {
    const { rows } = await sql.query<{ id: string }>(
      `INSERT INTO terminal_models (maker, model, name, notes, mapping) VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING id`,
      [input.maker, input.model, input.name, input.notes, JSON.stringify(input.mapping)],
    );
    return rows[0]!.id;
  }

  async update(sql: Sql, id: string, input: Required<TerminalModelInput>): Promise<void> {
    await sql.query(`UPDATE terminal_models SET maker = $2, model = $3, name = $4, notes = $5, mapping = $6::jsonb, updated_at = now() WHERE id = $1`, [
      id,
      input.maker,
      input.model,
      input.name,
      input.notes,
      JSON.stringify(input.mapping),
    ]);
  }

  async delete(sql: Sql, id: string): Promise<void> {
    await sql.query(`DELETE FROM terminal_models WHERE id = $1 AND NOT is_fallback`, [id]);
  }

  /**
   * The model for a maker and model as a terminal names them (case-insensitive, trimmed): the row
   * with both, else the maker's row without a model, else the standard JT/T 808 fallback row (and
   * if even that is gone, the shipped standard mapping).
   */
  async match(maker: string | null, model: string | null, sql: Sql = this.pool): Promise<{ id: string | null; mapping: TerminalModelMapping }> {
    const { rows } = await sql.query<{ id: string; mapping: TerminalModelMapping }>(
      `SELECT id, mapping FROM terminal_models
        WHERE is_fallback
           OR (lower(maker) = lower(btrim($1::text)) AND (model IS NULL OR lower(model) = lower(btrim($2::text))))
        ORDER BY is_fallback, (model IS NOT NULL) DESC
        LIMIT 1`,
      [maker, model],
    );
    return rows[0] ?? { id: null, mapping: STANDARD_TERMINAL_MODEL.mapping };
  }

  /**
   * A terminal's mapping, by the registry's maker / model; where the registry names no maker, by
   * what the terminal reported when it last registered (its 0x0100 maker id and model). A terminal
   * the registry does not know gets the standard mapping.
   */
  async forTerminal(terminalId: string, sql: Sql = this.pool): Promise<{ id: string | null; mapping: TerminalModelMapping }> {
    const { rows } = await sql.query<{ maker: string | null; model: string | null }>(
      `SELECT coalesce(te.maker, c.reported->>'makerId') AS maker,
              CASE WHEN te.maker IS NULL THEN c.reported->>'model' ELSE te.model END AS model
         FROM terminals te
         LEFT JOIN LATERAL (SELECT reported FROM jt808_auth_codes WHERE terminal_id = te.terminal_id AND issued_via = 'register' ORDER BY id DESC LIMIT 1) c ON true
        WHERE te.terminal_id = $1`,
      [terminalId],
    );
    const row = rows[0];
    return this.match(row?.maker ?? null, row?.model ?? null, sql);
  }
}
