import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type pg from 'pg';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';
import { PG_POOL } from '../database/database.module.js';

/** A name's failures are forgotten a day after the last one (unless it is still locked). */
const FORGET_AFTER_SECONDS = 86_400;
const LONGEST_LOCK_SECONDS = 86_400;
const SWEEP_MS = 10 * 60_000;

/**
 * Wrong passwords counted per name typed (case-insensitive), for real and unknown usernames
 * alike: the same thresholds, the same 429 and Retry-After, so the lock-out tells no one which
 * names exist. Counters live in the database (`login_failures`), shared by every API instance;
 * rows older than a day and not locked are swept, so a spray of made-up names stays bounded.
 */
@Injectable()
export class LoginLockout implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LoginLockout.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep().catch((error: Error) => this.logger.warn(`sweep failed: ${error.message}`)), SWEEP_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Seconds until the name's lock ends, or null when it is not locked. */
  async lockedFor(name: string): Promise<number | null> {
    const { rows } = await this.pool.query<{ seconds: number }>(
      `SELECT extract(epoch FROM locked_until - now())::float8 AS seconds FROM login_failures WHERE name = lower($1) AND locked_until > now()`,
      [name],
    );
    return rows[0]?.seconds ?? null;
  }

  /**
   * Counts a wrong password (or an unknown name); returns the lock in seconds when this failure
   * starts one. Back-off: each further run of failures doubles the lock (15, 30, 60 … min, at most a day).
   */
  async failed(name: string): Promise<number | null> {
    const { maxFailedLogins, lockoutMinutes } = this.config.auth;
    const { rows } = await this.pool.query<{ failures: number }>(
      `INSERT INTO login_failures AS f (name, failures, last_failure_at) VALUES (lower($1), 1, now())
       ON CONFLICT (name) DO UPDATE SET
         failures = CASE WHEN f.last_failure_at < now() - make_interval(secs => $2) AND (f.locked_until IS NULL OR f.locked_until < now())
                         THEN 1 ELSE f.failures + 1 END,
         last_failure_at = now()
       RETURNING failures`,
      [name, FORGET_AFTER_SECONDS],
    );
    const failures = rows[0]?.failures ?? 0;
    if (failures < maxFailedLogins) return null;
    const runs = Math.floor(failures / maxFailedLogins) - 1;
    const seconds = Math.min(lockoutMinutes * 60 * 2 ** runs, LONGEST_LOCK_SECONDS);
    await this.pool.query(`UPDATE login_failures SET locked_until = now() + make_interval(secs => $2) WHERE name = lower($1)`, [name, seconds]);
    return seconds;
  }

  /** A successful sign-in forgets the name's failures. */
  async succeeded(name: string): Promise<void> {
    await this.pool.query(`DELETE FROM login_failures WHERE name = lower($1)`, [name]);
  }

  /** Deletes the counters of names neither locked nor failed within a day. */
  async sweep(): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM login_failures
        WHERE last_failure_at < now() - make_interval(secs => $1) AND (locked_until IS NULL OR locked_until < now())`,
      [FORGET_AFTER_SECONDS],
    );
    return rowCount ?? 0;
  }
}
