import type { Role } from '@muckwatch/contracts';

export const LOGIN_PATH = '/login';
export const HOME_PATH = '/';

/** What the router needs to know about the page being opened. */
export interface RouteTarget {
  fullPath: string;
  /** Open without signing in (the login page). */
  public?: boolean;
  /** Only these roles may open it; any signed-in user when absent. */
  roles?: readonly Role[];
  /** The `redirect` query of the login page. */
  redirect?: unknown;
}

export type RouteDecision =
  | { kind: 'allow' }
  | { kind: 'login'; redirect: string | null }
  | { kind: 'redirect'; to: string; forbidden: boolean };

/** True when `role` may open a page limited to `roles` (no limit: everyone signed in). */
export function roleAllows(roles: readonly Role[] | undefined, role: Role): boolean {
  return !roles || roles.includes(role);
}

/**
 * Only a path inside the console may be a redirect target (an open redirect to another site,
 * `//evil.example`, or back to the login page is ignored).
 */
export function safeRedirect(value: unknown): string | null {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return null;
  if (value === LOGIN_PATH || value.startsWith(`${LOGIN_PATH}?`)) return null;
  return value;
}

/** Where the router sends someone opening `target`, signed in as `role` (null: signed out). */
export function decideRoute(target: RouteTarget, role: Role | null): RouteDecision {
  if (target.public) {
    // The login page, already signed in: carry on to where they were going.
    if (role !== null && target.fullPath.startsWith(LOGIN_PATH)) {
      return { kind: 'redirect', to: safeRedirect(target.redirect) ?? HOME_PATH, forbidden: false };
    }
    return { kind: 'allow' };
  }
  if (role === null) {
    return { kind: 'login', redirect: target.fullPath === HOME_PATH ? null : safeRedirect(target.fullPath) };
  }
  if (!roleAllows(target.roles, role)) return { kind: 'redirect', to: HOME_PATH, forbidden: true };
  return { kind: 'allow' };
}
