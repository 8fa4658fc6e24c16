import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { inject } from 'vitest';
import { loadApiConfig, startApi, type RunningApi } from '@muckwatch/api';
import { TEST_ADMIN } from './api-client.js';

/** A short random tag so each test's terminals, client ids and share groups are its own. */
export function uniqueTag(): string {
  return randomBytes(3).toString('hex');
}

/** Environment for an API under test, pointed at the run's shared database and broker. */
export function testApiEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const tag = uniqueTag();
  const external = inject('brokerKind') === 'external';
  return {
    DATABASE_URL: inject('databaseUrl'),
    MQTT_URL: inject('mqttUrl'),
    PORT: '0',
    // Every API under test listens for JT/T 808 on a free port of its own (see /api/health).
    JT808_PORT: '0',
    LOG_LEVEL: 'warn',
    WEB_DIST: 'none',
    LIVE_BATCH_MS: '200',
    INGEST_CONNECTIONS: external ? '8' : '1',
    INGEST_INFLIGHT_PER_CONNECTION: '16',
    // PGlite is one session behind a multiplexer: one pooled connection, as the API uses it embedded.
    DATABASE_POOL_SIZE: inject('databaseKind') === 'pglite' ? '1' : '6',
    INGEST_SHARED_SUBSCRIPTION: external ? 'true' : 'false',
    INGEST_SHARE_GROUP: `test-${tag}`,
    INGEST_CLIENT_ID_PREFIX: `test-ingest-${tag}`,
    // Integration specs share one database: each API under test is a cluster of its own (its events
    // and compliance partitions apart from the others'); the multi-instance spec gives two the same.
    CLUSTER_NAME: `test-${tag}`,
    ADMIN_USERNAME: TEST_ADMIN.username,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    // Tests talk plain http: the API's default `Secure` refresh cookie would not come back.
    SECURE_COOKIES: 'false',
    // Tests sign in often from one address; the rate-limit test sets its own limit.
    LOGIN_RATE_PER_MINUTE: '10000',
    EXPENSIVE_RATE_PER_MINUTE: '10000',
    // The ranking's month close would freeze every test's past months at boot; its tests turn it on.
    MONTH_CLOSE_MINUTES: '0',
    // Likewise replay's overview job would compute every test's past days at boot; its spec runs it.
    REPLAY_OVERVIEW_MINUTES: '0',
    ...overrides,
  };
}

/** Starts the whole API in this process (migrations, ingest, HTTP, socket). */
export async function startTestApi(overrides: Record<string, string> = {}): Promise<RunningApi & { env: Record<string, string> }> {
  const env = testApiEnv(overrides);
  const api = await startApi(loadApiConfig(env));
  await waitFor(async () => {
    const res = await fetch(`${api.url}/api/health`);
    return res.status === 200;
  }, 30_000, 'API healthy');
  const close = api.close.bind(api);
  return Object.assign(api, {
    env,
    async close() {
      await close();
      await purgeSessions(env);
    },
  });
}

/**
 * Removes the persistent sessions an API under test leaves on a shared broker (a clean-session
 * connect with the same client id), so they do not collect later tests' messages.
 */
export async function purgeSessions(env: Record<string, string>): Promise<void> {
  // An API with its own embedded broker took its sessions with it.
  if (!env['MQTT_URL']) return;
  const connections = Number(env['INGEST_CONNECTIONS'] ?? '1');
  await Promise.all(
    Array.from({ length: connections }, async (_, n) => {
      const client = await mqtt.connectAsync(env['MQTT_URL']!, {
        clientId: `${env['INGEST_CLIENT_ID_PREFIX']}-${n}`,
        ...(env['MQTT_USERNAME'] && { username: env['MQTT_USERNAME'], password: env['MQTT_PASSWORD'] }),
        clean: true,
        reconnectPeriod: 0,
      });
      await client.endAsync();
    }),
  );
}

/** Polls until the check passes; fails with what it waited for. Not a timing assertion. */
export async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
  intervalMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}${lastError ? ` (last error: ${lastError instanceof Error ? lastError.message : JSON.stringify(lastError)})` : ''}`);
}

export async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as T };
}
