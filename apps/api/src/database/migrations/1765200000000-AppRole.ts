import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `muckwatch_app`: the role the API runs as when DATABASE_OWNER_URL is set (README
 * "Configuration", docs/operations.md). It owns no table whose rows are evidence — `audit_log`
 * and `ranking_snapshots` stay with the role that runs the migrations — so even the API's own
 * credentials cannot ALTER, DISABLE or DROP their append-only triggers, nor UPDATE, DELETE or
 * TRUNCATE them: it may only read and append there.
 *
 * Elsewhere it reads and writes rows. It owns `positions` and its month partitions, because the
 * API creates those partitions ahead and drops them for retention (positions/position-partitions.ts),
 * which PostgreSQL allows only to the partitioned table's owner; a role that does not own
 * `positions` itself (the owner, when not a superuser) is made a member of `muckwatch_app` to
 * keep that right. Tables that later migrations create get the same row rights by default
 * privileges; a later append-only table must REVOKE UPDATE, DELETE, TRUNCATE from it as here.
 *
 * The role is created NOLOGIN, without a password: a migration never holds a secret. At boot with
 * DATABASE_OWNER_URL the API (as the owner) gives it LOGIN and the password of DATABASE_URL
 * (database/app-role.ts). Roles belong to the server, not the database: every muckwatch database
 * on one server shares it (its rights are per database). On the embedded PGlite, which has one
 * superuser session, all this runs but changes nothing the API does.
 *
 * `down()` hands `positions` back and revokes this database's grants; it leaves the role, which
 * other databases on the server may use (DROP ROLE muckwatch_app by hand once none does).
 */
export class AppRole1765200000000 implements MigrationInterface {
  name = 'AppRole1765200000000';

  async up(q: QueryRunner): Promise<void> {
    // A DBA may have made the role (and the membership below) already: then no CREATEROLE is needed.
    await q.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'muckwatch_app') THEN
          CREATE ROLE muckwatch_app NOLOGIN;
        END IF;
      EXCEPTION
        WHEN duplicate_object OR unique_violation THEN NULL; -- another database on this server made it just now
        WHEN insufficient_privilege THEN
          RAISE EXCEPTION 'the migrations need to create the role muckwatch_app: run them as a role with CREATEROLE, or have a DBA run CREATE ROLE muckwatch_app NOLOGIN; GRANT muckwatch_app TO %', current_user;
      END $$`);
    // A non-superuser owner needs membership to hand `positions` over and keep creating partitions.
    await q.query(`
      DO $$ BEGIN
        IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AND NOT pg_has_role(current_user, 'muckwatch_app', 'MEMBER') THEN
          EXECUTE format('GRANT muckwatch_app TO %I', current_user);
        END IF;
      END $$`);
    await q.query(`GRANT USAGE, CREATE ON SCHEMA public TO muckwatch_app`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO muckwatch_app`);
    await q.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO muckwatch_app`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO muckwatch_app`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO muckwatch_app`);
    // Evidence: read and append only. The migrations' own ledger: read only.
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, ranking_snapshots FROM muckwatch_app`);
    await q.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON migrations FROM muckwatch_app`);
    await q.query(`ALTER TABLE positions OWNER TO muckwatch_app`);
    await ownPartitions(q, 'muckwatch_app');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE positions OWNER TO CURRENT_USER`);
    await ownPartitions(q, 'CURRENT_USER');
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM muckwatch_app`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM muckwatch_app`);
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM muckwatch_app`);
    await q.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM muckwatch_app`);
    await q.query(`REVOKE ALL ON SCHEMA public FROM muckwatch_app`);
  }
}

/** ALTER TABLE … OWNER on a partitioned table does not reach its partitions: each one in turn. */
async function ownPartitions(q: QueryRunner, owner: 'muckwatch_app' | 'CURRENT_USER'): Promise<void> {
  const rows = (await q.query(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'positions'::regclass`,
  )) as Array<{ name: string }>;
  for (const { name } of rows) await q.query(`ALTER TABLE ${quoteIdent(name)} OWNER TO ${owner}`);
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
