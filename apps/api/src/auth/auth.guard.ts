import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@muckwatch/contracts';
import { AuditService } from '../audit/audit.service.js';
import { type AuthenticatedRequest, PUBLIC_KEY, requestOrigin, ROLES_KEY } from './auth.decorators.js';
import { AuthService } from './auth.service.js';

/**
 * Global guard on every HTTP route: a valid access token bound to a live session, then the
 * route's roles. Routes opt out only with @Public(). Denials are audited.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
    const principal = token ? await this.auth.authenticate(token) : null;
    if (!principal) throw new UnauthorizedException({
        code: 'auth.sign_in_required',
        params: {},
        message: 'sign in first, or again: the access token is missing, expired or revoked',
      });
    request.principal = principal;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(principal.role)) {
      await this.audit.record({
        action: 'authz.denied',
        outcome: 'denied',
        actor: principal,
        origin: requestOrigin(request),
        resourceType: 'route',
        resourceId: `${request.method} ${request.route ? (request.route as { path: string }).path : request.path}`,
        detail: { allowed: roles },
      });
      throw new ForbiddenException({ code: 'auth.role_required', params: { roles }, message: `this needs the role ${roles.join(' or ')}` });
    }
    return true;
  }
}
