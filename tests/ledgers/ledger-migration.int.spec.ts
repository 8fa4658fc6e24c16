import { DataSource } from 'typeorm';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { MIGRATIONS } from '@muckwatch/api';
import { demoDatabase } from '../support/demo-database.js';

// The TownLedgers migration up, with records in every ledger, down (the ledgers go, nothing else),
// and up again.
describe.skipIf(inject('databaseKind') !== 'postgresql')('migration TownLedgers', () => {
  let database: Awaited<ReturnType<typeof demoDatabase>> | undefined;

  afterAll(async () => {
    await database?.drop();
  });

  it('creates the ledgers, drops them on down(), and comes up again', async () => {
    database = await demoDatabase();
    const at = MIGRATIONS.findIndex((m) => m.name === 'TownLedgers1764806400000');
    expect(at).toBeGreaterThan(0);
    const source = new DataSource({ type: 'postgres', url: database.env['DATABASE_URL']!, migrations: MIGRATIONS.slice(0, at + 1), synchronize: false });
    await source.initialize();
    try {
      await source.runMigrations();
      await source.query(`INSERT INTO towns (code, name, kind, geom) VALUES ('370305001', '闻韶街道', 'street',
        ST_Multi(ST_MakeEnvelope(118.29, 36.80, 118.32, 36.83, 4326)))`);
      const [pile] = await source.query<Array<{ id: string }>>(
        `INSERT INTO waste_piles (town_code, name, geom, land_nature, volume_m3) VALUES ('370305001', '堆', ST_SetSRID(ST_MakePoint(118.3, 36.81), 4326), 'other', 5) RETURNING id`,
      );
      await source.query(`INSERT INTO waste_pile_events (pile_id, action, to_status) VALUES ($1, 'create', 'registered')`, [pile!.id]);
      const [point] = await source.query<Array<{ id: string }>>(
        `INSERT INTO collection_points (town_code, village_code, name, geom) VALUES ('370305001', '370305001005', '点', ST_SetSRID(ST_MakePoint(118.3, 36.81), 4326)) RETURNING id`,
      );
      await source.query(`INSERT INTO collection_requests (town_code, requester_kind, requester_name, collection_point_id, volume_m3) VALUES ('370305001', 'village', '村', $1, 2)`, [point!.id]);
      await source.query(`INSERT INTO findings (town_code, kind, geom, found_at, finder) VALUES ('370305001', 'road_pollution', ST_SetSRID(ST_MakePoint(118.3, 36.81), 4326), now(), 'city')`);
      await source.query(`INSERT INTO ledger_photos (owner_kind, owner_id, file_name, content_type, size_bytes, sha256, content) VALUES ('pile', $1, 'a.png', 'image/png', 1, 'x', '\\x00')`, [pile!.id]);

      // The table refuses what the API never writes: a line as a pile, a fulfilled request without its GPS facts.
      await expect(source.query(`INSERT INTO waste_piles (town_code, name, geom, land_nature, volume_m3)
        VALUES ('370305001', 'x', ST_SetSRID(ST_MakeLine(ST_MakePoint(118.3, 36.81), ST_MakePoint(118.31, 36.81)), 4326), 'other', 1)`)).rejects.toThrow();
      await expect(source.query(`UPDATE collection_requests SET state = 'fulfilled'`)).rejects.toThrow();

      await source.undoLastMigration();
      const left = await source.query<Array<{ name: string }>>(
        `SELECT table_name AS name FROM information_schema.tables WHERE table_name IN
           ('waste_piles', 'waste_pile_events', 'collection_points', 'collection_requests', 'collection_request_events', 'findings', 'finding_events', 'ledger_photos')`,
      );
      expect(left).toEqual([]);
      expect((await source.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM towns`))[0]!.n).toBe(1);

      await source.runMigrations();
      expect((await source.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM waste_piles`))[0]!.n).toBe(0);
    } finally {
      await source.destroy();
    }
  });
});
