import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #4: trips (运次) and violation episodes (违规) produced by the compliance engine, and the
 * engine's per-terminal checkpoints.
 *
 * Ids are the engine's deterministic ids (`{terminalId}/trip/{startMs}`,
 * `{terminalId}/{type}/{startMs}`), so a replay upserts the same rows. No foreign keys to the
 * registry: a violation outlives a deleted truck or approval (its plate is kept as it was).
 * Evidence is kept twice: `evidence` (points with fix time and speed, what the engine kept) and
 * `evidence_geom` (the same track as a LineString, for spatial questions over history).
 * `status` (open/closed) is the engine's; `handling`, `assigned_department` and `note` are the
 * dispatcher's, and a replay never overwrites them.
 */
export class Compliance1764547200000 implements MigrationInterface {
  name = 'Compliance1764547200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE trips (
        id               text PRIMARY KEY,
        terminal_id      text NOT NULL,
        truck_id         uuid,
        plate            text,
        approval_id      uuid,
        approval_number  text,
        origin_id        uuid,
        origin_kind      text,
        origin_name      text,
        destination_id   uuid,
        destination_name text,
        started_at       timestamptz NOT NULL,
        start_geom       geometry(Point, 4326) NOT NULL,
        ended_at         timestamptz,
        end_geom         geometry(Point, 4326),
        town_code        text,
        distance_m       double precision NOT NULL DEFAULT 0,
        status           text NOT NULL CHECK (status IN ('open', 'closed', 'unclosed', 'abandoned')),
        reasons          jsonb NOT NULL DEFAULT '[]',
        reported_late    boolean NOT NULL DEFAULT false,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX trips_started_idx ON trips (started_at DESC)`);
    await q.query(`CREATE INDEX trips_terminal_idx ON trips (terminal_id, started_at)`);
    await q.query(`CREATE INDEX trips_town_idx ON trips (town_code, started_at DESC)`);

    await q.query(`
      CREATE TABLE violations (
        id                  text PRIMARY KEY,
        type                text NOT NULL,
        severity            text NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
        status              text NOT NULL CHECK (status IN ('open', 'closed')),
        terminal_id         text NOT NULL,
        truck_id            uuid,
        plate               text,
        trip_id             text,
        approval_id         uuid,
        subject_id          text,
        started_at          timestamptz NOT NULL,
        start_geom          geometry(Point, 4326) NOT NULL,
        ended_at            timestamptz,
        end_geom            geometry(Point, 4326),
        town_code           text,
        params              jsonb NOT NULL DEFAULT '{}',
        reasons             jsonb NOT NULL DEFAULT '[]',
        peak                double precision,
        reported_late       boolean NOT NULL DEFAULT false,
        evidence            jsonb NOT NULL DEFAULT '[]',
        evidence_thinned    boolean NOT NULL DEFAULT false,
        evidence_geom       geometry(LineString, 4326),
        handling            text NOT NULL DEFAULT 'new' CHECK (handling IN ('new', 'dispatched', 'resolved', 'dismissed')),
        assigned_department text,
        note                text,
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT violations_end CHECK ((status = 'closed') = (ended_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX violations_started_idx ON violations (started_at DESC)`);
    await q.query(`CREATE INDEX violations_terminal_idx ON violations (terminal_id, started_at)`);
    await q.query(`CREATE INDEX violations_town_idx ON violations (town_code, started_at DESC)`);
    await q.query(`CREATE INDEX violations_department_idx ON violations (assigned_department, started_at DESC) WHERE assigned_department IS NOT NULL`);
    await q.query(`CREATE INDEX violations_open_idx ON violations (started_at DESC) WHERE status = 'open'`);

    // The engine's state per terminal at a fix time (TruckComplianceState, plain JSON): restart and
    // late-fix replays start from the newest one before the fixes they need.
    await q.query(`
      CREATE TABLE compliance_checkpoints (
        terminal_id   text NOT NULL,
        last_fix_time timestamptz NOT NULL,
        state         jsonb NOT NULL,
        saved_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (terminal_id, last_fix_time)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Drops what the engine derived from stored fixes; a replay of positions rebuilds it, except
    // dispatchers' assignments and notes on violations.
    await q.query(`DROP TABLE compliance_checkpoints`);
    await q.query(`DROP TABLE violations`);
    await q.query(`DROP TABLE trips`);
  }
}
