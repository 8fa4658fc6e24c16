/** Never refresh sooner than this after a token arrives (a very short-lived token, a wrong clock). */
export const MIN_REFRESH_DELAY_MS = 5_000;
/** Refresh this long before expiry at the latest… */
export const REFRESH_LEAD_MS = 60_000;
/** …or after this share of the token's lifetime, whichever comes first. */
export const REFRESH_AT_SHARE = 0.8;
/** After a failed refresh that did not end the session (network down), try again this often. */
export const REFRESH_RETRY_MS = 15_000;

/**
 * How long to wait before refreshing a token that expires `expiresInSeconds` from now: early
 * enough that requests never carry an expired token, late enough not to hammer the API.
 */
export function refreshDelayMs(expiresInSeconds: number): number {
  const lifetimeMs = Math.max(0, expiresInSeconds * 1000);
  const byLead = lifetimeMs - REFRESH_LEAD_MS;
  const byShare = lifetimeMs * REFRESH_AT_SHARE;
  return Math.max(MIN_REFRESH_DELAY_MS, Math.floor(Math.min(byLead, byShare)));
}

/**
 * After a refresh failed for a reason other than a refused session: retry soon, but never
 * later than the token's expiry; null when it has already expired (the session is lost).
 */
export function retryDelayMs(expiresAtMs: number, nowMs: number): number | null {
  const left = expiresAtMs - nowMs;
  if (left <= 0) return null;
  return Math.min(REFRESH_RETRY_MS, left);
}
