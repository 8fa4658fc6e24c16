import type { Role, UserSummary } from '@muckwatch/contracts';

/** A `users` row as the accounts code reads it. */
export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  town_code: string | null;
  department: string | null;
  disabled: boolean;
  created_at: Date;
  last_login_at: Date | null;
}

export function toUserSummary(row: UserRow): UserSummary {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    townCode: row.town_code,
    department: row.department,
    disabled: row.disabled,
    createdAt: row.created_at.toISOString(),
    lastLoginAt: row.last_login_at?.toISOString() ?? null,
  };
}

/** What the audit log keeps of a user: never the hash. */
export function auditedUser(row: UserRow): Record<string, unknown> {
  const { password_hash: _hash, last_login_at: _ll, ...rest } = row;
  return rest;
}
