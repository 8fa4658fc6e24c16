import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The towns' own ledgers (issue 12, "What towns maintain"): existing waste piles (既有建筑垃圾堆台账),
 * collection points (收集点), collection requests (收集申请) and inspection findings (巡查发现), each
 * row belonging to one town (`town_code`). The workflows are libs/domain/src/ledgers/; every change
 * of a pile, request or finding is a row of its `*_events` table; photos of piles and findings are
 * stored in the database (`ledger_photos`).
 *
 * A collection request is never fulfilled by hand: apps/api/src/ledgers/fulfilment.service.ts sets
 * `fulfilled_at`, `visit_at` and `trip_id` from stored positions and a trip closed at a licensed
 * disposal site.
 */
export class TownLedgers1764806400000 implements MigrationInterface {
  name = 'TownLedgers1764806400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE waste_piles (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        town_code         text NOT NULL REFERENCES towns (code),
        name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        geom              geometry(Geometry, 4326) NOT NULL
          CHECK (GeometryType(geom) IN ('POINT', 'POLYGON') AND ST_IsValid(geom)),
        land_nature       text NOT NULL
          CHECK (land_nature IN ('construction_land', 'farmland', 'roadside', 'riverbank', 'woodland', 'vacant_lot', 'other')),
        volume_m3         numeric(12, 1) NOT NULL CHECK (volume_m3 >= 0),
        responsible_party text CHECK (length(responsible_party) <= 100),
        governance_plan   text CHECK (length(governance_plan) <= 2000),
        deadline          date,
        status            text NOT NULL DEFAULT 'registered'
          CHECK (status IN ('registered', 'in_progress', 'cleared', 'covered', 'verified')),
        verified_at       timestamptz,
        created_by        uuid,
        version           integer NOT NULL DEFAULT 1 CHECK (version >= 1),
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX waste_piles_town_idx ON waste_piles (town_code, status, created_at DESC)`);
    await q.query(`CREATE INDEX waste_piles_geom_idx ON waste_piles USING gist (geom)`);

    await q.query(`
      CREATE TABLE collection_points (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        town_code    text NOT NULL REFERENCES towns (code),
        village_code text CHECK (village_code ~ '^[0-9]{12}$'),
        name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        geom         geometry(Point, 4326) NOT NULL,
        radius_m     numeric(6, 1) NOT NULL DEFAULT 50 CHECK (radius_m > 0 AND radius_m <= 1000),
        active       boolean NOT NULL DEFAULT true,
        created_by   uuid,
        version      integer NOT NULL DEFAULT 1 CHECK (version >= 1),
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX collection_points_town_idx ON collection_points (town_code, village_code) WHERE active`);
    await q.query(`CREATE INDEX collection_points_geom_idx ON collection_points USING gist (geom)`);

    await q.query(`
      CREATE TABLE collection_requests (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        town_code           text NOT NULL REFERENCES towns (code),
        village_code        text CHECK (village_code ~ '^[0-9]{12}$'),
        requester_kind      text NOT NULL CHECK (requester_kind IN ('community', 'enterprise', 'village')),
        requester_name      text NOT NULL CHECK (length(requester_name) BETWEEN 1 AND 100),
        contact             text CHECK (length(contact) <= 100),
        collection_point_id uuid REFERENCES collection_points (id),
        geom                geometry(Point, 4326),
        radius_m            numeric(6, 1) NOT NULL DEFAULT 50 CHECK (radius_m > 0 AND radius_m <= 1000),
        volume_m3           numeric(10, 1) NOT NULL CHECK (volume_m3 > 0),
        requested_at        timestamptz NOT NULL DEFAULT now(),
        state               text NOT NULL DEFAULT 'requested'
          CHECK (state IN ('requested', 'dispatched', 'fulfilled', 'cancelled')),
        truck_id            uuid REFERENCES trucks (id),
        dispatched_at       timestamptz,
        visit_at            timestamptz,
        fulfilled_at        timestamptz,
        trip_id             text,
        cancel_reason       text CHECK (length(cancel_reason) <= 500),
        created_by          uuid,
        version             integer NOT NULL DEFAULT 1 CHECK (version >= 1),
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT collection_requests_place CHECK (collection_point_id IS NOT NULL OR geom IS NOT NULL),
        CONSTRAINT collection_requests_dispatch CHECK ((state IN ('dispatched', 'fulfilled')) <= (truck_id IS NOT NULL AND dispatched_at IS NOT NULL)),
        CONSTRAINT collection_requests_fulfilled CHECK ((state = 'fulfilled') = (fulfilled_at IS NOT NULL AND visit_at IS NOT NULL AND trip_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX collection_requests_town_idx ON collection_requests (town_code, requested_at DESC)`);
    await q.query(`CREATE INDEX collection_requests_dispatched_idx ON collection_requests (truck_id, dispatched_at) WHERE state = 'dispatched'`);

    await q.query(`
      CREATE TABLE findings (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        town_code   text NOT NULL REFERENCES towns (code),
        kind        text NOT NULL CHECK (kind IN ('road_pollution', 'unwashed_exit', 'dumping_point', 'complaint_12345')),
        geom        geometry(Point, 4326) NOT NULL,
        found_at    timestamptz NOT NULL,
        area_m2     numeric(10, 1) CHECK (area_m2 >= 0),
        description text CHECK (length(description) <= 2000),
        finder      text NOT NULL CHECK (finder IN ('town', 'district', 'city', 'higher')),
        reported_by uuid,
        deadline    date,
        status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'rectifying', 'rectified', 'verified')),
        verified_at timestamptz,
        version     integer NOT NULL DEFAULT 1 CHECK (version >= 1),
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX findings_town_idx ON findings (town_code, found_at DESC)`);
    await q.query(`CREATE INDEX findings_found_idx ON findings (found_at DESC)`);

    // One history table per ledger, same shape: who did what, when, the state before and after,
    // and which fields a patch changed (their new values).
    for (const [table, owner, ref] of [
      ['waste_pile_events', 'pile_id', 'waste_piles'],
      ['collection_request_events', 'request_id', 'collection_requests'],
      ['finding_events', 'finding_id', 'findings'],
    ] as const) {
      await q.query(`
        CREATE TABLE ${table} (
          id             bigserial PRIMARY KEY,
          ${owner}       uuid NOT NULL REFERENCES ${ref} (id) ON DELETE CASCADE,
          at             timestamptz NOT NULL DEFAULT now(),
          action         text NOT NULL CHECK (action ~ '^[a-z_]{1,32}$'),
          from_status    text,
          to_status      text NOT NULL,
          actor_user_id  uuid,
          actor_username text,
          actor_role     text,
          comment        text CHECK (length(comment) <= 2000),
          changed        jsonb
        )`);
      await q.query(`CREATE INDEX ${table}_owner_idx ON ${table} (${owner}, id)`);
    }

    await q.query(`
      CREATE TABLE ledger_photos (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_kind   text NOT NULL CHECK (owner_kind IN ('pile', 'finding')),
        owner_id     uuid NOT NULL,
        file_name    text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
        content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
        size_bytes   integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 10485760),
        sha256       text NOT NULL,
        content      bytea NOT NULL,
        uploaded_by  text,
        uploaded_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ledger_photos_owner_idx ON ledger_photos (owner_kind, owner_id, uploaded_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Drops the ledgers and everything recorded in them: no older shape held this data.
    for (const table of ['ledger_photos', 'finding_events', 'collection_request_events', 'waste_pile_events',
      'findings', 'collection_requests', 'collection_points', 'waste_piles']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
