import { randomBytes } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';
import { UsersModule } from '../users/users.module.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { LoginLockout } from './login-lockout.js';
import { RefreshCookie } from './refresh-cookie.js';
import { SessionEvents } from './session-events.js';

@Global()
@Module({
  imports: [
    UsersModule,
    JwtModule.registerAsync({
      inject: [API_CONFIG],
      // Without AUTH_JWT_SECRET each start has its own key: access tokens end with the process,
      // sessions do not (the console refreshes). Several API instances need the same secret.
      useFactory: (config: ApiConfig) => ({ secret: config.auth.jwtSecret ?? randomBytes(48).toString('base64url') }),
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
