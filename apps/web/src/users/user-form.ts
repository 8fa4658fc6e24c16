import type { CreateUserRequest, Role, UpdateUserRequest, UserSummary } from '@muckwatch/contracts';

/** Letters, digits, dots, hyphens, underscores; 3–32 long (the API's rule; sign-in ignores case). */
export const USERNAME_PATTERN = /^[A-Za-z0-9._-]{3,32}$/;

/** What the create / edit dialog holds. */
export interface UserForm {
  username: string;
  displayName: string;
  password: string;
  role: Role | '';
  townCode: string;
  department: string;
}

export const emptyUserForm = (): UserForm => ({
  username: '',
  displayName: '',
  password: '',
  role: '',
  townCode: '',
  department: '',
});

export const formFromUser = (user: UserSummary): UserForm => ({
  username: user.username,
  displayName: user.displayName,
  password: '',
  role: user.role,
  townCode: user.townCode ?? '',
  department: user.department ?? '',
});

/** A role's scope: town officials have a town, enforcement officers a department, others neither. */
export function scopeOf(role: Role, form: Pick<UserForm, 'townCode' | 'department'>): { townCode: string | null; department: string | null } {
  return {
    townCode: role === 'town_official' ? form.townCode.trim() || null : null,
    department: role === 'enforcement_officer' ? form.department.trim() || null : null,
  };
}

export function createRequest(form: UserForm): CreateUserRequest {
  if (form.role === '') throw new Error('role is required');
  return {
    username: form.username.trim(),
    displayName: form.displayName.trim(),
    password: form.password,
    role: form.role,
    ...scopeOf(form.role, form),
  };
}

/** Only what changed; a role change also sends the scope, so an old town or department is cleared. */
export function updateRequest(user: UserSummary, form: UserForm): UpdateUserRequest {
  if (form.role === '') throw new Error('role is required');
  const request: UpdateUserRequest = {};
  const displayName = form.displayName.trim();
  if (displayName !== user.displayName) request.displayName = displayName;
  if (form.role !== user.role) request.role = form.role;
  const scope = scopeOf(form.role, form);
  if (request.role !== undefined || scope.townCode !== user.townCode) request.townCode = scope.townCode;
  if (request.role !== undefined || scope.department !== user.department) request.department = scope.department;
  return request;
}

export type UserStatusFilter = 'active' | 'disabled' | '';

export interface UserFilter {
  query: string;
  role: Role | '';
  status: UserStatusFilter;
}

/**
 * The users matching the search (username, name, department or town name, case-insensitive),
 * role and status; sorted by username.
 */
export function filterUsers(
  users: readonly UserSummary[],
  filter: UserFilter,
  townName: (code: string) => string | null = () => null,
  departmentName: (code: string) => string | null = () => null,
): UserSummary[] {
  const query = filter.query.trim().toLowerCase();
  return users
    .filter((user) => filter.role === '' || user.role === filter.role)
    .filter((user) => filter.status === '' || (filter.status === 'disabled') === user.disabled)
    .filter((user) => {
      if (!query) return true;
      const haystack = [
        user.username,
        user.displayName,
        user.department,
        user.department ? departmentName(user.department) : null,
        user.townCode,
        user.townCode ? townName(user.townCode) : null,
      ];
      return haystack.some((value) => value?.toLowerCase().includes(query));
    })
    .sort((a, b) => a.username.localeCompare(b.username));
}
