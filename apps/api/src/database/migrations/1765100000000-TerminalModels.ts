import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DEFAULT_TERMINAL_MODELS } from '@muckwatch/contracts';

/**
 * JT/T 808 terminals' registry side: terminal models (终端型号, how each maker's terminals report
 * cover, body and load and take commands) and auth codes (鉴权码).
 *
 * `terminal_models`: one row per maker (model null = any model of it) or maker + model, matched
 * case-insensitively; the shipped defaults (libs/contracts/src/jt808/terminal-model-defaults.ts)
 * are seeded here once, the standard JT/T 808 row flagged `is_fallback` (at most one, never
 * deleted by the API). Later changes to the defaults need a migration of their own.
 *
 * `jt808_auth_codes`: like terminal_credentials, only a `$7$` hash is kept and at most one code per
 * terminal is active. Each row ends either `reissued` (a newer code replaced it) or `revoked` (an
 * admin revoked it: the terminal may not register again until an admin issues a code). The last
 * row of a terminal therefore says whether it is issued, revoked or never had a code.
 */
export class TerminalModels1765100000000 implements MigrationInterface {
  name = 'TerminalModels1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE terminal_models (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        default_key  text UNIQUE,
        maker        text NOT NULL CHECK (length(maker) BETWEEN 1 AND 100),
        model        text CHECK (model IS NULL OR length(model) BETWEEN 1 AND 100),
        name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        notes        text CHECK (notes IS NULL OR length(notes) <= 2000),
        mapping      jsonb NOT NULL CHECK (jsonb_typeof(mapping) = 'object'),
        is_default   boolean NOT NULL DEFAULT false,
        is_fallback  boolean NOT NULL DEFAULT false,
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX terminal_models_match_key ON terminal_models (lower(maker), lower(coalesce(model, '')))`);
    await q.query(`CREATE UNIQUE INDEX terminal_models_fallback_key ON terminal_models (is_fallback) WHERE is_fallback`);
    for (const model of DEFAULT_TERMINAL_MODELS) {
      await q.query(
        `INSERT INTO terminal_models (default_key, maker, model, name, notes, mapping, is_default, is_fallback)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, true, $7)`,
        [model.key, model.maker, model.model, model.name, model.notes, JSON.stringify(model.mapping), model.fallback === true],
      );
    }

    await q.query(`
      CREATE TABLE jt808_auth_codes (
        id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        terminal_id    text NOT NULL REFERENCES terminals (terminal_id) ON DELETE CASCADE,
        code_hash      text NOT NULL CHECK (code_hash LIKE '$7$%'),
        issued_at      timestamptz NOT NULL DEFAULT now(),
        issued_via     text NOT NULL CHECK (issued_via IN ('register', 'admin')),
        issued_by      uuid REFERENCES users (id),
        reported       jsonb,
        revoked_at     timestamptz,
        revoked_by     uuid REFERENCES users (id),
        revoke_reason  text CHECK (revoke_reason IN ('reissued', 'revoked')),
        CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL)),
        CHECK (revoked_at IS NULL OR revoked_at >= issued_at)
      )`);
    await q.query(`CREATE UNIQUE INDEX jt808_auth_codes_active_key ON jt808_auth_codes (terminal_id) WHERE revoked_at IS NULL`);
    await q.query(`CREATE INDEX jt808_auth_codes_terminal_idx ON jt808_auth_codes (terminal_id, id DESC)`);
    // JT/T 808 terminals name themselves by their phone number with leading zeros dropped.
    await q.query(`CREATE INDEX terminals_sim_phone_idx ON terminals (ltrim(sim, '0')) WHERE sim IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Auth codes are re-issuable (terminals re-register); edited models are lost with the table.
    await q.query(`DROP INDEX terminals_sim_phone_idx`);
    await q.query(`DROP TABLE jt808_auth_codes`);
    await q.query(`DROP TABLE terminal_models`);
  }
}
