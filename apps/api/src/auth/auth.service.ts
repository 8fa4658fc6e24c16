import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { BadRequestException, HttpException, HttpStatus, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type pg from 'pg';
import type { TokenResponse } from '@muckwatch/contracts';
import { AuditService } from '../audit/audit.service.js';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';
import { PG_POOL } from '../database/database.module.js';
import { toUserSummary, type UserRow } from '../users/user-row.js';
import { passwordProblem } from './password-policy.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { LoginLockout } from './login-lockout.js';
import type { Principal, RequestOrigin } from './principal.js';
import { SessionEvents } from './session-events.js';
import { sessionRef } from './session-ref.js';

interface AccessClaims {
  sub: string;
  sid: string;
}

export interface IssuedSession {
  response: TokenResponse;
  /** `<session id>.<secret>`: goes only into the httpOnly cookie. */
  refreshToken: string;
  refreshExpiresAt: Date;
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Sent as a 429 while an account is locked; `retryAfterSeconds` becomes the Retry-After header. */
export class AccountLockedException extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    const minutes = Math.ceil(retryAfterSeconds / 60);
    super({ code: 'auth.locked', params: { minutes }, message: `too many failed sign-ins: try again in ${minutes} min` }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/**
 * Sign-in with argon2id passwords, short-lived access tokens (JWT) bound to a server-side
 * session, and rotating refresh tokens. Every request re-reads the session and the user, so a
 * revoked session, a disabled user or a changed role takes effect on the next request.
 */
@Injectable()
export class AuthService {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    private readonly sessions: SessionEvents,
    private readonly lockout: LoginLockout,
  ) {}

  /**
   * Signs in. A real name and an unknown one are answered alike at every step: the same 401, the
   * same lock-out (counted per name typed, LoginLockout) with the same 429 and Retry-After, and an
   * argon2 verification either way (against a dummy hash for an unknown name).
   */
  async login(username: string, password: string, origin: RequestOrigin): Promise<IssuedSession> {
    const lockedFor = await this.lockout.lockedFor(username);
    const { rows } = await this.pool.query<UserRow>(`SELECT * FROM users WHERE lower(username) = lower($1)`, [username]);
    const user = rows[0];
    if (lockedFor !== null) {
      await this.audit.record({ action: 'auth.login', outcome: 'denied', actor: { username }, origin, resourceType: 'user', resourceId: user?.id ?? null, detail: { reason: 'locked' } });
      throw new AccountLockedException(lockedFor);
    }
    const ok = await verifyPassword(user?.password_hash ?? null, password);
    if (!user || !ok || user.disabled) {
      const reason = !user ? 'unknown user' : !ok ? 'wrong password' : 'disabled';
      const lockFor = ok ? null : await this.lockout.failed(username);
      await this.audit.record({ action: 'auth.login', outcome: 'failure', actor: { username }, origin, resourceType: 'user', resourceId: user?.id ?? null, detail: { reason, ...(lockFor ? { lockedForSeconds: lockFor } : {}) } });
      if (lockFor) throw new AccountLockedException(lockFor);
      throw new UnauthorizedException({ code: 'auth.wrong_credentials', params: {}, message: 'wrong username or password' });
    }
    await this.lockout.succeeded(username);
    const { rows: updated } = await this.pool.query<UserRow>(`UPDATE users SET last_login_at = now() WHERE id = $1 RETURNING *`, [user.id]);
    const session = await this.openSession(updated[0]!, origin);
    await this.audit.record({
      action: 'auth.login',
      actor: { userId: user.id, username: user.username, role: user.role, townCode: user.town_code, department: user.department, sessionId: session.sessionId },
      origin,
      resourceType: 'session',
      resourceId: sessionRef(session.sessionId),
    });
    return session.issued;
  }

  /**
   * Exchanges a refresh token for a new access token and a new refresh token (rotation). Only a
   * cookie that proves something changes anything: the current secret rotates; a secret this
   * session has already rotated away from was copied, and ends the session for both holders; any
   * other secret is a 401 that leaves the session alone (a session id alone is not a key).
   */
  async refresh(refreshToken: string | undefined, origin: RequestOrigin): Promise<IssuedSession> {
    const [sessionId, secret] = (refreshToken ?? '').split('.');
    if (!sessionId || !secret || !/^[0-9a-f-]{36}$/.test(sessionId)) throw new UnauthorizedException({ code: 'auth.no_session', params: {}, message: 'no valid session' });
    const { rows } = await this.pool.query<UserRow & { refresh_hash: string; expires_at: Date; revoked_at: Date | null }>(
      `SELECT u.*, s.refresh_hash, s.expires_at, s.revoked_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1`,
      [sessionId],
    );
    const row = rows[0];
    if (!row || row.revoked_at || row.expires_at.getTime() <= Date.now() || row.disabled) {
      throw new UnauthorizedException({ code: 'auth.session_ended', params: {}, message: 'session ended: sign in again' });
    }
    // Compare, rotate and retire the old secret in one statement: of two refreshes racing with the
    // same token, one wins and the other finds it retired.
    const presented = sha256(secret);
    const next = randomBytes(32).toString('base64url');
    const { rowCount } = await this.pool.query(
      `WITH rotated AS (
         UPDATE sessions SET refresh_hash = $3, last_used_at = now() WHERE id = $1 AND refresh_hash = $2 AND revoked_at IS NULL RETURNING id)
       INSERT INTO session_retired_refreshes (refresh_hash, session_id) SELECT $2, id FROM rotated`,
      [sessionId, presented, sha256(next)],
    );
    if (rowCount) return this.issue(row, sessionId, next, row.expires_at);
    const { rowCount: retired } = await this.pool.query(`SELECT 1 FROM session_retired_refreshes WHERE refresh_hash = $1 AND session_id = $2`, [
      presented,
      sessionId,
    ]);
    const reason = retired ? 'refresh token reused' : 'unknown refresh token';
    // A refresh token used twice means it was copied: end the session for both holders.
    if (retired) await this.revoke(sessionId, reason);
    await this.audit.record({
      action: 'auth.refresh',
      outcome: retired ? 'denied' : 'failure',
      actor: { username: row.username },
      origin,
      resourceType: 'session',
      resourceId: sessionRef(sessionId),
      detail: { reason },
    });
    throw new UnauthorizedException(
      retired
        ? { code: 'auth.session_ended', params: {}, message: 'session ended: sign in again' }
        : { code: 'auth.no_session', params: {}, message: 'no valid session' },
    );
  }

  async logout(principal: Principal, origin: RequestOrigin): Promise<void> {
    await this.revoke(principal.sessionId, 'signed out');
    await this.audit.record({ action: 'auth.logout', actor: principal, origin, resourceType: 'session', resourceId: sessionRef(principal.sessionId) });
  }

  async changePassword(principal: Principal, current: string, next: string, origin: RequestOrigin): Promise<void> {
    const { rows } = await this.pool.query<UserRow>(`SELECT * FROM users WHERE id = $1`, [principal.userId]);
    const user = rows[0];
    if (!user || !(await verifyPassword(user.password_hash, current))) {
      await this.audit.record({ action: 'user.password', outcome: 'failure', actor: principal, origin, resourceType: 'user', resourceId: principal.userId });
      throw new BadRequestException({ code: 'auth.current_password_wrong', params: {}, message: 'the current password is wrong', field: 'currentPassword' });
    }
    const problem = passwordProblem(next, user.username);
    if (problem) throw new BadRequestException({ ...problem, field: 'newPassword' });
    await this.pool.query(`UPDATE users SET password_hash = $2, password_changed_at = now(), updated_at = now() WHERE id = $1`, [
      user.id,
      await hashPassword(next),
    ]);
    await this.pool.query(
      `UPDATE sessions SET revoked_at = now(), revoked_reason = 'password changed' WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL`,
      [user.id, principal.sessionId],
    );
    this.sessions.changed({ userId: user.id });
    await this.audit.record({ action: 'user.password', actor: principal, origin, resourceType: 'user', resourceId: user.id });
  }

  /** The signed-in user behind an access token, as the database says now; null if not valid. */
  async authenticate(accessToken: string): Promise<Principal | null> {
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims & object>(accessToken, { algorithms: ['HS256'] });
    } catch {
      return null;
    }
    const principal = await this.sessionPrincipal(claims.sid);
    return principal?.userId === claims.sub ? principal : null;
  }

  /** The user of a live session (not revoked, not expired, user enabled), or null. */
  async sessionPrincipal(sessionId: string): Promise<Principal | null> {
    const user = await this.liveSessionUser(sessionId);
    if (!user) return null;
    return { userId: user.id, username: user.username, role: user.role, townCode: user.town_code, department: user.department, sessionId };
  }

  private async liveSessionUser(sessionId: string): Promise<UserRow | undefined> {
    const { rows } = await this.pool.query<UserRow>(
      `SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND NOT u.disabled`,
      [sessionId],
    );
    return rows[0];
  }

  private async openSession(user: UserRow, origin: RequestOrigin): Promise<{ sessionId: string; issued: IssuedSession }> {
    const sessionId = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.auth.refreshTokenHours * 3_600_000);
    await this.pool.query(
      `INSERT INTO sessions (id, user_id, refresh_hash, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6)`,
      [sessionId, user.id, sha256(secret), expiresAt, origin.ip, origin.userAgent],
    );
    return { sessionId, issued: await this.issue(user, sessionId, secret, expiresAt) };
  }

  private async issue(user: UserRow, sessionId: string, secret: string, expiresAt: Date): Promise<IssuedSession> {
    const claims: AccessClaims = { sub: user.id, sid: sessionId };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.config.auth.accessTokenSeconds, algorithm: 'HS256' });
    return {
      response: { accessToken, expiresIn: this.config.auth.accessTokenSeconds, user: toUserSummary(user) },
      refreshToken: `${sessionId}.${secret}`,
      refreshExpiresAt: expiresAt,
    };
  }

  private async revoke(sessionId: string, reason: string): Promise<void> {
    await this.pool.query(`UPDATE sessions SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL`, [sessionId, reason]);
    this.sessions.changed({ sessionId });
  }
}
