import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Track replay's stored overviews (apps/api/src/replay/replay.repository.ts): for one terminal, one
 * past office day (Asia/Shanghai) and one simplification tolerance, the fix times the overview
 * keeps. `fix_count` is the day's number of stored fixes (valid or not) when it was computed: fixes
 * are only ever added (ON CONFLICT DO NOTHING, never updated; retention drops whole months), so an
 * equal count now means the very same fixes and the stored overview still holds; any late fix
 * changes the count and the day is computed again. `valid_count` is the day's share of `totalFixes`.
 */
export class ReplayOverviews1764990000000 implements MigrationInterface {
  name = 'ReplayOverviews1764990000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE replay_overviews (
        terminal_id   text NOT NULL,
        day_start     timestamptz NOT NULL,
        tolerance_deg double precision NOT NULL,
        fix_count     integer NOT NULL,
        valid_count   integer NOT NULL,
        kept          timestamptz[] NOT NULL,
        computed_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (terminal_id, day_start, tolerance_deg)
      )`);
    await q.query(`CREATE INDEX replay_overviews_day_idx ON replay_overviews (day_start)`);
  }

  async down(q: QueryRunner): Promise<void> {
    // A cache of what positions already hold: dropping it loses nothing, replay computes again.
    await q.query(`DROP TABLE IF EXISTS replay_overviews`);
  }
}
