import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import type { AuditOutcome } from '@muckwatch/contracts';
import { PG_POOL } from '../database/database.module.js';
import type { Principal, RequestOrigin } from '../auth/principal.js';

/** Anything that runs SQL: the pool, a pool client, or a TypeORM EntityManager inside a transaction. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export interface AuditRecord {
  /** Dotted verb: `auth.login`, `user.update`, `truck.create`, `authz.denied`, … */
  action: string;
  outcome?: AuditOutcome;
  /** The signed-in user, or only a name (a failed login), or null (the system itself). */
  actor: Principal | { username: string } | null;
  origin?: RequestOrigin | null;
  resourceType?: string | null;
  resourceId?: string | null;
  before?: unknown;
  after?: unknown;
  detail?: unknown;
}

const SECRET_KEYS = /pass(word)?|secret|token|hash/i;

/** Secrets never reach the audit log, whatever a caller hands over. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, v]) => [key, SECRET_KEYS.test(key) ? '[redacted]' : redactSecrets(v)]),
  );
}

function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(redactSecrets(value));
}

/**
 * Appends to the audit log. The table refuses UPDATE, and DELETE of rows younger than 180 days,
 * in the database itself (migration AccountsAndAudit), so not even this service can rewrite it.
 * Pass the transaction's `db` so a change and its audit row commit together.
 */
@Injectable()
export class AuditService {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async record(entry: AuditRecord, db: Queryable = this.pool): Promise<void> {
    const actor = entry.actor;
    const principal = actor && 'userId' in actor ? actor : null;
    await db.query(
      `INSERT INTO audit_log (actor_id, actor_username, actor_role, ip, user_agent, action, outcome,
                              resource_type, resource_id, before, after, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12::jsonb)`,
      [
        principal?.userId ?? null,
        actor?.username ?? null,
        principal?.role ?? null,
        entry.origin?.ip ?? null,
        entry.origin?.userAgent ?? null,
        entry.action,
        entry.outcome ?? 'success',
        entry.resourceType ?? null,
        entry.resourceId ?? null,
        json(entry.before),
        json(entry.after),
        json(entry.detail),
      ],
    );
  }
}
