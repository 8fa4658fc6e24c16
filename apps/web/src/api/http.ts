import type { ApiError } from '@muckwatch/contracts';

/** A non-2xx answer from the API, carrying its error body when it had one. */
export class ApiRequestError extends Error {
  constructor(
    readonly path: string,
    readonly status: number,
    readonly body: ApiError | null,
  ) {
    super(`GET ${path} failed with ${status}${body ? `: ${body.message}` : ''}`);
    this.name = 'ApiRequestError';
  }
}

/** GET a JSON resource from the API on the console's own origin. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { headers: { Accept: 'application/json' }, signal });
  if (!response.ok) {
    let body: ApiError | null = null;
    try {
      body = (await response.json()) as ApiError;
    } catch {
      // Not JSON (a proxy's error page): the status says enough.
    }
    throw new ApiRequestError(path, response.status, body);
  }
  return (await response.json()) as T;
}
