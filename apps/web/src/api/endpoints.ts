import type {
  AuditPage,
  ChangePasswordRequest,
  ConsoleConfig,
  CreateUserRequest,
  LoginRequest,
  RejectionsResponse,
  TokenResponse,
  TruckSummary,
  UpdateUserRequest,
  UserSummary,
  ViolationDetail,
  ViolationPage,
} from '@muckwatch/contracts';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { apiFetch, errorFrom, getJson, requestJson, withQuery } from './http.js';

/** `enterprise` and `enterprise_zone` both name the two enterprise zones. */
export type TownKind = 'town' | 'street' | 'enterprise' | 'enterprise_zone';

export interface TownProperties {
  code: string;
  name: string;
  kind: TownKind;
  /** True when the outline is drawn for the demo, not the legal boundary. */
  synthetic: boolean;
}

export type TownFeature = Feature<Polygon | MultiPolygon, TownProperties>;
export type TownCollection = FeatureCollection<Polygon | MultiPolygon, TownProperties>;

export const fetchConsoleConfig = (signal?: AbortSignal): Promise<ConsoleConfig> =>
  requestJson<ConsoleConfig>('GET', '/api/v1/console-config', { signal, anonymous: true });

export const fetchTowns = (signal?: AbortSignal): Promise<TownCollection> =>
  getJson<TownCollection>('/api/v1/towns', signal);

export const fetchTrucks = (signal?: AbortSignal): Promise<TruckSummary[]> =>
  getJson<TruckSummary[]>('/api/v1/trucks', signal);

// ---- Sign-in and session (the refresh token is an httpOnly cookie on /api/v1/auth) ----

export const login = (request: LoginRequest): Promise<TokenResponse> =>
  requestJson<TokenResponse>('POST', '/api/v1/auth/login', { body: request, anonymous: true });

export const refreshSession = (): Promise<TokenResponse> =>
  requestJson<TokenResponse>('POST', '/api/v1/auth/refresh', { anonymous: true });

/** Revokes the session and clears the cookie (the API knows whose from the bearer token). */
export const logout = (): Promise<void> => requestJson<void>('POST', '/api/v1/auth/logout');

export const fetchMe = (): Promise<UserSummary> => getJson<UserSummary>('/api/v1/auth/me');

export const changePassword = (request: ChangePasswordRequest): Promise<void> =>
  requestJson<void>('POST', '/api/v1/auth/password', { body: request });

// ---- Users (admin) ----

export const fetchUsers = (signal?: AbortSignal): Promise<UserSummary[]> =>
  getJson<UserSummary[]>('/api/v1/users', signal);

export const createUser = (request: CreateUserRequest): Promise<UserSummary> =>
  requestJson<UserSummary>('POST', '/api/v1/users', { body: request });

export const updateUser = (id: string, request: UpdateUserRequest): Promise<UserSummary> =>
  requestJson<UserSummary>('PATCH', `/api/v1/users/${encodeURIComponent(id)}`, { body: request });

// ---- Audit log (admin, auditor) ----

export interface AuditFilter {
  /** ISO instants. */
  from?: string | null;
  to?: string | null;
  action?: string | null;
  actor?: string | null;
  outcome?: string | null;
}

export const fetchAudit = (filter: AuditFilter, page: number, pageSize: number, signal?: AbortSignal): Promise<AuditPage> =>
  getJson<AuditPage>(withQuery('/api/v1/audit', { ...filter, page, pageSize }), signal);

/** The filtered audit log as CSV: the file's contents and the name the API suggests. */
/** The audit log as CSV or xlsx (`/audit/export`, `/audit/export.xlsx`), with the API's file name. */
export async function exportAudit(filter: AuditFilter, format: 'csv' | 'xlsx' = 'csv'): Promise<{ blob: Blob; filename: string | null }> {
  const path = withQuery(format === 'xlsx' ? '/api/v1/audit/export.xlsx' : '/api/v1/audit/export', { ...filter });
  const accept = format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv';
  const response = await apiFetch(path, { headers: { Accept: accept } });
  if (!response.ok) throw await errorFrom('GET', path, response);
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const filename = match?.[1];
  return { blob: await response.blob(), filename: filename ? decodeURIComponent(filename) : null };
}

// ---- Rejected telemetry (admin page) ----

export const fetchRejections = (
  query: { from?: string; to?: string; terminalId?: string; reason?: string; limit: number; offset: number },
  signal?: AbortSignal,
): Promise<RejectionsResponse> => getJson<RejectionsResponse>(withQuery('/api/v1/rejections', query), signal);

// ---- Compliance: violations (scoped by the API to what the user may see) ----

export const fetchViolations = (
  filter: { from?: string; to?: string; status?: string; page?: number; pageSize?: number; sort?: string; order?: 'asc' | 'desc' },
  signal?: AbortSignal,
): Promise<ViolationPage> => getJson<ViolationPage>(withQuery('/api/v1/violations', filter), signal);

export const fetchViolation = (id: string, signal?: AbortSignal): Promise<ViolationDetail> =>
  getJson<ViolationDetail>(`/api/v1/violations/${encodeURIComponent(id)}`, signal);
