import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which door a fix (or a refused message) came through: every door hands its fixes to the same
 * pipeline (apps/api/src/ingest/fix-pipeline.ts), and this column is the only trace of the door
 * downstream. Existing rows came through MQTT, the only door there was. A constant default on a
 * partitioned table is stored in the catalogue: no partition is rewritten.
 */
export class FixSource1765000000000 implements MigrationInterface {
  name = 'FixSource1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE positions ADD COLUMN source text NOT NULL DEFAULT 'mqtt'`);
    await q.query(`ALTER TABLE rejections ADD COLUMN source text NOT NULL DEFAULT 'mqtt'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rejections DROP COLUMN source`);
    await q.query(`ALTER TABLE positions DROP COLUMN source`);
  }
}
