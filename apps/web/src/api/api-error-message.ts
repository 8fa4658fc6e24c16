import { ApiRequestError } from './http.js';

/** The message key for a failed call: forbidden and not-found have their own, else `fallback`. */
export function apiErrorMessage(error: unknown, fallback: string): string {
  if (error instanceof ApiRequestError) {
    if (error.status === 403) return 'common.forbidden';
    if (error.status === 404) return 'common.notFound';
  }
  return fallback;
}
