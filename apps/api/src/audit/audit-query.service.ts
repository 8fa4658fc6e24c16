import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import type { AuditEntry, AuditOutcome, AuditPage, Role } from '@muckwatch/contracts';
import { auditedSessionRef } from '../auth/session-ref.js';
import { PG_POOL } from '../database/database.module.js';

export interface AuditFilter {
  from: Date;
  to: Date;
  /**
   * No `to` was asked for: the range reaches the database's now, whatever `to` says. The API's
   * clock is read in milliseconds and the database's in microseconds, so a row written in the
   * same millisecond as an app-side `new Date()` would otherwise fall outside the range.
   */
  openEnded?: boolean;
  /** An action or a prefix of one: `user` matches `user.create`, `user.update`. */
  action?: string;
  actor?: string;
  outcome?: AuditOutcome;
}

interface AuditRow {
  id: string;
  at: Date;
  actor_id: string | null;
  actor_username: string | null;
  actor_role: Role | null;
  ip: string | null;
  action: string;
  outcome: AuditOutcome;
  resource_type: string | null;
  resource_id: string | null;
  before: unknown;
  after: unknown;
  detail: unknown;
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actorId: row.actor_id,
    actorUsername: row.actor_username,
    actorRole: row.actor_role,
    ip: row.ip,
    action: row.action,
    outcome: row.outcome,
    resourceType: row.resource_type,
    // Never a usable session id, also on rows written before sessions were audited by reference.
    resourceId: row.resource_type === 'session' && row.resource_id !== null ? auditedSessionRef(row.resource_id) : row.resource_id,
    before: row.before,
    after: row.after,
    detail: row.detail,
  };
}

/** Reads the audit log for admins and auditors, newest first. */
@Injectable()
export class AuditQueryService {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async page(filter: AuditFilter, page: number, pageSize: number): Promise<AuditPage> {
    const { where, params } = this.where(filter);
    const [rows, count] = await Promise.all([
      this.pool.query<AuditRow>(
        `SELECT id::text, at, actor_id, actor_username, actor_role, ip, action, outcome, resource_type, resource_id, before, after, detail
         FROM audit_log WHERE ${where} ORDER BY at DESC, id DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
        params,
      ),
      this.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE ${where}`, params),
    ]);
    return { entries: rows.rows.map(toEntry), total: count.rows[0]?.n ?? 0, page, pageSize };
  }

  async all(filter: AuditFilter, limit: number): Promise<AuditEntry[]> {
    const { where, params } = this.where(filter);
    const { rows } = await this.pool.query<AuditRow>(
      `SELECT id::text, at, actor_id, actor_username, actor_role, ip, action, outcome, resource_type, resource_id, before, after, detail
       FROM audit_log WHERE ${where} ORDER BY at DESC, id DESC LIMIT ${limit}`,
      params,
    );
    return rows.map(toEntry);
  }

  private where(filter: AuditFilter): { where: string; params: unknown[] } {
    const params: unknown[] = [filter.from];
    const clauses = ['at >= $1'];
    if (!filter.openEnded) {
      params.push(filter.to);
      clauses.push(`at <= $${params.length}`);
    }
    if (filter.action) {
      params.push(filter.action, `${filter.action}.%`);
      clauses.push(`(action = $${params.length - 1} OR action LIKE $${params.length})`);
    }
    if (filter.actor) {
      params.push(filter.actor);
      clauses.push(`lower(actor_username) = lower($${params.length})`);
    }
    if (filter.outcome) {
      params.push(filter.outcome);
      clauses.push(`outcome = $${params.length}`);
    }
    return { where: clauses.join(' AND '), params };
  }
}
