import type { ApiError } from '@muckwatch/contracts';

/** A non-2xx answer from the API, carrying its error body when it had one. */
export class ApiRequestError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: ApiError | null,
    /** Seconds from a `Retry-After` header (429 lock-out), when the API sent one. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(`${method} ${path} failed with ${status}${body ? `: ${body.message}` : ''}`);
    this.name = 'ApiRequestError';
  }

  /** The form field the API blamed (400 `{ message, field }`). */
  get field(): string | null {
    return this.body?.field ?? null;
  }
}

/** How the fetch wrapper reaches the signed-in session (the auth store binds itself here). */
export interface SessionBinding {
  /** The current access token, or null when signed out. */
  token(): string | null;
  /** Trade the refresh cookie for a new access token; false when the session is over. */
  refresh(): Promise<boolean>;
  /** The session is over (refresh refused, or the new token refused too): go to the login page. */
  ended(): void;
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface ApiFetchOptions extends RequestInit {
  /** Send without the bearer token and never refresh (login, refresh, public configuration). */
  anonymous?: boolean;
}

function withToken(init: RequestInit, token: string | null): RequestInit {
  const headers = new Headers(init.headers);
  if (token) headers.set('Authorization', `Bearer ${token}`);
  else headers.delete('Authorization');
  return { ...init, headers };
}

/**
 * The one way the console calls its API: adds the bearer token; on 401 refreshes the session
 * once and repeats the request with the new token; if that fails too, ends the session. Any other
 * answer (403, 404, 429…) is returned as it is.
 */
export function createApiFetch(fetchImpl: FetchLike, session: () => SessionBinding | null) {
  return async function apiFetch(path: string, options: ApiFetchOptions = {}): Promise<Response> {
    const { anonymous = false, ...init } = options;
    const binding = anonymous ? null : session();
    if (!binding) return fetchImpl(path, init);

    const sentWith = binding.token();
    const first = await fetchImpl(path, withToken(init, sentWith));
    if (first.status !== 401) return first;

    // Another request may have refreshed while this one was in flight: use its token first.
    const current = binding.token();
    const renewed = current !== null && current !== sentWith ? true : await binding.refresh();
    if (!renewed) {
      binding.ended();
      return first;
    }
    const second = await fetchImpl(path, withToken(init, binding.token()));
    if (second.status === 401) binding.ended();
    return second;
  };
}

let sessionBinding: SessionBinding | null = null;

/** The auth store registers itself once; until then calls go out without a token. */
export function bindSession(binding: SessionBinding | null): void {
  sessionBinding = binding;
}

export const apiFetch = createApiFetch((input, init) => fetch(input, init), () => sessionBinding);

function parseRetryAfter(value: string | null): number | null {
  if (value === null) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - Date.now()) / 1000)) : null;
}

/** Turns a non-2xx response into an ApiRequestError with the API's error body. */
export async function errorFrom(method: string, path: string, response: Response): Promise<ApiRequestError> {
  let body: ApiError | null = null;
  try {
    body = (await response.json()) as ApiError;
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  return new ApiRequestError(method, path, response.status, body, parseRetryAfter(response.headers.get('Retry-After')));
}

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  anonymous?: boolean;
  headers?: Record<string, string>;
}

/** Sends a JSON request; resolves with the JSON answer (undefined for 204), rejects with ApiRequestError. */
export async function requestJson<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await apiFetch(path, {
    method,
    headers,
    signal: options.signal,
    anonymous: options.anonymous,
    credentials: 'same-origin',
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  if (!response.ok) throw await errorFrom(method, path, response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** GET a JSON resource from the API on the console's own origin. */
export function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return requestJson<T>('GET', path, { signal });
}

/** Builds `path?a=1&b=2`, leaving out empty values. */
export function withQuery(path: string, query: Record<string, string | number | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== null && value !== undefined && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}
