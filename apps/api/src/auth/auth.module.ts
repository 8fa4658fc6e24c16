import { randomBytes } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { ThrottlerModule } from '@nestjs/throttler';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';
import { UsersModule } from '../users/users.module.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { LoginLockout } from './login-lockout.js';
import { RefreshCookie } from './refresh-cookie.js';
import { SessionEvents } from './session-events.js';

/** A secret all instances share: stored once (the first instance's random value wins), then read. */
async function sharedSecret(dataSource: DataSource, name: string): Promise<string> {
  await dataSource.query(`INSERT INTO cluster_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [name, randomBytes(48).toString('base64url')]);
  const rows = await dataSource.query<Array<{ value: string }>>(`SELECT value FROM cluster_secrets WHERE name = $1`, [name]);
  if (!rows[0]) throw new Error(`cluster secret ${name} missing`);
  return rows[0].value;
}

@Global()
@Module({
  imports: [
    UsersModule,
    JwtModule.registerAsync({
      inject: [API_CONFIG, DataSource],
      // Without AUTH_JWT_SECRET the key is one the database keeps (cluster_secrets: the first
      // instance stores a random one), so every instance of one database signs and checks alike.
      // The DataSource is injected so the migrations have run.
      useFactory: async (config: ApiConfig, dataSource: DataSource) => ({ secret: config.auth.jwtSecret ?? (await sharedSecret(dataSource, 'jwt')) }),
    }),
    ThrottlerModule.forRootAsync({
      inject: [API_CONFIG],
      useFactory: (config: ApiConfig) => [
        { name: 'login', ttl: 60_000, limit: config.http.loginPerMinute },
        { name: 'expensive', ttl: 60_000, limit: config.http.expensivePerMinute },
      ],
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, LoginLockout, RefreshCookie, SessionEvents, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, SessionEvents],
})
export class AuthModule {}
