import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-terminal MQTT credentials (issue #5). A terminal's username is its terminal id; each issue
 * revokes the previous secret, so at most one row per terminal is active. Only a hash of the
 * secret is kept, in Mosquitto's `$7$` PBKDF2-SHA512 password-file format.
 */
export class TerminalCredentials1764374400000 implements MigrationInterface {
  name = 'TerminalCredentials1764374400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE terminal_credentials (
        id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        terminal_id  text NOT NULL REFERENCES terminals (terminal_id) ON DELETE CASCADE,
        secret_hash  text NOT NULL CHECK (secret_hash LIKE '$7$%'),
        issued_at    timestamptz NOT NULL DEFAULT now(),
        issued_by    uuid REFERENCES users (id),
        revoked_at   timestamptz,
        CHECK (revoked_at IS NULL OR revoked_at >= issued_at)
      )`);
    await q.query(`CREATE UNIQUE INDEX terminal_credentials_active_key ON terminal_credentials (terminal_id) WHERE revoked_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Credentials are re-issuable; dropping them only means terminals must be given new ones.
    await q.query(`DROP TABLE terminal_credentials`);
  }
}
