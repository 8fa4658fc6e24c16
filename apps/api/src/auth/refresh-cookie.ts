import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';

export const REFRESH_COOKIE = 'muckwatch_refresh';
const PATH = '/api/v1/auth';

/** The refresh token's cookie: httpOnly, SameSite=Strict, only sent to the auth routes. */
@Injectable()
export class RefreshCookie {
  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {}

  set(res: Response, token: string, expires: Date): void {
    res.cookie(REFRESH_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: this.config.auth.secureCookies, path: PATH, expires });
  }

  clear(res: Response): void {
    res.clearCookie(REFRESH_COOKIE, { httpOnly: true, sameSite: 'strict', secure: this.config.auth.secureCookies, path: PATH });
  }
}
