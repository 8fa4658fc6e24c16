import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { HealthResponse } from '@muckwatch/contracts';
import { connectTerminal, lineOfFixes, publishFixes } from '../support/mqtt.js';
import { getJson, startTestApi, uniqueTag, waitFor } from '../support/test-api.js';
import { startTestBroker } from '../support/test-broker.js';

describe('fault: the broker restarts', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it('ingest reconnects and resumes', async () => {
    const tag = uniqueTag();
    const broker = await startTestBroker();
    cleanup.push(() => broker.stop());
    const api = await startTestApi({
      MQTT_URL: broker.url,
      INGEST_CONNECTIONS: broker.shared ? '4' : '1',
      INGEST_SHARED_SUBSCRIPTION: String(broker.shared),
    });
    cleanup.push(() => api.app.close().then(() => api.infra.stop()));
    const db = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
    cleanup.push(() => db.end());
    const terminalId = `restart-${tag}`;
    const count = async () =>
      Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM positions WHERE terminal_id = $1', [terminalId])).rows[0]!.n);

    const before = await connectTerminal(broker.url, `restart-a-${tag}`);
    await publishFixes(before, terminalId, lineOfFixes(Date.now() - 600_000, 10));
    await waitFor(async () => (await count()) === 10, 15_000, 'fixes before the restart');
    await before.endAsync(true);

    await broker.restart();
    await waitFor(async () => {
      const health = await getJson<HealthResponse>(`${api.url}/api/health`);
      return health.status === 200 && health.body.broker.status === 'ok';
    }, 30_000, 'ingest reconnected');

    const after = await connectTerminal(broker.url, `restart-b-${tag}`);
    cleanup.push(() => after.endAsync());
    await publishFixes(after, terminalId, lineOfFixes(Date.now() - 300_000, 10));
    await waitFor(async () => (await count()) === 20, 20_000, 'fixes after the restart');
    expect(await count()).toBe(20);
  });
});
