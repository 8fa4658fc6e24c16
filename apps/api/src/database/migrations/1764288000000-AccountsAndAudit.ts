import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People, their sessions, and the append-only audit log (issue #5).
 *
 * The audit log is enforced in the database: UPDATE and TRUNCATE are refused always, DELETE for
 * rows younger than 180 days (the minimum retention), whoever asks. `down()` refuses to drop a
 * non-empty audit log: that would destroy evidence.
 */
export class AccountsAndAudit1764288000000 implements MigrationInterface {
  name = 'AccountsAndAudit1764288000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username            text NOT NULL CHECK (username ~ '^[A-Za-z0-9._-]{3,32}$'),
        display_name        text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 64),
        password_hash       text NOT NULL,
        role                text NOT NULL CHECK (role IN ('admin', 'dispatcher', 'town_official', 'enforcement_officer', 'auditor')),
        town_code           text REFERENCES towns (code),
        department          text CHECK (length(department) BETWEEN 1 AND 64),
        disabled            boolean NOT NULL DEFAULT false,
        failed_logins       integer NOT NULL DEFAULT 0,
        locked_until        timestamptz,
        password_changed_at timestamptz NOT NULL DEFAULT now(),
        last_login_at       timestamptz,
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_town_scope CHECK ((role = 'town_official') = (town_code IS NOT NULL)),
        CONSTRAINT users_department_scope CHECK ((role = 'enforcement_officer') = (department IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX users_username_key ON users (lower(username))`);

    await q.query(`
      CREATE TABLE sessions (
        id             uuid PRIMARY KEY,
        user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        refresh_hash   text NOT NULL UNIQUE,
        created_at     timestamptz NOT NULL DEFAULT now(),
        last_used_at   timestamptz NOT NULL DEFAULT now(),
        expires_at     timestamptz NOT NULL,
        revoked_at     timestamptz,
        revoked_reason text,
        ip             text,
        user_agent     text
      )`);
    await q.query(`CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE revoked_at IS NULL`);

    await q.query(`
      CREATE TABLE audit_log (
        id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at             timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor_id       uuid,
        actor_username text,
        actor_role     text,
        ip             text,
        user_agent     text,
        action         text NOT NULL,
        outcome        text NOT NULL CHECK (outcome IN ('success', 'denied', 'failure')),
        resource_type  text,
        resource_id    text,
        before         jsonb,
        after          jsonb,
        detail         jsonb
      )`);
    await q.query(`CREATE INDEX audit_log_at_idx ON audit_log (at DESC)`);
    await q.query(`CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at DESC)`);
    await q.query(`CREATE INDEX audit_log_resource_idx ON audit_log (resource_type, resource_id, at DESC)`);
    await q.query(`
      CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF OLD.at < now() - interval '180 days' THEN RETURN OLD; END IF;
        END IF;
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE FUNCTION audit_log_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: TRUNCATE refused' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()`);
    await q.query(`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_truncate()`);
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC`);
  }

  async down(q: QueryRunner): Promise<void> {
    const rows = (await q.query(`SELECT count(*)::int AS n FROM audit_log`)) as Array<{ n: number }>;
    if ((rows[0]?.n ?? 0) > 0) {
      throw new Error('refusing to drop a non-empty audit_log: export and archive it first');
    }
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP FUNCTION audit_log_refuse_change()`);
    await q.query(`DROP FUNCTION audit_log_refuse_truncate()`);
    await q.query(`DROP TABLE sessions`);
    await q.query(`DROP TABLE users`);
  }
}
