import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startApiProcess, type ApiProcess } from '../support/api-process.js';
import { connectTerminal, lineOfFixes, publishFixes } from '../support/mqtt.js';
import { uniqueTag, waitFor } from '../support/test-api.js';
import { startTestBroker, type TestBroker } from '../support/test-broker.js';
import type { TcpProxy } from '../support/tcp-proxy.js';
import { faultApiEnv, proxiedDatabase } from './fault-env.js';

describe('fault: the ingest process dies between receipt and commit', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it('the broker redelivers to the next process and nothing is lost or doubled', async () => {
    const tag = uniqueTag();
    const broker: TestBroker = await startTestBroker();
    cleanup.push(() => broker.stop());
    const { proxy, databaseUrl }: { proxy: TcpProxy; databaseUrl: string } = await proxiedDatabase();
    cleanup.push(() => proxy.close());
    const db = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
    cleanup.push(() => db.end());
    const env = faultApiEnv(broker, databaseUrl, 4);

    let api: ApiProcess = await startApiProcess(env);
    cleanup.push(() => api.stop());

    // The database goes away: commits fail, so nothing received can be acknowledged.
    await proxy.cut();
    const terminal = await connectTerminal(broker.url, `kill-${tag}`);
    cleanup.push(() => terminal.endAsync());
    const terminals = ['a', 'b', 'c', 'd'].map((s) => `kill-${s}-${tag}`);
    const start = Date.now() - 3_600_000;
    for (const [i, terminalId] of terminals.entries()) {
      for (let batch = 0; batch < 5; batch += 1) {
        await publishFixes(terminal, terminalId, lineOfFixes(start + i * 1000 + batch * 100_000, 10));
      }
    }
    await waitFor(async () => (await api.metric('muckwatch_ingest_pending_messages')) > 0, 20_000, 'messages received, not committed');
    expect(await api.metric('muckwatch_ingest_fixes_total')).toBe(0);

    await api.kill();
    await proxy.restore();
    api = await startApiProcess(env);

    await waitFor(async () => {
      const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM positions WHERE terminal_id = ANY($1)', [terminals]);
      return Number(rows[0]!.n) === 200;
    }, 60_000, 'all 200 fixes stored after the restart');
    const { rows } = await db.query<{ n: string; distinct_n: string }>(
      'SELECT count(*) AS n, count(DISTINCT (terminal_id, fix_time)) AS distinct_n FROM positions WHERE terminal_id = ANY($1)',
      [terminals],
    );
    expect(rows[0]).toEqual({ n: '200', distinct_n: '200' });
  });
});
