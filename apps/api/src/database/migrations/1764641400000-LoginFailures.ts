import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failed sign-ins counted per name typed, whether or not a user of that name exists, so the
 * lock-out answers an unknown name exactly as it answers a real one (no username enumeration).
 * A row is kept while locked or for a day after its last failure (the API deletes older rows), so
 * a spray of made-up names costs bounded rows, shared by every API instance. The users table's own
 * counters move here and are dropped; `down()` puts the counts of existing users back.
 */
export class LoginFailures1764641400000 implements MigrationInterface {
  name = 'LoginFailures1764641400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE login_failures (
        name            text PRIMARY KEY,
        failures        integer NOT NULL CHECK (failures > 0),
        locked_until    timestamptz,
        last_failure_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX login_failures_last_failure_idx ON login_failures (last_failure_at)`);
    await q.query(`
      INSERT INTO login_failures (name, failures, locked_until)
      SELECT lower(username), failed_logins, locked_until FROM users WHERE failed_logins > 0`);
    await q.query(`ALTER TABLE users DROP COLUMN failed_logins, DROP COLUMN locked_until`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN failed_logins integer NOT NULL DEFAULT 0, ADD COLUMN locked_until timestamptz`);
    await q.query(`
      UPDATE users u SET failed_logins = f.failures, locked_until = f.locked_until
        FROM login_failures f WHERE f.name = lower(u.username)`);
    await q.query(`DROP TABLE login_failures`);
  }
}
