import { afterAll, describe, expect, inject, it } from 'vitest';
import type { TokenResponse } from '@muckwatch/contracts';
import { TEST_ADMIN } from '../support/api-client.js';
import { startApiProcess } from '../support/api-process.js';
import { startTcpProxy, viaProxy } from '../support/tcp-proxy.js';
import { testApiEnv, waitFor } from '../support/test-api.js';

/** 64 MiB: the whole log of this short run, nothing dropped from the front. */
const KEEP_OUTPUT = 64 * 1024 * 1024;

function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

describe('secrets never reach the logs', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it('redacts access tokens, refresh cookies and Set-Cookie at the default level, also in 5xx error lines', async () => {
    const target = new URL(inject('databaseUrl'));
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    cleanup.push(() => proxy.close());
    // The API as it runs in production: default log level, default (Secure) cookie.
    const { LOG_LEVEL: _level, SECURE_COOKIES: _secure, ...env } = testApiEnv({ DATABASE_URL: viaProxy(inject('databaseUrl'), proxy) });
    const api = await startApiProcess(env, { keepOutput: KEEP_OUTPUT });
    cleanup.push(() => api.stop());

    const signedIn = await post(`${api.url}/api/v1/auth/login`, TEST_ADMIN);
    expect(signedIn.status).toBe(200);
    const setCookie = signedIn.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/;\s*Secure/i);
    const { accessToken } = (await signedIn.json()) as TokenResponse;
    const firstCookie = setCookie.split(';')[0]!;
    const firstSecret = firstCookie.split('=')[1]!;

    expect((await fetch(`${api.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${accessToken}` } })).status).toBe(200);
    const refreshed = await post(`${api.url}/api/v1/auth/refresh`, {}, { cookie: firstCookie });
    expect(refreshed.status).toBe(200);
    const secondCookie = (refreshed.headers.get('set-cookie') ?? '').split(';')[0]!;
    const secondSecret = secondCookie.split('=')[1]!;
    const { accessToken: secondToken } = (await refreshed.json()) as TokenResponse;
    const wrongPassword = 'Not-the-Right-0ne-xyz';
    expect((await post(`${api.url}/api/v1/auth/login`, { username: TEST_ADMIN.username, password: wrongPassword })).status).toBe(401);

    // The database goes away: the same requests now fail with 5xx, logged at error level.
    await proxy.cut();
    const failedMe = await fetch(`${api.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${secondToken}`, cookie: secondCookie } });
    const failedRefresh = await post(`${api.url}/api/v1/auth/refresh`, {}, { cookie: secondCookie });
    expect([failedMe.status, failedRefresh.status]).toEqual([500, 500]);
    await proxy.restore();
    await waitFor(() => (api.output().match(/"statusCode":500/g) ?? []).length >= 2, 10_000, 'the 5xx lines in the log');

    const log = api.output();
    // The lines are there, with their headers, only without the secrets.
    expect(log).toContain('"authorization":"[redacted]"');
    expect(log).toContain('"cookie":"[redacted]"');
    expect(log).toContain('"set-cookie":"[redacted]"');
    for (const secret of [accessToken, secondToken, firstSecret, secondSecret, decodeURIComponent(firstSecret), TEST_ADMIN.password, wrongPassword]) {
      expect(log.includes(secret), `a secret of ${secret.length} characters in the log`).toBe(false);
    }
    // No refresh token's random part either, however encoded (the session id alone is not a secret).
    for (const secret of [firstSecret, secondSecret]) expect(log).not.toContain(decodeURIComponent(secret).split('.')[1]!);
  });
});
