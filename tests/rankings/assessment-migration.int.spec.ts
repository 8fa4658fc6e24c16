import { DataSource } from 'typeorm';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { MIGRATIONS } from '@muckwatch/api';
import { demoDatabase } from '../support/demo-database.js';

// The Assessment migration up (methodology v1 seeded), down while no month is frozen (its tables
// go, nothing else), up again; and down refused once a frozen month exists, whose row the database
// itself keeps from UPDATE and DELETE.
describe.skipIf(inject('databaseKind') !== 'postgresql')('migration Assessment', () => {
  let database: Awaited<ReturnType<typeof demoDatabase>> | undefined;

  afterAll(async () => {
    await database?.drop();
  });

  it('creates the assessment tables, drops them only while nothing is frozen, and comes up again', async () => {
    database = await demoDatabase();
    const at = MIGRATIONS.findIndex((m) => m.name === 'Assessment1764812800000');
    expect(at).toBeGreaterThan(0);
    const source = new DataSource({ type: 'postgres', url: database.env['DATABASE_URL']!, migrations: MIGRATIONS.slice(0, at + 1), synchronize: false });
    await source.initialize();
    try {
      await source.runMigrations();
      const [v1] = await source.query<Array<{ version: number; effective_from: string; base: number }>>(
        `SELECT version, effective_from, (body->>'base')::int AS base FROM assessment_methodologies`,
      );
      expect(v1).toEqual({ version: 1, effective_from: '2000-01', base: 100 });

      await source.undoLastMigration();
      const left = await source.query<Array<{ name: string }>>(
        `SELECT table_name AS name FROM information_schema.tables WHERE table_name IN ('assessment_methodologies', 'ranking_adjustments', 'ranking_snapshots')`,
      );
      expect(left).toEqual([]);
      expect(await source.query(`SELECT 1 FROM pg_indexes WHERE indexname = 'violations_assigned_idx'`)).toEqual([]);

      await source.runMigrations();
      await source.query(
        `INSERT INTO ranking_snapshots (month, revision, methodology_version, inputs, inputs_sha256, result) VALUES ('2026-01', 1, 1, '{}', $1, '{}')`,
        ['0'.repeat(64)],
      );
      await expect(source.query(`UPDATE ranking_snapshots SET reason = 'x'`)).rejects.toThrow(/append-only/);
      await expect(source.query(`DELETE FROM ranking_snapshots`)).rejects.toThrow(/append-only/);
      await expect(source.undoLastMigration()).rejects.toThrow(/refusing to drop/);
      expect((await source.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM ranking_snapshots`))[0]!.n).toBe(1);
    } finally {
      await source.destroy();
    }
  });
});
