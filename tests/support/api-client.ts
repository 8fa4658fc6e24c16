import { randomBytes } from 'node:crypto';
import type { CreateUserRequest, Role, TokenResponse, UserSummary } from '@muckwatch/contracts';

/** The first admin every API under test is started with (ADMIN_USERNAME / ADMIN_PASSWORD). */
export const TEST_ADMIN = { username: 'test-admin', password: 'Lab-Muckwatch-2026!' } as const;

export interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** HTTP as one signed-in user: every call carries their access token. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly token: string,
    readonly user: UserSummary,
    readonly password: string,
  ) {}

  get<T>(path: string): Promise<ApiResponse<T>> {
    return this.send<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<ApiResponse<T>> {
    return this.send<T>('POST', path, body);
  }

  put<T>(path: string, body?: unknown): Promise<ApiResponse<T>> {
    return this.send<T>('PUT', path, body);
  }

  patch<T>(path: string, body?: unknown): Promise<ApiResponse<T>> {
    return this.send<T>('PATCH', path, body);
  }

  delete<T>(path: string): Promise<ApiResponse<T>> {
    return this.send<T>('DELETE', path);
  }

  async send<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<ApiResponse<T>> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': contentType }),
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, headers: res.headers, body: (type.includes('json') && text ? JSON.parse(text) : text) as T };
  }
}

export async function login(baseUrl: string, username: string, password: string): Promise<ApiClient> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as TokenResponse;
  return new ApiClient(baseUrl, body.accessToken, body.user, password);
}

export function signInAdmin(api: { url: string }): Promise<ApiClient> {
  return login(api.url, TEST_ADMIN.username, TEST_ADMIN.password);
}

/**
 * A fresh user of the given role (and scope), created by the test admin through the API, signed in.
 * Town officials default to 齐鲁石化 (E37030501) unless a town is given; enforcement officers to the
 * department `urban-management` (综合行政执法局).
 */
export async function signInAs(
  api: { url: string },
  role: Role,
  scope: { townCode?: string; department?: string } = {},
): Promise<ApiClient> {
  const admin = await signInAdmin(api);
  if (role === 'admin' && Object.keys(scope).length === 0) return admin;
  const username = `${role.replace('_', '-')}-${randomBytes(3).toString('hex')}`;
  const password = `Pw-${randomBytes(9).toString('base64url')}-9a`;
  const request: CreateUserRequest = {
    username,
    displayName: username,
    password,
    role,
    townCode: role === 'town_official' ? (scope.townCode ?? 'E37030501') : null,
    department: role === 'enforcement_officer' ? (scope.department ?? 'urban-management') : null,
  };
  const created = await admin.post<UserSummary>('/api/v1/users', request);
  if (created.status !== 201) throw new Error(`creating ${role} failed: ${created.status} ${JSON.stringify(created.body)}`);
  return login(api.url, username, password);
}
