import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { loadApiConfig } from '../../apps/api/src/config/api-config.js';
import { startApi, type RunningApi } from '../../apps/api/src/bootstrap.js';

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
    LOG_LEVEL: 'warn',
    WEB_DIST: 'none',
    LIVE_BATCH_MS: '200',
    INGEST_CONNECTIONS: external ? '8' : '1',
    INGEST_SHARED_SUBSCRIPTION: external ? 'true' : 'false',
    INGEST_SHARE_GROUP: `test-${tag}`,
    INGEST_CLIENT_ID_PREFIX: `test-ingest-${tag}`,
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
  return Object.assign(api, { env });
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
  throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
}

export async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as T };
}
