import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type pg from 'pg';
import type { CreateUserRequest, Role, UpdateUserRequest, UserSummary } from '@muckwatch/contracts';
import { AuditService } from '../audit/audit.service.js';
import { passwordProblem } from '../auth/password-policy.js';
import { hashPassword } from '../auth/passwords.js';
import { SessionEvents } from '../auth/session-events.js';
import type { Principal, RequestOrigin } from '../auth/principal.js';
import { PG_POOL } from '../database/database.module.js';
import { auditedUser, toUserSummary, type UserRow } from './user-row.js';
import { inTransaction } from '../database/transaction.js';

/** Who may change whom; an admin may not lock themself out of the last admin account. */
@Injectable()
export class UsersService {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly audit: AuditService,
    private readonly sessions: SessionEvents,
  ) {}

  async list(): Promise<UserSummary[]> {
    const { rows } = await this.pool.query<UserRow>(`SELECT * FROM users ORDER BY role, username`);
    return rows.map(toUserSummary);
  }

  async get(id: string): Promise<UserSummary> {
    return toUserSummary(await this.row(id));
  }

  async create(request: CreateUserRequest, actor: Principal | null, origin: RequestOrigin | null): Promise<UserSummary> {
    const problem = passwordProblem(request.password, request.username);
    if (problem) throw new BadRequestException({ message: problem, field: 'password' });
    const scope = await this.checkScope(this.pool, request.role, request.townCode ?? null, request.department ?? null);
    const hash = await hashPassword(request.password);
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<UserRow>(
        `INSERT INTO users (username, display_name, password_hash, role, town_code, department)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT ((lower(username))) DO NOTHING
         RETURNING *`,
        [request.username, request.displayName, hash, request.role, scope.townCode, scope.department],
      );
      const row = rows[0];
      if (!row) throw new ConflictException({ message: `username ${request.username} is taken`, field: 'username' });
      await this.audit.record(
        { action: 'user.create', actor, origin, resourceType: 'user', resourceId: row.id, after: auditedUser(row) },
        client,
      );
      return toUserSummary(row);
    });
  }

  async update(id: string, request: UpdateUserRequest, actor: Principal, origin: RequestOrigin): Promise<UserSummary> {
    const after = await inTransaction(this.pool, async (client) => {
      const { rows: found } = await client.query<UserRow>(`SELECT * FROM users WHERE id = $1 FOR UPDATE`, [id]);
      const before = found[0];
      if (!before) throw new NotFoundException(`no user ${id}`);
      const role = request.role ?? before.role;
      const scope = await this.checkScope(
        client,
        role,
        request.townCode !== undefined ? request.townCode : role === before.role ? before.town_code : null,
        request.department !== undefined ? request.department : role === before.role ? before.department : null,
      );
      const disabled = request.disabled ?? before.disabled;
      if (before.role === 'admin' && (role !== 'admin' || disabled)) await this.keepOneAdmin(client, id);
      let hash = before.password_hash;
      if (request.password !== undefined) {
        const problem = passwordProblem(request.password, before.username);
        if (problem) throw new BadRequestException({ message: problem, field: 'password' });
        hash = await hashPassword(request.password);
      }
      const { rows } = await client.query<UserRow>(
        `UPDATE users SET display_name = $2, role = $3, town_code = $4, department = $5, disabled = $6,
                password_hash = $7,
                password_changed_at = CASE WHEN $7 <> password_hash THEN now() ELSE password_changed_at END,
                updated_at = now()
         WHERE id = $1 RETURNING *`,
        [id, request.displayName ?? before.display_name, role, scope.townCode, scope.department, disabled, hash],
      );
      const changed = rows[0]!;
      // An admin's change to an enabled account lifts its sign-in lock-out.
      if (!disabled) await client.query(`DELETE FROM login_failures WHERE name = lower($1)`, [changed.username]);
      // A disabled account or a new password ends every session at once; a role or scope change
      // needs no revocation: the guard reads role and scope from this row on every request.
      if (disabled || request.password !== undefined) {
        await client.query(
          `UPDATE sessions SET revoked_at = now(), revoked_reason = $2 WHERE user_id = $1 AND revoked_at IS NULL`,
          [id, disabled ? 'user disabled' : 'password reset'],
        );
      }
      await this.audit.record(
        {
          action: 'user.update',
          actor,
          origin,
          resourceType: 'user',
          resourceId: id,
          before: auditedUser(before),
          after: auditedUser(changed),
          detail: request.password !== undefined ? { passwordReset: true } : undefined,
        },
        client,
      );
      return changed;
    });
    this.sessions.changed({ userId: id });
    return toUserSummary(after);
  }

  private async row(id: string): Promise<UserRow> {
    const { rows } = await this.pool.query<UserRow>(`SELECT * FROM users WHERE id = $1`, [id]);
    if (!rows[0]) throw new NotFoundException(`no user ${id}`);
    return rows[0];
  }

  private async keepOneAdmin(client: pg.PoolClient, leaving: string): Promise<void> {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND NOT disabled AND id <> $1`,
      [leaving],
    );
    if ((rows[0]?.n ?? 0) === 0) {
      throw new ConflictException({ message: 'the last active admin cannot be disabled or demoted', field: 'role' });
    }
  }

  /** A town official needs an existing town, an enforcement officer a department; others neither. */
  private async checkScope(
    db: pg.Pool | pg.PoolClient,
    role: Role,
    townCode: string | null,
    department: string | null,
  ): Promise<{ townCode: string | null; department: string | null }> {
    if (role === 'town_official') {
      if (!townCode) throw new BadRequestException({ message: 'a town official needs a townCode', field: 'townCode' });
      const { rowCount } = await db.query(`SELECT 1 FROM towns WHERE code = $1`, [townCode]);
      if (!rowCount) throw new BadRequestException({ message: `no town ${townCode}`, field: 'townCode' });
      return { townCode, department: null };
    }
    if (role === 'enforcement_officer') {
      if (!department?.trim()) {
        throw new BadRequestException({ message: 'an enforcement officer needs a department', field: 'department' });
      }
      const code = department.trim();
      const { rowCount } = await db.query(`SELECT 1 FROM departments WHERE code = $1 AND active`, [code]);
      if (!rowCount) {
        throw new BadRequestException({ code: 'department.unknown', params: { departmentCode: code }, message: `no active department ${code}`, field: 'department' });
      }
      return { townCode: null, department: code };
    }
    if (townCode) throw new BadRequestException({ message: `a ${role} has no town scope`, field: 'townCode' });
    if (department) throw new BadRequestException({ message: `a ${role} has no department scope`, field: 'department' });
    return { townCode: null, department: null };
  }
}
