import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import type { Department, DepartmentInput, DepartmentPerformance } from '@muckwatch/contracts';
import { AuditService } from '../audit/audit.service.js';
import type { Principal, RequestOrigin } from '../auth/principal.js';
import { parseTimeRange } from '../common/query-params.js';
import { PG_POOL } from '../database/database.module.js';
import { inTransaction } from '../database/transaction.js';
import { CodedError } from './case-errors.js';
import { DepartmentsRepository } from './departments.repository.js';

const DAY_MS = 86_400_000;

export interface Actor {
  principal: Principal;
  origin: RequestOrigin;
}

function departmentNotFound(code: string): CodedError {
  return new CodedError(404, 'department.not_found', `department ${code} not found`, { departmentCode: code });
}

/** Departments are registry data an admin edits (audited); a department in use is deactivated, never deleted. */
@Injectable()
export class DepartmentsService {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly departments: DepartmentsRepository,
    private readonly audit: AuditService,
  ) {}

  list(): Promise<Department[]> {
    return this.departments.list();
  }

  async create(input: DepartmentInput, actor: Actor): Promise<Department> {
    const name = input.name.trim();
    const code = input.code ?? `dept-${createHash('sha256').update(name).digest('hex').slice(0, 12)}`;
    return inTransaction(this.pool, async (db) => {
      if (await this.departments.get(code, db)) {
        throw new CodedError(409, 'department.code_taken', `a department ${code} exists`, { departmentCode: code }, 'code');
      }
      if (await this.departments.nameTaken(name, null, db)) {
        throw new CodedError(409, 'department.name_taken', `a department named ${name} exists`, { name }, 'name');
      }
      const created = await this.departments.insert(
        { code, name, defaultDeadlineHours: input.defaultDeadlineHours ?? 72, active: input.active ?? true },
        db,
      );
      await this.audit.record({ action: 'department.create', actor: actor.principal, origin: actor.origin, resourceType: 'department', resourceId: code, after: created }, db);
      return created;
    });
  }

  async update(code: string, patch: Partial<DepartmentInput>, actor: Actor): Promise<Department> {
    return inTransaction(this.pool, async (db) => {
      const before = await this.departments.get(code, db);
      if (!before) throw departmentNotFound(code);
      const name = patch.name?.trim() ?? before.name;
      if (name !== before.name && (await this.departments.nameTaken(name, code, db))) {
        throw new CodedError(409, 'department.name_taken', `a department named ${name} exists`, { name }, 'name');
      }
      const after = await this.departments.update(
        { code, name, defaultDeadlineHours: patch.defaultDeadlineHours ?? before.defaultDeadlineHours, active: patch.active ?? before.active },
        db,
      );
      await this.audit.record({ action: 'department.update', actor: actor.principal, origin: actor.origin, resourceType: 'department', resourceId: code, before, after }, db);
      return after;
    });
  }

  async remove(code: string, actor: Actor): Promise<void> {
    await inTransaction(this.pool, async (db) => {
      const before = await this.departments.get(code, db);
      if (!before) throw departmentNotFound(code);
      const use = await this.departments.inUse(code, db);
      if (use.cases > 0 || use.users > 0) {
        throw new CodedError(409, 'department.in_use', `department ${code} has cases or users: deactivate it instead`, { departmentCode: code, ...use });
      }
      await this.departments.delete(code, db);
      await this.audit.record({ action: 'department.delete', actor: actor.principal, origin: actor.origin, resourceType: 'department', resourceId: code, before }, db);
    });
  }

  async performance(query: { from?: string; to?: string }): Promise<DepartmentPerformance[]> {
    let range: { from: Date; to: Date };
    try {
      range = parseTimeRange(query, 30 * DAY_MS, 366 * DAY_MS);
    } catch (error) {
      const field = ((error as { getResponse?: () => { field?: string } }).getResponse?.().field) ?? 'from';
      throw new CodedError(400, 'query.invalid', (error as Error).message, { field }, field);
    }
    return this.departments.performance(range.from, range.to);
  }
}
