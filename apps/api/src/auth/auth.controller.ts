import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { ChangePasswordRequest, LoginRequest, TokenResponse, UserSummary } from '@muckwatch/contracts';
import { bodyValidator } from '../common/validate-body.js';
import { UsersService } from '../users/users.service.js';
import { CurrentPrincipal, Origin, Public, requestOrigin } from './auth.decorators.js';
import { AuthService, type IssuedSession } from './auth.service.js';
import type { Principal, RequestOrigin } from './principal.js';
import { RateLimited } from './rate-limited.js';
import { REFRESH_COOKIE, RefreshCookie } from './refresh-cookie.js';

const loginBody = bodyValidator<LoginRequest>({
  type: 'object',
  additionalProperties: false,
  required: ['username', 'password'],
  properties: { username: { type: 'string', minLength: 1, maxLength: 64 }, password: { type: 'string', minLength: 1, maxLength: 128 } },
});

const passwordBody = bodyValidator<ChangePasswordRequest>({
  type: 'object',
  additionalProperties: false,
  required: ['currentPassword', 'newPassword'],
  properties: { currentPassword: { type: 'string', maxLength: 128 }, newPassword: { type: 'string', maxLength: 128 } },
});

@ApiTags('accounts')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly cookie: RefreshCookie,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @RateLimited('login')
  @ApiOperation({ summary: 'Sign in; the refresh token is set as an httpOnly cookie. 429 with Retry-After while locked out.' })
  async login(@Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<TokenResponse> {
    const { username, password } = loginBody(body);
    return this.send(await this.auth.login(username, password, requestOrigin(req)), res);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @RateLimited('login')
  @ApiOperation({ summary: 'A new access token from the refresh cookie (which is rotated)' })
  async refresh(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<TokenResponse> {
    const token = (req.cookies as Record<string, string | undefined>)[REFRESH_COOKIE];
    try {
      return this.send(await this.auth.refresh(token, requestOrigin(req)), res);
    } catch (error) {
      this.cookie.clear(res);
      throw error;
    }
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'End this session' })
  async logout(@CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(principal, origin);
    this.cookie.clear(res);
  }

  @Get('me')
  @ApiOperation({ summary: 'The signed-in user' })
  me(@CurrentPrincipal() principal: Principal): Promise<UserSummary> {
    return this.users.get(principal.userId);
  }

  @Post('password')
  @HttpCode(204)
  @ApiOperation({ summary: "Change one's own password; other sessions end" })
  async password(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @Origin() origin: RequestOrigin): Promise<void> {
    const { currentPassword, newPassword } = passwordBody(body);
    await this.auth.changePassword(principal, currentPassword, newPassword, origin);
  }

  private send(session: IssuedSession, res: Response): TokenResponse {
    this.cookie.set(res, session.refreshToken, session.refreshExpiresAt);
    return session.response;
  }
}
