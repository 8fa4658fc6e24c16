import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Violation cases (案件): enforcing departments as registry data, the case workflow's columns on
 * `violations` (libs/domain/src/violations/case-workflow.ts is the rule book), each transition or
 * comment as a row of `violation_case_events`, and attachments stored in the database.
 *
 * Data carried over: `users.department` held a free-text name; it now holds a department CODE
 * (a foreign key). The four enforcing departments of the notice are seeded; every other name met
 * in users or in violations' `assigned_department` becomes a department of its own (`dept-<hash>`).
 * `handling` maps to `case_state` (new → new, dispatched → assigned to the department of that
 * name, or confirmed without one; resolved → closed; dismissed → dismissed, reason `other`), and
 * a `note` becomes a `comment` event on the timeline.
 *
 * The compliance engine's upsert (compliance-store.ts) names only the engine's columns, so a
 * replay never touches the case columns.
 */
export class ViolationCases1764720000000 implements MigrationInterface {
  name = 'ViolationCases1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE departments (
        code                   text PRIMARY KEY CHECK (code ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
        name                   text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
        default_deadline_hours integer NOT NULL DEFAULT 72 CHECK (default_deadline_hours BETWEEN 1 AND 8760),
        active                 boolean NOT NULL DEFAULT true,
        created_at             timestamptz NOT NULL DEFAULT now(),
        updated_at             timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      INSERT INTO departments (code, name) VALUES
        ('traffic-police', '交警大队'),
        ('urban-management', '综合行政执法局'),
        ('transport', '交通运输局'),
        ('ecology', '生态环境分局')`);
    await q.query(`
      INSERT INTO departments (code, name)
      SELECT DISTINCT 'dept-' || substr(md5(name), 1, 12), name
        FROM (SELECT btrim(department) AS name FROM users WHERE department IS NOT NULL
              UNION SELECT btrim(assigned_department) FROM violations WHERE assigned_department IS NOT NULL) AS names
       WHERE length(name) BETWEEN 1 AND 64
         AND name NOT IN (SELECT name FROM departments) AND name NOT IN (SELECT code FROM departments)
      ON CONFLICT DO NOTHING`);
    await q.query(`
      UPDATE users u SET department = d.code FROM departments d
       WHERE u.department IS NOT NULL AND d.name = btrim(u.department)`);
    await q.query(`ALTER TABLE users ADD CONSTRAINT users_department_fk FOREIGN KEY (department) REFERENCES departments (code)`);
    await q.query(`CREATE INDEX users_department_idx ON users (department) WHERE department IS NOT NULL`);

    await q.query(`
      ALTER TABLE violations
        ADD COLUMN case_state      text NOT NULL DEFAULT 'new'
          CHECK (case_state IN ('new', 'confirmed', 'dismissed', 'assigned', 'handled', 'returned', 'closed')),
        ADD COLUMN version         integer NOT NULL DEFAULT 1 CHECK (version >= 1),
        ADD COLUMN department_code text REFERENCES departments (code),
        ADD COLUMN deadline        timestamptz,
        ADD COLUMN assigned_at     timestamptz,
        ADD COLUMN handled_at      timestamptz,
        ADD COLUMN closed_at       timestamptz,
        ADD COLUMN dismiss_reason  text
          CHECK (dismiss_reason IN ('gps_drift', 'approved_exception', 'duplicate', 'test_device', 'sensor_fault', 'other')),
        ADD COLUMN outcome         jsonb`);
    await q.query(`
      UPDATE violations v SET
        department_code = d.code,
        case_state = CASE v.handling
          WHEN 'dispatched' THEN CASE WHEN d.code IS NULL THEN 'confirmed' ELSE 'assigned' END
          WHEN 'resolved' THEN 'closed'
          WHEN 'dismissed' THEN 'dismissed'
          ELSE 'new' END,
        assigned_at = CASE WHEN d.code IS NOT NULL THEN v.updated_at END,
        deadline = CASE WHEN v.handling = 'dispatched' AND d.code IS NOT NULL THEN v.updated_at + interval '72 hours' END,
        closed_at = CASE WHEN v.handling = 'resolved' THEN v.updated_at END,
        dismiss_reason = CASE WHEN v.handling = 'dismissed' THEN 'other' END
      FROM violations v2 LEFT JOIN departments d ON d.name = btrim(v2.assigned_department)
      WHERE v2.id = v.id AND (v.handling <> 'new' OR v.assigned_department IS NOT NULL OR v.note IS NOT NULL)`);

    await q.query(`
      CREATE TABLE violation_case_events (
        id              bigserial PRIMARY KEY,
        violation_id    text NOT NULL REFERENCES violations (id) ON DELETE CASCADE,
        at              timestamptz NOT NULL DEFAULT now(),
        action          text NOT NULL
          CHECK (action IN ('confirm', 'dismiss', 'assign', 'reassign', 'handle', 'return', 'close', 'reopen', 'comment')),
        from_state      text NOT NULL,
        to_state        text NOT NULL,
        actor_user_id   uuid,
        actor_username  text,
        actor_role      text,
        comment         text CHECK (length(comment) <= 2000),
        dismiss_reason  text,
        department_code text REFERENCES departments (code),
        deadline        timestamptz,
        outcome         jsonb
      )`);
    await q.query(`CREATE INDEX violation_case_events_violation_idx ON violation_case_events (violation_id, id)`);
    await q.query(`CREATE INDEX violation_case_events_department_idx ON violation_case_events (department_code, violation_id) WHERE department_code IS NOT NULL`);
    // What the old columns said, as the timeline's first entries (no actor: the migration).
    await q.query(`
      INSERT INTO violation_case_events (violation_id, at, action, from_state, to_state, department_code, deadline, dismiss_reason, comment)
      SELECT id, updated_at,
             CASE case_state WHEN 'assigned' THEN 'assign' WHEN 'confirmed' THEN 'confirm' WHEN 'closed' THEN 'close' ELSE 'dismiss' END,
             'new', case_state, department_code, deadline, dismiss_reason,
             CASE WHEN case_state = 'dismissed' THEN '（迁移）原处置状态 dismissed' END
        FROM violations WHERE case_state <> 'new'`);
    await q.query(`
      INSERT INTO violation_case_events (violation_id, at, action, from_state, to_state, comment)
      SELECT id, updated_at, 'comment', case_state, case_state, left(note, 2000) FROM violations WHERE note IS NOT NULL AND btrim(note) <> ''`);

    await q.query(`DROP INDEX IF EXISTS violations_department_idx`);
    await q.query(`ALTER TABLE violations DROP COLUMN handling, DROP COLUMN assigned_department, DROP COLUMN note`);

    await q.query(`
      CREATE TABLE violation_attachments (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        violation_id text NOT NULL REFERENCES violations (id) ON DELETE CASCADE,
        event_id     bigint REFERENCES violation_case_events (id) ON DELETE SET NULL,
        file_name    text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
        content_type text NOT NULL,
        size_bytes   integer NOT NULL CHECK (size_bytes >= 0),
        sha256       text NOT NULL,
        content      bytea NOT NULL,
        uploaded_by  text,
        uploaded_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX violation_attachments_violation_idx ON violation_attachments (violation_id, uploaded_at)`);
    await q.query(`CREATE INDEX violation_attachments_event_idx ON violation_attachments (event_id) WHERE event_id IS NOT NULL`);

    // The case list's filters and sorts (tests/bench/violations-list-bench.ts measures them).
    await q.query(`CREATE INDEX violations_case_state_idx ON violations (case_state, started_at DESC)`);
    await q.query(`CREATE INDEX violations_department_idx ON violations (department_code, started_at DESC) WHERE department_code IS NOT NULL`);
    await q.query(`CREATE INDEX violations_overdue_idx ON violations (deadline) WHERE case_state IN ('assigned', 'returned')`);
    await q.query(`CREATE INDEX violations_truck_idx ON violations (truck_id, started_at DESC) WHERE truck_id IS NOT NULL`);
    await q.query(`CREATE INDEX violations_plate_idx ON violations (plate, started_at DESC) WHERE plate IS NOT NULL`);
    await q.query(`CREATE INDEX violations_type_idx ON violations (type, started_at DESC)`);
    await q.query(`CREATE INDEX violations_updated_idx ON violations (updated_at DESC)`);
    // Each sort of the list walks an index in order, the id as the tiebreak (cases.repository.ts);
    // the severity and state ranks are the repository's expressions, character for character.
    await q.query(`CREATE INDEX violations_sort_started_idx ON violations (started_at, id)`);
    await q.query(`CREATE INDEX violations_sort_type_idx ON violations (type, id)`);
    await q.query(`CREATE INDEX violations_sort_deadline_asc_idx ON violations (deadline ASC NULLS LAST, id ASC)`);
    await q.query(`CREATE INDEX violations_sort_deadline_desc_idx ON violations (deadline DESC NULLS LAST, id DESC)`);
    await q.query(`CREATE INDEX violations_sort_severity_idx ON violations
      ((CASE severity WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 ELSE 4 END), id)`);
    await q.query(`CREATE INDEX violations_sort_state_idx ON violations
      ((array_position(ARRAY['new','confirmed','dismissed','assigned','handled','returned','closed']::text[], case_state)), id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of ['violations_case_state_idx', 'violations_department_idx', 'violations_overdue_idx', 'violations_truck_idx',
      'violations_plate_idx', 'violations_type_idx', 'violations_updated_idx', 'violations_sort_started_idx', 'violations_sort_type_idx',
      'violations_sort_deadline_asc_idx', 'violations_sort_deadline_desc_idx', 'violations_sort_severity_idx', 'violations_sort_state_idx']) {
      await q.query(`DROP INDEX IF EXISTS ${index}`);
    }
    await q.query(`
      ALTER TABLE violations
        ADD COLUMN handling text NOT NULL DEFAULT 'new' CHECK (handling IN ('new', 'dispatched', 'resolved', 'dismissed')),
        ADD COLUMN assigned_department text,
        ADD COLUMN note text`);
    // Back to the old shape: state to handling, the department by name, the latest comment as the note.
    await q.query(`
      UPDATE violations v SET
        handling = CASE v.case_state WHEN 'new' THEN 'new' WHEN 'dismissed' THEN 'dismissed' WHEN 'closed' THEN 'resolved' ELSE 'dispatched' END,
        assigned_department = (SELECT name FROM departments d WHERE d.code = v.department_code),
        note = (SELECT comment FROM violation_case_events e WHERE e.violation_id = v.id AND e.comment IS NOT NULL ORDER BY e.id DESC LIMIT 1)`);
    await q.query(`DROP TABLE violation_attachments`);
    await q.query(`DROP TABLE violation_case_events`);
    await q.query(`
      ALTER TABLE violations DROP COLUMN case_state, DROP COLUMN version, DROP COLUMN department_code, DROP COLUMN deadline,
        DROP COLUMN assigned_at, DROP COLUMN handled_at, DROP COLUMN closed_at, DROP COLUMN dismiss_reason, DROP COLUMN outcome`);
    await q.query(`CREATE INDEX violations_department_idx ON violations (assigned_department, started_at DESC) WHERE assigned_department IS NOT NULL`);
    await q.query(`DROP INDEX users_department_idx`);
    await q.query(`ALTER TABLE users DROP CONSTRAINT users_department_fk`);
    await q.query(`UPDATE users u SET department = d.name FROM departments d WHERE d.code = u.department`);
    await q.query(`DROP TABLE departments`);
  }
}
