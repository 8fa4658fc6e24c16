import { renderApiError, type UiLocale } from '@muckwatch/contracts';
import { i18n } from '../i18n/index.js';
import { ApiRequestError } from './http.js';

/** The message key for a failed call: forbidden and not-found have their own, else `fallback`. */
export function apiErrorMessage(error: unknown, fallback: string): string {
  if (error instanceof ApiRequestError) {
    if (error.status === 403) return 'common.forbidden';
    if (error.status === 404) return 'common.notFound';
  }
  return fallback;
}

/**
 * The API's own reason for a failed call in `locale`, from its stable code and params (the
 * catalogue in libs/contracts/src/i18n/api-errors.ts; the English message for a code it does not
 * know); null when the answer carried no error body (network failure, proxy page).
 */
export function serverErrorText(error: unknown, locale: UiLocale): string | null {
  if (!(error instanceof ApiRequestError) || !error.body) return null;
  return renderApiError(error.body, locale) || null;
}

/** The console's current language, as the catalogue names it. */
export function consoleLocale(): UiLocale {
  return i18n.global.locale.value;
}

/** `serverErrorText` in the console's current language, else the error's own text. */
export function localizedError(error: unknown): string {
  return serverErrorText(error, consoleLocale()) ?? (error instanceof Error ? error.message : String(error));
}
