import { inject } from 'vitest';
import type { TestBroker } from '../support/test-broker.js';
import { testApiEnv } from '../support/test-api.js';
import { startTcpProxy, viaProxy, type TcpProxy } from '../support/tcp-proxy.js';

/** An API environment whose database is reached through a proxy the test can cut. */
export async function proxiedDatabase(): Promise<{ proxy: TcpProxy; databaseUrl: string }> {
  const target = new URL(inject('databaseUrl'));
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  return { proxy, databaseUrl: viaProxy(inject('databaseUrl'), proxy) };
}

export function faultApiEnv(broker: TestBroker, databaseUrl: string, connections: number): Record<string, string> {
  return testApiEnv({
    DATABASE_URL: databaseUrl,
    MQTT_URL: broker.url,
    INGEST_CONNECTIONS: String(broker.shared ? connections : 1),
    INGEST_SHARED_SUBSCRIPTION: String(broker.shared),
    LOG_LEVEL: 'warn',
  });
}
