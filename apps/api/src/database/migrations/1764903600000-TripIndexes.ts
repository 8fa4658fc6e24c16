import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The trips page (运次, apps/api/src/trips): a trip list filtered by truck, plate, origin or disposal
 * site stays an index walk in start order, and the violations raised during a trip are found by
 * their trip (its list shows them; `violations=true|false` filters on them). Trucks of a company
 * are found through `trucks` and then `trips_truck_idx`.
 */
export class TripIndexes1764903600000 implements MigrationInterface {
  name = 'TripIndexes1764903600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX trips_truck_idx ON trips (truck_id, started_at DESC) WHERE truck_id IS NOT NULL`);
    await q.query(`CREATE INDEX trips_plate_idx ON trips (plate, started_at DESC) WHERE plate IS NOT NULL`);
    await q.query(`CREATE INDEX trips_origin_idx ON trips (origin_id, started_at DESC) WHERE origin_id IS NOT NULL`);
    await q.query(`CREATE INDEX trips_destination_idx ON trips (destination_id, started_at DESC) WHERE destination_id IS NOT NULL`);
    await q.query(`CREATE INDEX violations_trip_idx ON violations (trip_id) WHERE trip_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Indexes only: nothing is lost; the list is slower without them.
    await q.query(`DROP INDEX IF EXISTS violations_trip_idx`);
    await q.query(`DROP INDEX IF EXISTS trips_destination_idx`);
    await q.query(`DROP INDEX IF EXISTS trips_origin_idx`);
    await q.query(`DROP INDEX IF EXISTS trips_plate_idx`);
    await q.query(`DROP INDEX IF EXISTS trips_truck_idx`);
  }
}
