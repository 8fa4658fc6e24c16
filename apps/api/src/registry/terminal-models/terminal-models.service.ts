import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { checkTerminalModelBody, type TerminalModelInput, type TerminalModelRecord } from '@muckwatch/contracts';
import { notFound, requireUuidParam } from '../common/input.js';
import { orConflict } from '../common/pg-errors.js';
import { type Actor, RegistryDb, type Sql } from '../common/registry-db.js';
import { TerminalModelsRepository } from './terminal-models.repository.js';

/** A body the schema (libs/contracts/src/jt808/terminal-model-schema.ts) accepts, or a 400 naming the field. */
function checked(body: unknown, patch: boolean): Partial<TerminalModelInput> {
  const problem = checkTerminalModelBody(body, patch);
  if (problem) throw new BadRequestException({ code: problem.code, params: problem.params, message: problem.message, field: problem.field });
  return body as Partial<TerminalModelInput>;
}

function blankToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

/**
 * 终端型号: which maker / model a JT/T 808 terminal is, and how its reports and commands map
 * (libs/contracts/src/jt808/terminal-model.ts). Writes are audited with before and after
 * (registry-db.ts) and announced as 'registry.changed' (terminal_model), so the gateway can reload.
 */
@Injectable()
export class TerminalModelsService {
  constructor(
    private readonly db: RegistryDb,
    private readonly models: TerminalModelsRepository,
  ) {}

  list(): Promise<TerminalModelRecord[]> {
    return this.models.list();
  }

  async get(id: string, sql?: Sql, lock = false): Promise<TerminalModelRecord> {
    const uuid = requireUuidParam('terminal_model', id);
    return (await this.models.get(uuid, sql, lock)) ?? notFound('terminal_model', id);
  }

  async create(actor: Actor, body: unknown): Promise<TerminalModelRecord> {
    const input = checked(body, false);
    const row: Required<TerminalModelInput> = {
      maker: input.maker!.trim(),
      model: blankToNull(input.model),
      name: input.name!.trim(),
      notes: blankToNull(input.notes),
      mapping: input.mapping!,
    };
    return this.db.write(actor, async (tx) => {
      await this.refuseDuplicate(tx.sql, row, null);
      const id = await orConflict(this.models.insert(tx.sql, row), { terminal_models_match_key: 'model' });
      const after = await this.get(id, tx.sql);
      await tx.audited('terminal_model', 'create', id, null, after);
      return after;
    });
  }

  async update(actor: Actor, id: string, body: unknown): Promise<TerminalModelRecord> {
    const input = checked(body, true);
    return this.db.write(actor, async (tx) => {
      const before = await this.get(id, tx.sql, true);
      const row: Required<TerminalModelInput> = {
        maker: input.maker !== undefined ? input.maker.trim() : before.maker,
        model: input.model !== undefined ? blankToNull(input.model) : before.model,
        name: input.name !== undefined ? input.name.trim() : before.name,
        notes: input.notes !== undefined ? blankToNull(input.notes) : before.notes,
        mapping: input.mapping ?? before.mapping,
      };
      if (before.isFallback && (row.maker !== before.maker || row.model !== before.model)) {
        throw new ConflictException({ code: 'terminal_model.fallback_fixed', params: {}, message: 'the standard JT/T 808 row keeps its maker and model' });
      }
      await this.refuseDuplicate(tx.sql, row, before.id);
      await orConflict(this.models.update(tx.sql, before.id, row), { terminal_models_match_key: 'model' });
      const after = await this.get(before.id, tx.sql);
      await tx.audited('terminal_model', 'update', before.id, before, after);
      return after;
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.db.write(actor, async (tx) => {
      const before = await this.get(id, tx.sql, true);
      if (before.isFallback) {
        throw new ConflictException({ code: 'terminal_model.fallback_fixed', params: {}, message: 'the standard JT/T 808 row cannot be deleted' });
      }
      await this.models.delete(tx.sql, before.id);
      await tx.audited('terminal_model', 'delete', before.id, before, null);
    });
  }

  private async refuseDuplicate(sql: Sql, row: Required<TerminalModelInput>, exceptId: string | null): Promise<void> {
    const { rows } = await sql.query(
      `SELECT 1 FROM terminal_models WHERE lower(maker) = lower($1) AND lower(coalesce(model, '')) = lower(coalesce($2, '')) AND id IS DISTINCT FROM $3`,
      [row.maker, row.model, exceptId],
    );
    if (rows.length > 0) {
      throw new ConflictException({
        code: 'terminal_model.duplicate',
        params: { maker: row.maker, model: row.model ?? '*' },
        message: `maker ${row.maker} model ${row.model ?? '(any)'} already has a mapping`,
        field: 'model',
      });
    }
  }
}
