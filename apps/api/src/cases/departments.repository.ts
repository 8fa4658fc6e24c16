import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import type { Department, DepartmentPerformance } from '@muckwatch/contracts';
import { PG_POOL } from '../database/database.module.js';
import type { Db } from './cases.repository.js';

interface DepartmentRow {
  code: string;
  name: string;
  default_deadline_hours: number;
  active: boolean;
}

function toDepartment(r: DepartmentRow): Department {
  return { code: r.code, name: r.name, defaultDeadlineHours: r.default_deadline_hours, active: r.active };
}

const COLUMNS = 'code, name, default_deadline_hours, active';

/** Enforcing departments (执法部门) and their handling times, in SQL. */
@Injectable()
export class DepartmentsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async list(): Promise<Department[]> {
    const { rows } = await this.pool.query<DepartmentRow>(`SELECT ${COLUMNS} FROM departments ORDER BY active DESC, name`);
    return rows.map(toDepartment);
  }

  async get(code: string, db: Db = this.pool): Promise<Department | null> {
    const { rows } = await db.query<DepartmentRow>(`SELECT ${COLUMNS} FROM departments WHERE code = $1`, [code]);
    return rows[0] ? toDepartment(rows[0]) : null;
  }

  async nameTaken(name: string, exceptCode: string | null, db: Db): Promise<boolean> {
    const { rowCount } = await db.query(`SELECT 1 FROM departments WHERE name = $1 AND code IS DISTINCT FROM $2`, [name, exceptCode]);
    return (rowCount ?? 0) > 0;
  }

  async insert(d: Department, db: Db): Promise<Department> {
    const { rows } = await db.query<DepartmentRow>(
      `INSERT INTO departments (code, name, default_deadline_hours, active) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [d.code, d.name, d.defaultDeadlineHours, d.active],
    );
    return toDepartment(rows[0]!);
  }

  async update(d: Department, db: Db): Promise<Department> {
    const { rows } = await db.query<DepartmentRow>(
      `UPDATE departments SET name = $2, default_deadline_hours = $3, active = $4, updated_at = now() WHERE code = $1 RETURNING ${COLUMNS}`,
      [d.code, d.name, d.defaultDeadlineHours, d.active],
    );
    return toDepartment(rows[0]!);
  }

  /** Whether any case, case event or user refers to it (then it is deactivated, never deleted). */
  async inUse(code: string, db: Db): Promise<{ cases: number; users: number }> {
    const { rows } = await db.query<{ cases: number; users: number }>(
      `SELECT (SELECT count(*)::int FROM violations WHERE department_code = $1)
            + (SELECT count(*)::int FROM violation_case_events WHERE department_code = $1) AS cases,
              (SELECT count(*)::int FROM users WHERE department = $1) AS users`,
      [code],
    );
    return rows[0] ?? { cases: 0, users: 0 };
  }

  async delete(code: string, db: Db): Promise<void> {
    await db.query(`DELETE FROM departments WHERE code = $1`, [code]);
  }

  /**
   * Per department over assignments made in [from, to): each assign/reassign event is one
   * assignment, handled by the first `handle` after it before any later (re)assignment; on time
   * when handled by that assignment's deadline. Overdue open counts the cases it holds past their
   * deadline now, whenever assigned.
   */
  async performance(from: Date, to: Date): Promise<DepartmentPerformance[]> {
    const { rows } = await this.pool.query<{
      code: string;
      name: string;
      assigned: number;
      handled: number;
      on_time: number;
      overdue_open: number;
      median_hours: number | null;
      mean_hours: number | null;
    }>(
      `WITH assignments AS (
         SELECT e.department_code, e.at, e.deadline,
                (SELECT min(h.at) FROM violation_case_events h
                  WHERE h.violation_id = e.violation_id AND h.action = 'handle' AND h.id > e.id
                    AND NOT EXISTS (SELECT 1 FROM violation_case_events r
                                     WHERE r.violation_id = e.violation_id AND r.action IN ('assign', 'reassign')
                                       AND r.id > e.id AND r.id < h.id)) AS handled_at
           FROM violation_case_events e
          WHERE e.action IN ('assign', 'reassign') AND e.at >= $1 AND e.at < $2
       )
       SELECT d.code, d.name,
              count(a.at)::int AS assigned,
              count(a.handled_at)::int AS handled,
              count(*) FILTER (WHERE a.handled_at IS NOT NULL AND (a.deadline IS NULL OR a.handled_at <= a.deadline))::int AS on_time,
              (SELECT count(*)::int FROM violations v
                WHERE v.department_code = d.code AND v.case_state IN ('assigned', 'returned') AND v.deadline < now()) AS overdue_open,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.handled_at - a.at) / 3600)
                FILTER (WHERE a.handled_at IS NOT NULL) AS median_hours,
              avg(extract(epoch FROM a.handled_at - a.at) / 3600) FILTER (WHERE a.handled_at IS NOT NULL) AS mean_hours
         FROM departments d LEFT JOIN assignments a ON a.department_code = d.code
        GROUP BY d.code, d.name
        ORDER BY d.name`,
      [from.toISOString(), to.toISOString()],
    );
    const hours = (h: number | string | null): number | null => (h === null ? null : Math.round(Number(h) * 100) / 100);
    return rows.map((r) => ({
      departmentCode: r.code,
      departmentName: r.name,
      assigned: r.assigned,
      handled: r.handled,
      handledOnTime: r.on_time,
      overdueOpen: r.overdue_open,
      medianHandlingHours: hours(r.median_hours),
      meanHandlingHours: hours(r.mean_hours),
    }));
  }
}
