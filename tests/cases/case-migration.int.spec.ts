import pg from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { MIGRATIONS } from '@muckwatch/api';
import { demoDatabase } from '../support/demo-database.js';

// The ViolationCases migration on data written before it: free-text departments become codes,
// `handling` and `note` become case states and timeline events, and down() gives them back.
describe.skipIf(inject('databaseKind') !== 'postgresql')('migration ViolationCases on existing data', () => {
  let database: Awaited<ReturnType<typeof demoDatabase>> | undefined;

  afterAll(async () => {
    await database?.drop();
  });

  it('carries departments, handling and notes over, and back down', async () => {
    database = await demoDatabase();
    const url = database.env['DATABASE_URL']!;
    // Up to ViolationCases (later migrations come after it and stay out of this test).
    const at = MIGRATIONS.findIndex((m) => m.name === 'ViolationCases1764720000000');
    const before = new DataSource({ type: 'postgres', url, migrations: MIGRATIONS.slice(0, at), synchronize: false });
    await before.initialize();
    await before.runMigrations();
    await before.destroy();

    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      await db.query(`
        INSERT INTO users (username, display_name, password_hash, role, department) VALUES
          ('zhao', '赵', 'x', 'enforcement_officer', '城管执法一中队'),
          ('qian', '钱', 'x', 'enforcement_officer', '交警大队'),
          ('sun', '孙', 'x', 'dispatcher', NULL)`);
      const row = (id: string, handling: string, department: string | null, note: string | null) =>
        db.query(
          `INSERT INTO violations (id, type, severity, status, terminal_id, started_at, start_geom, ended_at, end_geom, handling, assigned_department, note)
           VALUES ($1, 'overspeed', 'medium', 'closed', 'T1', now() - interval '2 hours', ST_SetSRID(ST_MakePoint(118.3, 36.8), 4326),
                   now() - interval '1 hour', ST_SetSRID(ST_MakePoint(118.3, 36.8), 4326), $2, $3, $4)`,
          [id, handling, department, note],
        );
      await row('v-new', 'new', null, null);
      await row('v-traffic', 'dispatched', '交警大队', '已电话通知');
      await row('v-squad', 'dispatched', '城管执法一中队', null);
      await row('v-nodept', 'dispatched', null, null);
      await row('v-resolved', 'resolved', '交警大队', null);
      await row('v-dismissed', 'dismissed', null, '测试设备');
    } finally {
      await db.end();
    }

    const after = new DataSource({ type: 'postgres', url, migrations: MIGRATIONS.slice(0, at + 1), synchronize: false });
    await after.initialize();
    try {
      await after.runMigrations();
      const users = await after.query<Array<{ username: string; department: string | null }>>(`SELECT username, department FROM users ORDER BY username`);
      const squad = await after.query<Array<{ code: string }>>(`SELECT code FROM departments WHERE name = '城管执法一中队'`);
      expect(squad[0]!.code).toMatch(/^dept-[0-9a-f]{12}$/);
      expect(users).toEqual([
        { username: 'qian', department: 'traffic-police' },
        { username: 'sun', department: null },
        { username: 'zhao', department: squad[0]!.code },
      ]);
      const cases = await after.query<Array<{ id: string; case_state: string; department_code: string | null; dismiss_reason: string | null; deadline: Date | null }>>(
        `SELECT id, case_state, department_code, dismiss_reason, deadline FROM violations ORDER BY id`,
      );
      expect(cases.map((c) => [c.id, c.case_state, c.department_code, c.dismiss_reason])).toEqual([
        ['v-dismissed', 'dismissed', null, 'other'],
        ['v-new', 'new', null, null],
        ['v-nodept', 'confirmed', null, null],
        ['v-resolved', 'closed', 'traffic-police', null],
        ['v-squad', 'assigned', squad[0]!.code, null],
        ['v-traffic', 'assigned', 'traffic-police', null],
      ]);
      expect(cases.find((c) => c.id === 'v-traffic')!.deadline).not.toBeNull();
      const events = await after.query<Array<{ violation_id: string; action: string; comment: string | null }>>(
        `SELECT violation_id, action, comment FROM violation_case_events ORDER BY violation_id, id`,
      );
      expect(events.filter((e) => e.violation_id === 'v-traffic').map((e) => [e.action, e.comment])).toEqual([
        ['assign', null],
        ['comment', '已电话通知'],
      ]);
      expect(events.filter((e) => e.violation_id === 'v-dismissed').map((e) => e.action)).toEqual(['dismiss', 'comment']);
      expect(events.filter((e) => e.violation_id === 'v-new')).toEqual([]);

      await after.undoLastMigration();
      const back = await after.query<Array<{ id: string; handling: string; assigned_department: string | null; note: string | null }>>(
        `SELECT id, handling, assigned_department, note FROM violations ORDER BY id`,
      );
      expect(back.map((b) => [b.id, b.handling, b.assigned_department])).toEqual([
        ['v-dismissed', 'dismissed', null],
        ['v-new', 'new', null],
        ['v-nodept', 'dispatched', null],
        ['v-resolved', 'resolved', '交警大队'],
        ['v-squad', 'dispatched', '城管执法一中队'],
        ['v-traffic', 'dispatched', '交警大队'],
      ]);
      expect(back.find((b) => b.id === 'v-traffic')!.note).toBe('已电话通知');
      const usersBack = await after.query<Array<{ department: string | null }>>(`SELECT department FROM users WHERE username = 'zhao'`);
      expect(usersBack[0]!.department).toBe('城管执法一中队');
      // And up again over the restored data.
      await after.runMigrations();
      const again = await after.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM violations WHERE case_state = 'assigned'`);
      expect(again[0]!.n).toBe(2);
    } finally {
      await after.destroy();
    }
  });
});
