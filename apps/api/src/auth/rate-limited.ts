import { applyDecorators, UseGuards } from '@nestjs/common';
import { SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';

/** The named rate limits (per client address, per minute; see LOGIN_RATE_PER_MINUTE, EXPENSIVE_RATE_PER_MINUTE). */
export type RateLimit = 'login' | 'expensive';

/** Applies one named rate limit to a route; 429 with Retry-After when exceeded. */
export function RateLimited(limit: RateLimit): MethodDecorator & ClassDecorator {
  const other: RateLimit = limit === 'login' ? 'expensive' : 'login';
  return applyDecorators(UseGuards(ThrottlerGuard), SkipThrottle({ [other]: true }));
}
