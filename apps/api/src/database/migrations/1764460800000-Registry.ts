import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The full registry of issue #3: company, truck, terminal and site attributes the walking
 * skeleton lacked; the terminal binding history (a terminal is bound to at most one truck at a
 * time, and each binding keeps its time so history stays attributable); approved routes, time
 * window schedules, disposal approvals with their trucks, disposal sites, routes and windows;
 * speed-limit zones.
 *
 * Binding history deliberately has no foreign keys: it outlives a deleted terminal or truck (the
 * plate is kept as it was). Approvals refuse deletion of what they refer to (409 at the API).
 */
export class Registry1764460800000 implements MigrationInterface {
  name = 'Registry1764460800000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['transport_companies', 'trucks', 'construction_sites', 'disposal_sites']) {
      await q.query(`ALTER TABLE ${table} ALTER COLUMN id SET DEFAULT gen_random_uuid()`);
    }
    for (const table of ['transport_companies', 'trucks', 'terminals', 'construction_sites', 'disposal_sites']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`);
    }
    await q.query(`ALTER TABLE transport_companies ADD COLUMN address text`);

    await q.query(`
      ALTER TABLE trucks
        ADD COLUMN plate_kind text NOT NULL DEFAULT 'fuel' CHECK (plate_kind IN ('fuel', 'new-energy', 'trailer')),
        ADD COLUMN model text,
        ADD COLUMN sealing_certificate_no text,
        ADD CONSTRAINT trucks_permit_period CHECK (permit_valid_to >= permit_valid_from),
        ADD CONSTRAINT trucks_rated_load CHECK (rated_load_t > 0)`);
    await q.query(`UPDATE trucks SET plate_kind = 'new-energy' WHERE plate ~ '[DF]$' OR plate ~ '^..[DF][A-Z0-9][0-9]{4}$'`);
    await q.query(`CREATE INDEX trucks_company_idx ON trucks (company_id)`);

    await q.query(`ALTER TABLE terminals ADD COLUMN installed_on date, ADD COLUMN bound_at timestamptz`);
    await q.query(`UPDATE terminals SET bound_at = created_at WHERE truck_id IS NOT NULL`);
    await q.query(`ALTER TABLE terminals ADD CONSTRAINT terminals_bound_at CHECK ((truck_id IS NULL) = (bound_at IS NULL))`);

    await q.query(`
      CREATE TABLE terminal_bindings (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        terminal_id text NOT NULL,
        truck_id    uuid NOT NULL,
        plate       text NOT NULL,
        bound_at    timestamptz NOT NULL,
        unbound_at  timestamptz,
        CHECK (unbound_at IS NULL OR unbound_at >= bound_at)
      )`);
    await q.query(`CREATE UNIQUE INDEX terminal_bindings_current_terminal ON terminal_bindings (terminal_id) WHERE unbound_at IS NULL`);
    await q.query(`CREATE UNIQUE INDEX terminal_bindings_current_truck ON terminal_bindings (truck_id) WHERE unbound_at IS NULL`);
    await q.query(`CREATE INDEX terminal_bindings_terminal_idx ON terminal_bindings (terminal_id, bound_at DESC)`);
    await q.query(`CREATE INDEX terminal_bindings_truck_idx ON terminal_bindings (truck_id, bound_at DESC)`);
    await q.query(`
      INSERT INTO terminal_bindings (terminal_id, truck_id, plate, bound_at)
      SELECT te.terminal_id, te.truck_id, tr.plate, te.bound_at FROM terminals te JOIN trucks tr ON tr.id = te.truck_id`);

    await q.query(`
      ALTER TABLE construction_sites
        ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('planned', 'active', 'finished'))`);
    await q.query(`CREATE INDEX construction_sites_town_idx ON construction_sites (town_code)`);

    await q.query(`
      ALTER TABLE disposal_sites
        ADD COLUMN address text,
        ADD COLUMN washing_facility boolean NOT NULL DEFAULT false,
        ADD COLUMN dust_control boolean NOT NULL DEFAULT false,
        ADD COLUMN distance_to_homes_m numeric(8, 1) CHECK (distance_to_homes_m >= 0),
        ADD COLUMN distance_to_schools_m numeric(8, 1) CHECK (distance_to_schools_m >= 0),
        ADD CONSTRAINT disposal_sites_capacity CHECK (capacity_m3 >= 0)`);

    await q.query(`
      CREATE TABLE approved_routes (
        id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name                 text NOT NULL,
        geom                 geometry(LineString, 4326) NOT NULL CHECK (ST_NPoints(geom) >= 2),
        corridor_width_m     numeric(7, 1) NOT NULL CHECK (corridor_width_m > 0),
        construction_site_id uuid REFERENCES construction_sites (id) ON DELETE SET NULL,
        disposal_site_id     uuid REFERENCES disposal_sites (id) ON DELETE SET NULL,
        demo                 boolean NOT NULL DEFAULT false,
        created_at           timestamptz NOT NULL DEFAULT now(),
        updated_at           timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX approved_routes_geom_idx ON approved_routes USING gist (geom)`);

    // Weekly windows and dated exceptions as validated by libs/domain (validateSchedule).
    await q.query(`
      CREATE TABLE time_window_schedules (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name        text NOT NULL,
        weekly      jsonb NOT NULL CHECK (jsonb_typeof(weekly) = 'array'),
        exceptions  jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(exceptions) = 'array'),
        demo        boolean NOT NULL DEFAULT false,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE disposal_approvals (
        id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number               text NOT NULL UNIQUE,
        construction_site_id uuid NOT NULL REFERENCES construction_sites (id),
        company_id           uuid NOT NULL REFERENCES transport_companies (id),
        valid_from           date NOT NULL,
        valid_to             date NOT NULL,
        demo                 boolean NOT NULL DEFAULT false,
        created_at           timestamptz NOT NULL DEFAULT now(),
        updated_at           timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT disposal_approvals_period CHECK (valid_to >= valid_from)
      )`);
    await q.query(`CREATE INDEX disposal_approvals_site_idx ON disposal_approvals (construction_site_id, valid_to)`);
    await q.query(`CREATE INDEX disposal_approvals_company_idx ON disposal_approvals (company_id)`);
    for (const [table, column, target] of [
      ['approval_trucks', 'truck_id', 'trucks'],
      ['approval_disposal_sites', 'disposal_site_id', 'disposal_sites'],
      ['approval_routes', 'route_id', 'approved_routes'],
      ['approval_time_windows', 'schedule_id', 'time_window_schedules'],
    ] as const) {
      await q.query(`
        CREATE TABLE ${table} (
          approval_id uuid NOT NULL REFERENCES disposal_approvals (id) ON DELETE CASCADE,
          ${column}   uuid NOT NULL REFERENCES ${target} (id),
          PRIMARY KEY (approval_id, ${column})
        )`);
      await q.query(`CREATE INDEX ${table}_${column}_idx ON ${table} (${column})`);
    }

    await q.query(`
      CREATE TABLE speed_zones (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name             text NOT NULL,
        limit_kmh        numeric(5, 1) NOT NULL CHECK (limit_kmh > 0),
        geom             geometry(Geometry, 4326) NOT NULL CHECK (GeometryType(geom) IN ('POLYGON', 'LINESTRING') AND ST_IsValid(geom)),
        corridor_width_m numeric(7, 1) CHECK (corridor_width_m > 0),
        demo             boolean NOT NULL DEFAULT false,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT speed_zones_corridor CHECK ((GeometryType(geom) = 'LINESTRING') = (corridor_width_m IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX speed_zones_geom_idx ON speed_zones USING gist (geom)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'speed_zones',
      'approval_time_windows',
      'approval_routes',
      'approval_disposal_sites',
      'approval_trucks',
      'disposal_approvals',
      'time_window_schedules',
      'approved_routes',
      'terminal_bindings',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
    await q.query(`
      ALTER TABLE disposal_sites DROP CONSTRAINT disposal_sites_capacity, DROP COLUMN distance_to_schools_m,
        DROP COLUMN distance_to_homes_m, DROP COLUMN dust_control, DROP COLUMN washing_facility, DROP COLUMN address`);
    await q.query(`DROP INDEX construction_sites_town_idx`);
    await q.query(`ALTER TABLE construction_sites DROP COLUMN status`);
    await q.query(`ALTER TABLE terminals DROP CONSTRAINT terminals_bound_at, DROP COLUMN bound_at, DROP COLUMN installed_on`);
    await q.query(`DROP INDEX trucks_company_idx`);
    await q.query(`
      ALTER TABLE trucks DROP CONSTRAINT trucks_rated_load, DROP CONSTRAINT trucks_permit_period,
        DROP COLUMN sealing_certificate_no, DROP COLUMN model, DROP COLUMN plate_kind`);
    await q.query(`ALTER TABLE transport_companies DROP COLUMN address`);
    for (const table of ['transport_companies', 'trucks', 'terminals', 'construction_sites', 'disposal_sites']) {
      await q.query(`ALTER TABLE ${table} DROP COLUMN updated_at`);
    }
    for (const table of ['transport_companies', 'trucks', 'construction_sites', 'disposal_sites']) {
      await q.query(`ALTER TABLE ${table} ALTER COLUMN id DROP DEFAULT`);
    }
  }
}
