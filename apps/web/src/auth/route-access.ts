import type { Role } from '@muckwatch/contracts';

export const LOGIN_PATH = '/login';
export const HOME_PATH = '/';
export const INBOX_PATH = '/inbox';

/**
 * Which roles may open each role-limited page (by route name); a page not listed is open to
 * everyone signed in. The API enforces the same scopes; this only keeps the menu honest.
 */
export const PAGE_ROLES = {
  users: ['admin'],
  audit: ['admin', 'auditor'],
  /** Every role reads cases; the API scopes the list (a town its town, an officer their department's). */
  violations: ['admin', 'dispatcher', 'town_official', 'enforcement_officer', 'auditor'],
  'violation-detail': ['admin', 'dispatcher', 'town_official', 'enforcement_officer', 'auditor'],
  inbox: ['enforcement_officer'],
  departments: ['admin'],
  /** Track replay: whoever reads a terminal's fixes (the API's positions and replay controllers); not town officials. */
  replay: ['admin', 'dispatcher', 'auditor', 'enforcement_officer'],
  /** The towns' ledgers (台账) menu: a town its own, the muck office all, auditors read only. */
  ledgers: ['admin', 'dispatcher', 'town_official', 'auditor', 'enforcement_officer'],
  /** Waste piles, collection points and requests. */
  'ledger-records': ['admin', 'dispatcher', 'town_official', 'auditor'],
  /** Findings: enforcement officers read them too (road pollution and dumping points are theirs to act on). */
  'ledger-findings': ['admin', 'dispatcher', 'town_official', 'auditor', 'enforcement_officer'],
  /** Trips (运次): the API shows a town its own, enforcement officers none. */
  trips: ['admin', 'dispatcher', 'town_official', 'auditor'],
  /** The control policies' switches (管控策略): the administrator's. */
  'control-policies': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

/** Where a role lands after signing in: an enforcement officer on their inbox, everyone else on the live map. */
export function homePathFor(role: Role | null): string {
  return role === 'enforcement_officer' ? INBOX_PATH : HOME_PATH;
}

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
      return { kind: 'redirect', to: safeRedirect(target.redirect) ?? homePathFor(role), forbidden: false };
    }
    return { kind: 'allow' };
  }
  if (role === null) {
    return { kind: 'login', redirect: target.fullPath === HOME_PATH ? null : safeRedirect(target.fullPath) };
  }
  if (!roleAllows(target.roles, role)) return { kind: 'redirect', to: homePathFor(role), forbidden: true };
  return { kind: 'allow' };
}
