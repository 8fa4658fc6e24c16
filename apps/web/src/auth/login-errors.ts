import { ApiRequestError } from '../api/http.js';

/** A message key and its parameters, for vue-i18n. */
export interface Message {
  key: string;
  params?: Record<string, string | number>;
}

/** A lock-out wait as a message: whole minutes from a minute on, else seconds (rounded up). */
export function waitMessage(seconds: number): Message {
  if (seconds >= 60) return { key: 'auth.wait.minutes', params: { n: Math.ceil(seconds / 60) } };
  return { key: 'auth.wait.seconds', params: { n: Math.max(1, Math.ceil(seconds)) } };
}

/**
 * What the login page says when signing in fails. The wait of a lock-out comes as its own
 * message so the page can translate it before putting it into the sentence.
 */
export function loginFailure(error: unknown): { message: Message; wait: Message | null } {
  if (!(error instanceof ApiRequestError)) return { message: { key: 'auth.unreachable' }, wait: null };
  if (error.status === 429) {
    return error.retryAfterSeconds === null
      ? { message: { key: 'auth.lockedOutNoWait' }, wait: null }
      : { message: { key: 'auth.lockedOut' }, wait: waitMessage(error.retryAfterSeconds) };
  }
  if (error.status === 403) return { message: { key: 'auth.disabled' }, wait: null };
  if (error.status === 401 || error.status === 400) return { message: { key: 'auth.wrongCredentials' }, wait: null };
  return { message: { key: 'auth.unreachable' }, wait: null };
}
