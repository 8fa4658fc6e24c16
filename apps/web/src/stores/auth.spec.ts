import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { TokenResponse, UserSummary } from '@muckwatch/contracts';
import { apiFetch } from '../api/http.js';
import { useAuthStore } from './auth.js';

const dispatcher: UserSummary = {
  id: 'u2',
  username: 'dispatcher',
  displayName: '张伟',
  role: 'dispatcher',
  townCode: null,
  department: null,
  disabled: false,
  createdAt: '2026-11-20T01:00:00Z',
  lastLoginAt: null,
};

/**
 * A fake API for the session endpoints: `/auth/refresh` answers with the next token while the
 * "cookie" is valid; `/api/v1/trucks` accepts only the newest token.
 */
function fakeApi() {
  const state = { cookieValid: true, issued: 0, refreshCalls: 0, calls: [] as string[] };
  const token = (): TokenResponse => ({ accessToken: `t${++state.issued}`, expiresIn: 900, user: dispatcher });
  const json = (status: number, body: unknown): Response =>
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  const fetchImpl = vi.fn((input: string, init?: RequestInit): Promise<Response> => {
    state.calls.push(`${init?.method ?? 'GET'} ${input}`);
    if (input === '/api/v1/auth/refresh') {
      state.refreshCalls += 1;
      return Promise.resolve(state.cookieValid ? json(200, token()) : json(401, { statusCode: 401, error: 'Unauthorized', message: 'no session' }));
    }
    if (input === '/api/v1/auth/login') return Promise.resolve(json(200, token()));
    if (input === '/api/v1/auth/logout') return Promise.resolve(new Response(null, { status: 204 }));
    const sent = new Headers(init?.headers).get('Authorization');
    return Promise.resolve(json(sent === `Bearer t${state.issued}` ? 200 : 401, []));
  });
  return { state, fetchImpl };
}

describe('auth store', () => {
  let api: ReturnType<typeof fakeApi>;

  beforeEach(() => {
    vi.useFakeTimers();
    api = fakeApi();
    vi.stubGlobal('fetch', api.fetchImpl);
    setActivePinia(createPinia());
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('restores the session from the refresh cookie on page load, once', async () => {
    const auth = useAuthStore();
    await Promise.all([auth.restore(), auth.restore()]);
    expect(auth.status).toBe('signed-in');
    expect(auth.user?.displayName).toBe('张伟');
    expect(auth.accessToken).toBe('t1');
    expect(api.state.refreshCalls).toBe(1);
  });

  it('is signed out after page load when the cookie is gone, without calling it an expiry', async () => {
    api.state.cookieValid = false;
    const auth = useAuthStore();
    await auth.restore();
    expect(auth.status).toBe('signed-out');
    expect(auth.ended).toBeNull();
  });

  it('refreshes the token before it expires', async () => {
    const auth = useAuthStore();
    await auth.login('dispatcher', 'Demo-linzi-2026');
    expect(auth.accessToken).toBe('t1');
    await vi.advanceTimersByTimeAsync(719_000);
    expect(api.state.refreshCalls).toBe(0);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(api.state.refreshCalls).toBe(1);
    expect(auth.accessToken).toBe('t2');
  });

  it('ends the session when the scheduled refresh is refused (revoked, disabled)', async () => {
    const auth = useAuthStore();
    await auth.login('dispatcher', 'Demo-linzi-2026');
    api.state.cookieValid = false;
    await vi.advanceTimersByTimeAsync(721_000);
    expect(auth.status).toBe('signed-out');
    expect(auth.ended).toBe('expired');
    expect(auth.accessToken).toBeNull();
  });

  it('lets API calls that hit a 401 share one refresh', async () => {
    const auth = useAuthStore();
    await auth.login('dispatcher', 'Demo-linzi-2026');
    api.state.issued += 1; // the server now only accepts a token the console does not have yet
    const answers = await Promise.all([apiFetch('/api/v1/trucks'), apiFetch('/api/v1/trucks'), apiFetch('/api/v1/trucks')]);
    expect(answers.map((response) => response.status)).toEqual([200, 200, 200]);
    expect(api.state.refreshCalls).toBe(1);
  });

  it('forgets the token at sign-out and tells the API', async () => {
    const auth = useAuthStore();
    await auth.login('dispatcher', 'Demo-linzi-2026');
    await auth.logout();
    expect(auth.status).toBe('signed-out');
    expect(auth.ended).toBe('logout');
    expect(auth.accessToken).toBeNull();
    expect(api.state.calls).toContain('POST /api/v1/auth/logout');
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(api.state.refreshCalls).toBe(0);
  });
});
