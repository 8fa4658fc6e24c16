import { Injectable } from '@nestjs/common';
import type { ScheduleException, TimeWindowOpenResponse, TimeWindowSchedule, TimeWindowScheduleInput, WeeklyWindow } from '@muckwatch/contracts';
import { evaluateSchedule, validateSchedule } from '@muckwatch/domain';
import { parseTimeParam } from '../../common/query-params.js';
import { badInput, Input, notFound, patched, requireUuidParam } from '../common/input.js';
import { orConflict } from '../common/pg-errors.js';
import { type Actor, RegistryDb, type Sql } from '../common/registry-db.js';

interface ScheduleRow {
  id: string;
  name: string;
  weekly: WeeklyWindow[];
  exceptions: ScheduleException[];
  demo: boolean;
}

function toSchedule(row: ScheduleRow): TimeWindowSchedule {
  return { id: row.id, name: row.name, timeZone: 'Asia/Shanghai', weekly: row.weekly, exceptions: row.exceptions, demo: row.demo };
}

/** Keeps only the known fields of each window and exception, in a stable order. */
function parseSchedule(body: unknown): Required<TimeWindowScheduleInput> {
  const input: Input = Input.of(body);
  const name = input.text('name', { max: 100 });
  const weekly = input.raw('weekly');
  const exceptions = input.raw('exceptions') ?? [];
  const problem = validateSchedule({ weekly, exceptions });
  if (problem) badInput(problem.field, problem.message);
  const window = (w: WeeklyWindow | Omit<WeeklyWindow, 'days'>) => ({ start: w.start, end: w.end, crossesMidnight: w.crossesMidnight === true });
  return {
    name,
    weekly: (weekly as WeeklyWindow[]).map((w) => ({ days: [...w.days].sort(), ...window(w) })),
    exceptions: (exceptions as ScheduleException[])
      .map((x) => ({ date: x.date, kind: x.kind, ...(x.kind === 'open' ? { windows: (x.windows ?? []).map(window) } : {}), reason: x.reason.trim() }))
      .sort((a, b) => a.date.localeCompare(b.date)),
  };
}

/** 通行时段: weekly schedules in Asia/Shanghai local time with midnight-crossing windows and dated exceptions. */
@Injectable()
export class TimeWindowsService {
  constructor(private readonly db: RegistryDb) {}

  async list(): Promise<TimeWindowSchedule[]> {
    return (await this.db.rows<ScheduleRow>(`SELECT id, name, weekly, exceptions, demo FROM time_window_schedules ORDER BY name`)).map(toSchedule);
  }

  async get(id: string, sql: Sql = this.db.sql): Promise<TimeWindowSchedule> {
    requireUuidParam('time_window', id);
    const { rows } = await sql.query<ScheduleRow>(`SELECT id, name, weekly, exceptions, demo FROM time_window_schedules WHERE id = $1`, [id]);
    return rows[0] ? toSchedule(rows[0]) : notFound('time_window', id);
  }

  async openAt(id: string, at: string | undefined): Promise<TimeWindowOpenResponse> {
    const schedule = await this.get(id);
    const instant = parseTimeParam('at', at, Date.now());
    const verdict = evaluateSchedule(schedule, instant);
    return { scheduleId: id, at: instant.toISOString(), open: verdict.open, exception: (verdict.exception as ScheduleException | null) ?? null };
  }

  async create(actor: Actor, body: unknown): Promise<TimeWindowSchedule> {
    const s = parseSchedule(body);
    return this.db.write(actor, async (tx) => {
      const { rows } = await tx.sql.query<{ id: string }>(`INSERT INTO time_window_schedules (name, weekly, exceptions) VALUES ($1, $2, $3) RETURNING id`, [
        s.name,
        JSON.stringify(s.weekly),
        JSON.stringify(s.exceptions),
      ]);
      const after = await this.get(rows[0]!.id, tx.sql);
      await tx.audited('time_window', 'create', after.id, null, after);
      return after;
    });
  }

  async update(actor: Actor, id: string, body: unknown): Promise<TimeWindowSchedule> {
    const before = await this.get(id);
    const s = parseSchedule(patched(before, body));
    return this.db.write(actor, async (tx) => {
      await tx.sql.query(`UPDATE time_window_schedules SET name = $2, weekly = $3, exceptions = $4, updated_at = now() WHERE id = $1`, [
        id,
        s.name,
        JSON.stringify(s.weekly),
        JSON.stringify(s.exceptions),
      ]);
      const after = await this.get(id, tx.sql);
      await tx.audited('time_window', 'update', id, before, after);
      return after;
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const before = await this.get(id);
    await this.db.write(actor, async (tx) => {
      await orConflict(tx.sql.query(`DELETE FROM time_window_schedules WHERE id = $1`, [id]));
      await tx.audited('time_window', 'delete', id, before, null);
    });
  }
}
