/** People who use the console, and what they may see (issue #5). */
export const ROLES = ['admin', 'dispatcher', 'town_official', 'enforcement_officer', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that may change the registry (companies, trucks, terminals, sites, approvals). */
export const REGISTRY_EDITORS: readonly Role[] = ['admin', 'dispatcher'];

export interface UserSummary {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  /** The one town or street a town official is scoped to. */
  townCode: string | null;
  /** The code of the department an enforcement officer is scoped to (`Department.code`, GET /api/v1/departments). */
  department: string | null;
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface LoginRequest {
  username: string;
  password: string;
}

/**
 * POST /api/v1/auth/login and /api/v1/auth/refresh. The refresh token travels only as an
 * httpOnly cookie (`muckwatch_refresh`, path /api/v1/auth); the access token is kept in memory.
 */
export interface TokenResponse {
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  user: UserSummary;
}

export interface CreateUserRequest {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  townCode?: string | null;
  department?: string | null;
}

export interface UpdateUserRequest {
  displayName?: string;
  role?: Role;
  townCode?: string | null;
  department?: string | null;
  disabled?: boolean;
  /** A new password set by an admin; the user's sessions are revoked. */
  password?: string;
}

export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}

export type AuditOutcome = 'success' | 'denied' | 'failure';

/** One row of the append-only audit log, GET /api/v1/audit. */
export interface AuditEntry {
  id: string;
  at: string;
  actorId: string | null;
  actorUsername: string | null;
  actorRole: Role | null;
  ip: string | null;
  /** e.g. `auth.login`, `user.update`, `terminal.credentials.issue`, `authz.denied` */
  action: string;
  outcome: AuditOutcome;
  resourceType: string | null;
  resourceId: string | null;
  before: unknown;
  after: unknown;
  detail: unknown;
}

export interface AuditPage {
  entries: AuditEntry[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * POST /api/v1/terminals/{terminalId}/credentials (201): a terminal's MQTT credentials. The
 * password is shown this once; issuing again revokes it. The terminal connects with client id
 * and username both equal to its terminal id.
 */
export interface TerminalCredentialsResponse {
  terminalId: string;
  clientId: string;
  username: string;
  password: string;
  issuedAt: string;
  /** Whether an earlier secret was revoked by this issue. */
  rotated: boolean;
}
