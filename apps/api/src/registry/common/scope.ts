import type { Principal } from '../../auth/principal.js';

/**
 * The town a caller's reads are limited to: a town official sees only their own town's
 * construction sites, approvals and disposal sites (another town's by id is 404, not 403);
 * everyone else sees the whole district (null).
 */
export function townScope(principal: Principal | undefined): string | null {
  return principal?.role === 'town_official' ? principal.townCode : null;
}
