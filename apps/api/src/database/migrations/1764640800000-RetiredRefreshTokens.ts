import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The refresh secrets a session has rotated away from (their SHA-256 only). A refresh cookie whose
 * secret is one of them proves it was copied: that ends the session. A cookie with an unknown
 * secret proves nothing and ends nothing, so knowing a session id no longer lets anyone end it.
 * `down()` drops only this table: sessions keep working, without reuse detection.
 */
export class RetiredRefreshTokens1764640800000 implements MigrationInterface {
  name = 'RetiredRefreshTokens1764640800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE session_retired_refreshes (
        refresh_hash text PRIMARY KEY,
        session_id   uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        retired_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX session_retired_refreshes_session_idx ON session_retired_refreshes (session_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE session_retired_refreshes`);
  }
}
