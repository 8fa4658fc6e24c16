import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Remote control (智能管控, apps/api/src/commands/): every command sent to a truck's terminal is a
 * row of `terminal_commands` — who or which policy, why, each attempt, the terminal's answer, and
 * the release of a restriction (by whom, when, by which command). `control_policy_settings` holds
 * the administrator's switch of each control policy and its settings; every policy starts off.
 * Rows are claimed for delivery with FOR UPDATE SKIP LOCKED, so several API instances can share it.
 */
export class TerminalCommands1765008000000 implements MigrationInterface {
  name = 'TerminalCommands1765008000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE terminal_commands (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        terminal_id         text NOT NULL CHECK (terminal_id ~ '^[A-Za-z0-9_-]{1,32}$'),
        truck_id            uuid REFERENCES trucks (id) ON DELETE SET NULL,
        kind                text NOT NULL CHECK (kind IN ('lock', 'unlock', 'speed_cap', 'speed_release', 'lift_inhibit', 'lift_release', 'display_text')),
        family              text NOT NULL CHECK (family IN ('lock', 'speed', 'lift', 'display')),
        params              jsonb NOT NULL DEFAULT '{}'::jsonb,
        reason              text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
        origin              text NOT NULL CHECK (origin IN ('manual', 'policy')),
        policy              text CHECK (policy IN ('lift_outside_disposal', 'speed_cap_cover_open', 'lock_unlicensed')),
        issued_by_id        uuid,
        issued_by           text,
        created_at          timestamptz NOT NULL DEFAULT now(),
        expires_at          timestamptz,
        state               text NOT NULL DEFAULT 'pending'
                            CHECK (state IN ('pending', 'sent', 'acknowledged', 'refused', 'unsupported', 'failed', 'timed_out', 'expired', 'superseded')),
        attempts            integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        last_sent_at        timestamptz,
        door                text CHECK (door IN ('mqtt', 'jt808')),
        acknowledged_at     timestamptz,
        settled_at          timestamptz,
        answer              text CHECK (answer IN ('acknowledged', 'refused', 'unsupported', 'failed', 'timeout')),
        answer_detail       text CHECK (length(answer_detail) <= 500),
        released_at         timestamptz,
        released_by         text,
        released_by_command uuid REFERENCES terminal_commands (id) ON DELETE SET NULL,
        CHECK ((origin = 'policy') = (policy IS NOT NULL)),
        CHECK (origin = 'policy' OR issued_by IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX terminal_commands_terminal_idx ON terminal_commands (terminal_id, created_at DESC)`);
    await q.query(`CREATE INDEX terminal_commands_truck_idx ON terminal_commands (truck_id, created_at DESC)`);
    // The delivery loop's and the policies' working set: what is still to be sent or in force.
    await q.query(`CREATE INDEX terminal_commands_open_idx ON terminal_commands (terminal_id, family) WHERE state IN ('pending', 'sent')`);
    await q.query(`CREATE INDEX terminal_commands_in_force_idx ON terminal_commands (terminal_id, family)
                     WHERE state IN ('pending', 'sent', 'acknowledged') AND released_at IS NULL`);
    await q.query(`
      CREATE TABLE control_policy_settings (
        policy     text PRIMARY KEY CHECK (policy IN ('lift_outside_disposal', 'speed_cap_cover_open', 'lock_unlicensed')),
        enabled    boolean NOT NULL DEFAULT false,
        params     jsonb NOT NULL DEFAULT '{}'::jsonb,
        updated_at timestamptz,
        updated_by text
      )`);
    await q.query(`
      INSERT INTO control_policy_settings (policy, enabled, params) VALUES
        ('lift_outside_disposal', false, '{}'::jsonb),
        ('speed_cap_cover_open', false, '{"speedKmh": 30}'::jsonb),
        ('lock_unlicensed', false, '{}'::jsonb)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS control_policy_settings`);
    await q.query(`DROP TABLE IF EXISTS terminal_commands`);
  }
}
