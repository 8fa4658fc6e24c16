import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The walking skeleton's schema: the registry facts the live map needs (towns, companies, trucks,
 * terminals, sites), the month-partitioned positions, each terminal's latest position, liveness,
 * and the rejections ledger. Partitions of `positions` are created by PositionPartitions on demand.
 */
export class InitialSchema1764187200000 implements MigrationInterface {
  name = 'InitialSchema1764187200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS postgis`);

    await q.query(`
      CREATE TABLE towns (
        code        text PRIMARY KEY,
        name        text NOT NULL,
        nbs_name    text,
        kind        text NOT NULL CHECK (kind IN ('street', 'town', 'enterprise')),
        synthetic   boolean NOT NULL DEFAULT false,
        geom        geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX towns_geom_idx ON towns USING gist (geom)`);

    await q.query(`
      CREATE TABLE transport_companies (
        id           uuid PRIMARY KEY,
        name         text NOT NULL UNIQUE,
        credit_code  text NOT NULL UNIQUE,
        contact_name text,
        contact_phone text,
        demo         boolean NOT NULL DEFAULT false,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE trucks (
        id                  uuid PRIMARY KEY,
        plate               text NOT NULL UNIQUE,
        company_id          uuid NOT NULL REFERENCES transport_companies (id),
        rated_load_t        numeric(6, 2),
        sealed              boolean NOT NULL DEFAULT false,
        sealed_certified_on date,
        permit_no           text,
        permit_valid_from   date,
        permit_valid_to     date,
        demo                boolean NOT NULL DEFAULT false,
        created_at          timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE terminals (
        terminal_id text PRIMARY KEY,
        sim         text,
        maker       text,
        model       text,
        protocol    text NOT NULL DEFAULT 'mqtt-v1',
        truck_id    uuid UNIQUE REFERENCES trucks (id),
        demo        boolean NOT NULL DEFAULT false,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE construction_sites (
        id          uuid PRIMARY KEY,
        name        text NOT NULL,
        town_code   text REFERENCES towns (code),
        address     text,
        geom        geometry(Polygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
        demo        boolean NOT NULL DEFAULT false,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX construction_sites_geom_idx ON construction_sites USING gist (geom)`);

    await q.query(`
      CREATE TABLE disposal_sites (
        id          uuid PRIMARY KEY,
        name        text NOT NULL,
        status      text NOT NULL CHECK (status IN ('licensed', 'closed', 'illegal')),
        capacity_m3 numeric(12, 1),
        town_code   text REFERENCES towns (code),
        geom        geometry(Polygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
        demo        boolean NOT NULL DEFAULT false,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX disposal_sites_geom_idx ON disposal_sites USING gist (geom)`);

    // Every stored fix. Identified by (terminal, fix time): redelivery never duplicates it.
    // The primary key also serves per-truck time-range replay. Partitioned by month of fix time;
    // retention drops whole partitions.
    await q.query(`
      CREATE TABLE positions (
        terminal_id text NOT NULL,
        fix_time    timestamptz NOT NULL,
        received_at timestamptz NOT NULL,
        geom        geometry(Point, 4326) NOT NULL,
        speed_kmh   real NOT NULL,
        heading_deg real NOT NULL,
        altitude_m  real,
        satellites  smallint,
        hdop        real,
        valid       boolean NOT NULL,
        ignition    boolean,
        mileage_km  double precision,
        seq         bigint,
        cover       text,
        body        text,
        load        text,
        load_t      real,
        sensors     jsonb,
        control     jsonb,
        extra       jsonb,
        quality     text[] NOT NULL DEFAULT '{}',
        PRIMARY KEY (terminal_id, fix_time)
      ) PARTITION BY RANGE (fix_time)`);

    // Each terminal's latest trusted position; only moves forward in fix time.
    await q.query(`
      CREATE TABLE latest_positions (
        terminal_id text PRIMARY KEY,
        fix_time    timestamptz NOT NULL,
        received_at timestamptz NOT NULL,
        geom        geometry(Point, 4326) NOT NULL,
        speed_kmh   real NOT NULL,
        heading_deg real NOT NULL,
        ignition    boolean,
        cover       text,
        body        text,
        load        text,
        load_t      real,
        sensors     jsonb,
        control     jsonb
      )`);

    // Retained liveness from muckwatch/v1/terminals/{id}/status (the terminal's last will).
    await q.query(`
      CREATE TABLE terminal_liveness (
        terminal_id text PRIMARY KEY,
        liveness    text NOT NULL CHECK (liveness IN ('online', 'offline')),
        changed_at  timestamptz NOT NULL
      )`);

    // What was refused, and why: nothing a terminal sends is dropped silently.
    await q.query(`
      CREATE TABLE rejections (
        id                bigserial PRIMARY KEY,
        received_at       timestamptz NOT NULL,
        terminal_id       text,
        topic             text NOT NULL,
        reason            text NOT NULL,
        detail            text NOT NULL,
        fix_index         integer,
        payload           text NOT NULL,
        payload_truncated boolean NOT NULL DEFAULT false
      )`);
    await q.query(`CREATE INDEX rejections_received_at_idx ON rejections (received_at)`);
    await q.query(`CREATE INDEX rejections_terminal_idx ON rejections (terminal_id, received_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'rejections',
      'terminal_liveness',
      'latest_positions',
      'positions',
      'disposal_sites',
      'construction_sites',
      'terminals',
      'trucks',
      'transport_companies',
      'towns',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table} CASCADE`);
    }
  }
}
