import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { HealthResponse } from '@muckwatch/contracts';
import { startApiProcess } from '../support/api-process.js';
import { connectTerminal, lineOfFixes, publishFixes } from '../support/mqtt.js';
import { getJson, uniqueTag, waitFor } from '../support/test-api.js';
import { startTestBroker } from '../support/test-broker.js';
import { faultApiEnv, proxiedDatabase } from './fault-env.js';

const OUTAGE_MS = 60_000;
const CONNECTIONS = 4;
/** testApiEnv's INGEST_INFLIGHT_PER_CONNECTION: each connection holds at most this many + 1 messages. */
const WINDOW = 16;

describe('fault: PostgreSQL unavailable for a minute under load', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it('stops acknowledging, keeps memory bounded, and catches up with nothing lost', async () => {
    const tag = uniqueTag();
    const broker = await startTestBroker();
    cleanup.push(() => broker.stop());
    const { proxy, databaseUrl } = await proxiedDatabase();
    cleanup.push(() => proxy.close());
    const db = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
    cleanup.push(() => db.end());
    // Health must say so when messages wait, whatever the cause: here, after 2 s.
    const env = { ...faultApiEnv(broker, databaseUrl, CONNECTIONS), INGEST_STALL_SECONDS: '2' };
    const api = await startApiProcess(env);
    cleanup.push(() => api.stop());
    const terminal = await connectTerminal(broker.url, `outage-${tag}`);
    cleanup.push(() => terminal.endAsync());

    // Load: 20 terminals, a 5-fix message each every 250 ms (400 fixes/s) — every second with the
    // embedded pair, whose single ingest connection commits one message at a time — until told to stop.
    const pauseMs = broker.shared ? 250 : 1000;
    const terminals = Array.from({ length: 20 }, (_, i) => `outage-${i}-${tag}`);
    let published = 0;
    let loading = true;
    const base = Date.now() - 2 * 3_600_000;
    const load = (async () => {
      for (let round = 0; loading; round += 1) {
        await Promise.all(
          terminals.map((terminalId) => publishFixes(terminal, terminalId, lineOfFixes(base + round * 5_000, 5, 1))),
        );
        published += terminals.length * 5;
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    })();
    const stored = async (): Promise<number> => {
      const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM positions WHERE terminal_id = ANY($1)', [terminals]);
      return Number(rows[0]!.n);
    };
    await waitFor(async () => (await stored()) > 1000, 30_000, 'ingest running under load');

    await proxy.cut();
    const rssAtCut = await api.rssMiB();
    const samples: Array<{ rss: number; pending: number }> = [];
    const outageEnds = Date.now() + OUTAGE_MS;
    let sawDatabaseDown = false;
    let sawStalled = false;
    while (Date.now() < outageEnds) {
      await new Promise((resolve) => setTimeout(resolve, 5000));
      samples.push({ rss: await api.rssMiB(), pending: await api.metric('muckwatch_ingest_pending_messages') });
      const health = await getJson<HealthResponse>(`${api.url}/api/health`);
      if (health.status === 503 && health.body.database.status === 'down') sawDatabaseDown = true;
      if (health.status === 503 && health.body.ingest.status === 'stalled' && health.body.ingest.oldestPendingSeconds >= 2) sawStalled = true;
    }
    const storedDuringOutage = published;
    await proxy.restore();
    loading = false;
    await load;

    // Nothing was acknowledged that was not committed: every published fix arrives.
    await waitFor(async () => (await stored()) === published, 300_000, `all ${published} fixes stored`, 500);
    expect(sawDatabaseDown).toBe(true);
    expect(sawStalled).toBe(true);
    expect(storedDuringOutage).toBeGreaterThan(broker.shared ? 10_000 : 3_000);
    // At most the window + 1 messages per subscriber connection are held in memory, reconnects or not.
    expect(Math.max(...samples.map((s) => s.pending))).toBeLessThanOrEqual(CONNECTIONS * (WINDOW + 1));
    const growth = Math.max(...samples.map((s) => s.rss)) - rssAtCut;
    console.log(`database outage: published ${published}, rss at cut ${rssAtCut.toFixed(0)} MiB, max growth ${growth.toFixed(0)} MiB`);
    expect(growth).toBeLessThan(150);
    // Health follows within moments: the cluster bus's listening connection comes back on its own schedule (≤ 2 s apart).
    let health = await getJson<HealthResponse>(`${api.url}/api/health`);
    await waitFor(async () => (health = await getJson<HealthResponse>(`${api.url}/api/health`)).body.status === 'ok', 15_000, 'health ok again', 500).catch(() => undefined);
    expect(health.body.status, JSON.stringify(health.body)).toBe('ok');
    expect(health.body.ingest).toMatchObject({ status: 'ok', pendingMessages: 0 });
  }, 600_000);
});
