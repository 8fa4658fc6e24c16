import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ChangePasswordRequest, TokenResponse, UserSummary } from '@muckwatch/contracts';
import * as endpoints from '../api/endpoints.js';
import { ApiRequestError, bindSession } from '../api/http.js';
import { refreshDelayMs, retryDelayMs } from '../auth/token-schedule.js';

export type SessionStatus = 'unknown' | 'signed-in' | 'signed-out';
/** Why the last session ended: the user signed out, or it expired / was revoked under them. */
export type SessionEnd = 'logout' | 'expired' | null;

type RefreshOutcome = 'renewed' | 'refused' | 'failed';

/** Held across the console's tabs while one of them trades the refresh cookie. */
const REFRESH_LOCK = 'muckwatch-auth-refresh';

/**
 * The API rotates the refresh cookie and treats a reused one as stolen (it ends the session).
 * Two tabs refreshing at once would send the same cookie twice, so tabs take turns (Web Locks);
 * the later one then sends the cookie the earlier one received.
 */
async function acrossTabs<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  return locks ? await locks.request(REFRESH_LOCK, work) : await work();
}

/**
 * The signed-in user and their access token. The token lives in memory only; the refresh token
 * is an httpOnly cookie the browser sends to /api/v1/auth, so a reload restores the session
 * with one refresh call.
 */
export const useAuthStore = defineStore('auth', () => {
  const user = shallowRef<UserSummary | null>(null);
  const accessToken = shallowRef<string | null>(null);
  const expiresAtMs = ref(0);
  const status = ref<SessionStatus>('unknown');
  const ended = ref<SessionEnd>(null);

  const role = computed(() => user.value?.role ?? null);

  let timer: ReturnType<typeof setTimeout> | undefined;
  let refreshing: Promise<RefreshOutcome> | null = null;
  let restoring: Promise<void> | null = null;
  /** While signing out, the API ending the session (socket notice, 401) is expected, not an expiry. */
  let signingOut = false;

  function schedule(delayMs: number): void {
    clearTimeout(timer);
    timer = setTimeout(() => void scheduledRefresh(), delayMs);
  }

  function apply(response: TokenResponse): void {
    accessToken.value = response.accessToken;
    user.value = response.user;
    expiresAtMs.value = Date.now() + response.expiresIn * 1000;
    status.value = 'signed-in';
    ended.value = null;
    schedule(refreshDelayMs(response.expiresIn));
  }

  function clear(reason: SessionEnd): void {
    clearTimeout(timer);
    accessToken.value = null;
    user.value = null;
    expiresAtMs.value = 0;
    status.value = 'signed-out';
    ended.value = reason;
  }

  /** One refresh at a time: every caller that hits a 401 meanwhile waits for the same one. */
  function attemptRefresh(): Promise<RefreshOutcome> {
    refreshing ??= (async (): Promise<RefreshOutcome> => {
      try {
        apply(await acrossTabs(() => endpoints.refreshSession()));
        return 'renewed';
      } catch (error) {
        // 401 (and any other refusal) ends the session; 429 (rate limit) and 5xx are worth a retry.
        if (error instanceof ApiRequestError && error.status >= 400 && error.status < 500 && error.status !== 429) return 'refused';
        console.error(error);
        return 'failed';
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  }

  /** The session ended under the user (expired, revoked, disabled): back to the login page. */
  function sessionEnded(): void {
    if (status.value === 'signed-in' && !signingOut) clear('expired');
  }

  async function refresh(): Promise<boolean> {
    const outcome = await attemptRefresh();
    return outcome === 'renewed';
  }

  async function scheduledRefresh(): Promise<void> {
    const outcome = await attemptRefresh();
    if (outcome === 'refused') sessionEnded();
    if (outcome === 'failed') {
      const delay = retryDelayMs(expiresAtMs.value, Date.now());
      if (delay === null) sessionEnded();
      else schedule(delay);
    }
  }

  /** On page load: the refresh cookie, if the browser still has one, restores the session. */
  function restore(): Promise<void> {
    restoring ??= (async () => {
      if (status.value !== 'unknown') return;
      const outcome = await attemptRefresh();
      if (outcome !== 'renewed') clear(null);
    })();
    return restoring;
  }

  async function login(username: string, password: string): Promise<UserSummary> {
    const response = await endpoints.login({ username, password });
    apply(response);
    return response.user;
  }

  /**
   * Ends the session on the API first (through the fetch wrapper, so an expired access token is
   * refreshed and the cookie really is revoked), then here.
   */
  async function logout(): Promise<void> {
    clearTimeout(timer);
    signingOut = true;
    try {
      await endpoints.logout();
    } catch (error) {
      // The session is forgotten here either way; the API expires it on its own.
      console.error(error);
    } finally {
      signingOut = false;
    }
    clear('logout');
  }

  function changePassword(request: ChangePasswordRequest): Promise<void> {
    return endpoints.changePassword(request);
  }

  /** A fresh copy of the signed-in user (after an admin changed their role or scope). */
  async function reloadUser(): Promise<void> {
    user.value = await endpoints.fetchMe();
  }

  bindSession({ token: () => accessToken.value, refresh, ended: sessionEnded });

  return {
    user,
    accessToken,
    expiresAtMs,
    status,
    ended,
    role,
    restore,
    refresh,
    login,
    logout,
    changePassword,
    reloadUser,
    sessionEnded,
  };
});
