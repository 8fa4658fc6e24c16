import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Role } from '@muckwatch/contracts';
import type { Principal, RequestOrigin } from './principal.js';

export const PUBLIC_KEY = 'muckwatch:public';
export const ROLES_KEY = 'muckwatch:roles';

/** No sign-in needed (health, metrics, login, the console's boot config). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

/**
 * Only these roles may call the handler; without it any signed-in user may. Scope (town,
 * department) is applied by the service from the Principal.
 */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

export interface AuthenticatedRequest extends Request {
  principal?: Principal;
}

/** The signed-in user of this request (set by the global AuthGuard). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const request = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.principal) throw new Error('CurrentPrincipal used on a public route');
  return request.principal;
});

export function requestOrigin(request: Request): RequestOrigin {
  const agent = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: typeof agent === 'string' ? agent.slice(0, 300) : null };
}

/** The caller's address and agent, for the audit log. */
export const Origin = createParamDecorator((_data: unknown, ctx: ExecutionContext): RequestOrigin =>
  requestOrigin(ctx.switchToHttp().getRequest<Request>()),
);
