import { Inject, Injectable, Logger } from '@nestjs/common';
import type pg from 'pg';
import type { CreateUserRequest } from '@muckwatch/contracts';
import { passwordProblem } from '../auth/password-policy.js';
import { API_CONFIG, ConfigError, type ApiConfig } from '../config/api-config.js';
import { PG_POOL } from '../database/database.module.js';
import { UsersService } from './users.service.js';

/** The demo's accounts, one per role, documented in the README. Never seeded outside the demo. */
export const DEMO_PASSWORD = 'Demo-linzi-2026';
export const DEMO_ACCOUNTS: ReadonlyArray<Omit<CreateUserRequest, 'password'>> = [
  { username: 'admin', displayName: '系统管理员', role: 'admin' },
  { username: 'dispatcher', displayName: '渣土办调度员', role: 'dispatcher' },
  { username: 'town', displayName: '齐鲁石化工作人员', role: 'town_official', townCode: 'E37030501' },
  { username: 'enforcement', displayName: '执法一中队队员', role: 'enforcement_officer', department: 'urban-management' },
  { username: 'auditor', displayName: '审计员', role: 'auditor' },
];

/**
 * No default credentials: the first admin comes from ADMIN_USERNAME / ADMIN_PASSWORD at first
 * start (created only if no user of that name exists, never overwritten). The demo seeds its
 * documented accounts and says so loudly. Run by startApi once the application (and with it the
 * registry's towns) is initialised: the demo's town official needs its town.
 */
@Injectable()
export class AccountSeedService {
  private readonly logger = new Logger('Accounts');

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly users: UsersService,
  ) {}

  async seed(): Promise<void> {
    const admin = this.config.auth.firstAdmin;
    if (admin && !(await this.exists(admin.username))) {
      const problem = passwordProblem(admin.password, admin.username);
      if (problem) throw new ConfigError(`ADMIN_PASSWORD: ${problem}`);
      await this.users.create(
        { username: admin.username, displayName: admin.username, password: admin.password, role: 'admin' },
        null,
        null,
      );
      this.logger.log(`created the first admin "${admin.username}" from ADMIN_USERNAME`);
    }
    if (this.config.auth.seedDemoAccounts) {
      for (const account of DEMO_ACCOUNTS) {
        if (!(await this.exists(account.username))) await this.users.create({ ...account, password: DEMO_PASSWORD }, null, null);
      }
      this.logger.warn(
        `DEMO ACCOUNTS ARE ENABLED (SEED_DEMO): ${DEMO_ACCOUNTS.map((a) => a.username).join(', ')} with password ${DEMO_PASSWORD}. Never use SEED_DEMO in production.`,
      );
    }
    const { rows } = await this.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND NOT disabled`);
    if ((rows[0]?.n ?? 0) === 0) {
      this.logger.warn('no admin account exists: set ADMIN_USERNAME and ADMIN_PASSWORD and restart to create the first one');
    }
  }

  private async exists(username: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(`SELECT 1 FROM users WHERE lower(username) = lower($1)`, [username]);
    return (rowCount ?? 0) > 0;
  }
}
