import { describe, expect, it } from 'vitest';
import { createApiFetch, type SessionBinding } from './http.js';

/** A fake API: answers 401 to any token not in `valid`, and records the tokens it saw. */
function fakeApi(valid: Set<string>) {
  const seen: (string | null)[] = [];
  const fetchImpl = (_input: string, init?: RequestInit): Promise<Response> => {
    const header = new Headers(init?.headers).get('Authorization');
    const token = header ? header.replace(/^Bearer /, '') : null;
    seen.push(token);
    return Promise.resolve(new Response(null, { status: token !== null && valid.has(token) ? 200 : 401 }));
  };
  return { fetchImpl, seen };
}

function fakeSession(initial: string | null, refreshTo: string | null) {
  const state = { token: initial, refreshes: 0, ended: 0 };
  const binding: SessionBinding = {
    token: () => state.token,
    refresh: () => {
      state.refreshes += 1;
      if (refreshTo === null) return Promise.resolve(false);
      state.token = refreshTo;
      return Promise.resolve(true);
    },
    ended: () => {
      state.ended += 1;
    },
  };
  return { state, binding };
}

describe('apiFetch', () => {
  it('sends the bearer token and does not refresh when the API accepts it', async () => {
    const api = fakeApi(new Set(['a']));
    const session = fakeSession('a', 'b');
    const response = await createApiFetch(api.fetchImpl, () => session.binding)('/api/v1/trucks');
    expect(response.status).toBe(200);
    expect(api.seen).toEqual(['a']);
    expect(session.state.refreshes).toBe(0);
  });

  it('refreshes once on 401 and repeats the request with the new token', async () => {
    const api = fakeApi(new Set(['b']));
    const session = fakeSession('a', 'b');
    const response = await createApiFetch(api.fetchImpl, () => session.binding)('/api/v1/trucks');
    expect(response.status).toBe(200);
    expect(api.seen).toEqual(['a', 'b']);
    expect(session.state).toEqual({ token: 'b', refreshes: 1, ended: 0 });
  });

  it('ends the session when the refresh is refused, without repeating the request', async () => {
    const api = fakeApi(new Set());
    const session = fakeSession('a', null);
    const response = await createApiFetch(api.fetchImpl, () => session.binding)('/api/v1/trucks');
    expect(response.status).toBe(401);
    expect(api.seen).toEqual(['a']);
    expect(session.state.ended).toBe(1);
  });

  it('ends the session when the refreshed token is refused too, and refreshes only once', async () => {
    const api = fakeApi(new Set());
    const session = fakeSession('a', 'b');
    const response = await createApiFetch(api.fetchImpl, () => session.binding)('/api/v1/users');
    expect(response.status).toBe(401);
    expect(api.seen).toEqual(['a', 'b']);
    expect(session.state).toEqual({ token: 'b', refreshes: 1, ended: 1 });
  });

  it('uses a token another request refreshed meanwhile instead of refreshing again', async () => {
    const session = fakeSession('a', 'c');
    const seen: (string | null)[] = [];
    const fetchImpl = (_input: string, init?: RequestInit): Promise<Response> => {
      const token = new Headers(init?.headers).get('Authorization')?.replace(/^Bearer /, '') ?? null;
      seen.push(token);
      if (token === 'a') session.state.token = 'b'; // refreshed by someone else while in flight
      return Promise.resolve(new Response(null, { status: token === 'b' ? 200 : 401 }));
    };
    const response = await createApiFetch(fetchImpl, () => session.binding)('/api/v1/towns');
    expect(response.status).toBe(200);
    expect(seen).toEqual(['a', 'b']);
    expect(session.state.refreshes).toBe(0);
  });

  it('passes 403 and 404 through untouched', async () => {
    const session = fakeSession('a', 'b');
    for (const status of [403, 404, 429]) {
      const response = await createApiFetch(() => Promise.resolve(new Response(null, { status })), () => session.binding)('/api/v1/users');
      expect(response.status).toBe(status);
    }
    expect(session.state.refreshes).toBe(0);
  });

  it('sends anonymous requests without a token and never refreshes them', async () => {
    const api = fakeApi(new Set());
    const session = fakeSession('a', 'b');
    const response = await createApiFetch(api.fetchImpl, () => session.binding)('/api/v1/auth/login', { method: 'POST', anonymous: true });
    expect(response.status).toBe(401);
    expect(api.seen).toEqual([null]);
    expect(session.state).toEqual({ token: 'a', refreshes: 0, ended: 0 });
  });
});
