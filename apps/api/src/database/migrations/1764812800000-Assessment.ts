import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The monthly assessment of towns and streets (考核、排名): versioned methodologies, the admin's
 * adjustments (bonus, higher-level notifications, veto), and the frozen snapshots of closed months.
 *
 * `ranking_snapshots` is append-only in the database itself (like `audit_log`): a correction is a
 * new revision, never an edit. Its `inputs` and `result` are `json` (kept as the exact text the
 * API wrote, not `jsonb`, which reorders keys): the stored inputs re-scored with the stored
 * methodology give a result byte-identical to the stored one, and `inputs_sha256` is the hash of
 * exactly that text.
 *
 * Version 1 of the methodology is written here literally (libs/domain DEFAULT_METHODOLOGY as it
 * stood when this migration was written): a migration never changes when the code does. It is
 * stored as effective from 2000-01 so that every month the platform holds data for has a version.
 */
const METHODOLOGY_V1 = {
  base: 100,
  items: {
    A: { max: 20, perPointBelow: 1 },
    B: { max: 20, perCase: 2, tripsReference: 100 },
    C: { max: 25, perCase: 3, clearHours: 48, notClearedExtra: 2, recurrenceExtra: 5, recurrenceRadiusM: 200, recurrenceLookbackDays: 90 },
    D: { max: 15, perFinding: 1, areaStepM2: 500, perAreaStep: 1 },
    E: { max: 15, fullAtPercent: 95, perPointBelow: 0.5 },
    F: { max: 5, ledgerWeight: 2, coverageWeight: 1.5, dailyClearanceWeight: 1.5 },
  },
  finderWeights: { town: 0.5, district: 1, city: 1.5, higher: 2 },
  bonusCap: 3,
  notificationPoints: { city: 2, province: 5, cap: 10 },
  grades: { excellent: 90, good: 80 },
  redListSize: 3,
  blackListSize: 3,
  interviewAfterBlackMonths: 2,
};

const MONTH_CHECK = `~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`;

export class Assessment1764812800000 implements MigrationInterface {
  name = 'Assessment1764812800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE assessment_methodologies (
        version        integer PRIMARY KEY CHECK (version >= 1),
        effective_from text NOT NULL CHECK (effective_from ${MONTH_CHECK}),
        body           jsonb NOT NULL CHECK (jsonb_typeof(body) = 'object'),
        note           text CHECK (length(note) <= 500),
        created_by     text,
        created_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX assessment_methodologies_effective_idx ON assessment_methodologies (effective_from, version)`);
    await q.query(
      `INSERT INTO assessment_methodologies (version, effective_from, body, note) VALUES (1, '2000-01', $1::jsonb, $2)`,
      [JSON.stringify(METHODOLOGY_V1), '默认考核办法（docs/ranking.md）'],
    );

    await q.query(`
      CREATE TABLE ranking_adjustments (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        month        text NOT NULL CHECK (month ${MONTH_CHECK}),
        town_code    text NOT NULL REFERENCES towns (code),
        kind         text NOT NULL CHECK (kind IN ('bonus', 'city_notification', 'province_notification', 'veto')),
        points       numeric(6, 2) CHECK (points >= 0 AND points <= 100),
        veto_ground  text CHECK (veto_ground IN ('serious_accident', 'pollution_incident', 'inspector_notification', 'falsified_data')),
        reason       text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
        document_ref text NOT NULL CHECK (length(document_ref) BETWEEN 1 AND 100),
        created_by   text,
        created_at   timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ranking_adjustments_veto_ground CHECK ((kind = 'veto') = (veto_ground IS NOT NULL)),
        CONSTRAINT ranking_adjustments_bonus_points CHECK (kind <> 'bonus' OR points IS NOT NULL)
      )`);
    // Item E reads the cases assigned in a month.
    await q.query(`CREATE INDEX violations_assigned_idx ON violations (assigned_at) WHERE assigned_at IS NOT NULL`);
    await q.query(`CREATE INDEX ranking_adjustments_month_idx ON ranking_adjustments (month, town_code)`);

    await q.query(`
      CREATE TABLE ranking_snapshots (
        month               text NOT NULL CHECK (month ${MONTH_CHECK}),
        revision            integer NOT NULL CHECK (revision >= 1),
        methodology_version integer NOT NULL REFERENCES assessment_methodologies (version),
        inputs              json NOT NULL,
        inputs_sha256       text NOT NULL CHECK (inputs_sha256 ~ '^[0-9a-f]{64}$'),
        result              json NOT NULL,
        reason              text CHECK (length(reason) <= 2000),
        changed_towns       text[] NOT NULL DEFAULT '{}',
        created_by          text,
        created_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (month, revision)
      )`);
    await q.query(`
      CREATE FUNCTION ranking_snapshots_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ranking_snapshots is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(
      `CREATE TRIGGER ranking_snapshots_append_only BEFORE UPDATE OR DELETE ON ranking_snapshots FOR EACH ROW EXECUTE FUNCTION ranking_snapshots_refuse_change()`,
    );
    await q.query(
      `CREATE TRIGGER ranking_snapshots_no_truncate BEFORE TRUNCATE ON ranking_snapshots FOR EACH STATEMENT EXECUTE FUNCTION ranking_snapshots_refuse_change()`,
    );
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ranking_snapshots FROM PUBLIC`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Frozen months are the office's published record: never dropped with data in them.
    const rows = (await q.query(`SELECT count(*)::int AS n FROM ranking_snapshots`)) as Array<{ n: number }>;
    if ((rows[0]?.n ?? 0) > 0) {
      throw new Error('refusing to drop ranking_snapshots with frozen months in it: export and archive them first');
    }
    await q.query(`DROP TABLE ranking_snapshots`);
    await q.query(`DROP FUNCTION ranking_snapshots_refuse_change()`);
    await q.query(`DROP TABLE ranking_adjustments`);
    await q.query(`DROP INDEX violations_assigned_idx`);
    await q.query(`DROP TABLE assessment_methodologies`);
  }
}
