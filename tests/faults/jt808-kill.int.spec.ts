import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { RegisteredTerminal } from '@muckwatch/contracts';
import { encodeLocation, type Jt808LocationInput } from '@muckwatch/jt808';
import { Jt808Terminal } from '@muckwatch/fleet';
import { signInAdmin } from '../support/api-client.js';
import { startApiProcess, type ApiProcess } from '../support/api-process.js';
import { testApiEnv, uniqueTag, waitFor } from '../support/test-api.js';
import { freePort } from '../support/test-broker.js';
import { newSim } from '../support/jt808-fixtures.js';
import { proxiedDatabase } from './fault-env.js';

/**
 * A JT/T 808 report is answered (0x8001) only after its COMMIT. The API dies with reports received
 * but not committed (the database is cut first, so none can commit); the terminal, having no
 * answer, sends them again to the next process: every one is stored, none twice.
 */
describe('fault: the API dies between a JT/T 808 report and its commit', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it('the terminal sends again what was not answered, and nothing is lost or doubled', async () => {
    const tag = uniqueTag();
    const { proxy, databaseUrl } = await proxiedDatabase();
    cleanup.push(() => proxy.close());
    const db = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
    cleanup.push(() => db.end());
    const jt808Port = await freePort();
    const env = testApiEnv({ DATABASE_URL: databaseUrl, JT808_PORT: String(jt808Port) });
    let api: ApiProcess = await startApiProcess(env);
    cleanup.push(() => api.stop());

    const terminalId = `jtkill-${tag}`;
    const phone = newSim('16');
    const admin = await signInAdmin(api);
    expect((await admin.post<RegisteredTerminal>('/api/v1/terminals', { terminalId, sim: phone, protocol: 'jt808-2019' })).status).toBe(201);
    const connect = async (): Promise<Jt808Terminal> => {
      const t = await Jt808Terminal.connect({ host: '127.0.0.1', port: jt808Port, phone, version: '2019' });
      cleanup.push(() => Promise.resolve(t.destroy()));
      return t;
    };
    let terminal = await connect();
    const { result, authCode } = await terminal.register({ province: 37, city: 305, makerId: 'K', model: 'K1', terminalId: 'K0001', plateColor: 0, plate: '' });
    expect(result).toBe(0);
    expect(await terminal.authenticate(authCode!)).toBe(0);

    // The database goes away: reports are received, none can commit, none is answered.
    await proxy.cut();
    const start = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
    const reports: Jt808LocationInput[] = Array.from({ length: 30 }, (_, i) => ({ lat: 36.8 + i / 10_000, lon: 118.3, fixTimeMs: start + i * 10_000, speedKmh: 25 }));
    const answers = reports.map((report) => terminal.answerTo(terminal.send(0x0200, encodeLocation(report)), 60_000).then(() => true, () => false));
    await waitFor(async () => (await api.metric('muckwatch_ingest_pending_messages')) > 0, 20_000, 'reports received, not committed');

    await api.kill();
    expect((await Promise.all(answers)).filter(Boolean)).toHaveLength(0);
    await proxy.restore();
    api = await startApiProcess(env);

    // The terminal comes back, authenticates with its code, and sends every unanswered report again.
    terminal = await connect();
    expect(await terminal.authenticate(authCode!)).toBe(0);
    for (const report of reports) expect(await terminal.report(report)).toBe(0);
    // A terminal that missed an answer sends the same report twice: stored once.
    expect(await terminal.report(reports[0]!)).toBe(0);

    const { rows } = await db.query<{ n: string; distinct_n: string; source: string[] }>(
      `SELECT count(*) AS n, count(DISTINCT fix_time) AS distinct_n, array_agg(DISTINCT source) AS source FROM positions WHERE terminal_id = $1`,
      [terminalId],
    );
    expect(rows[0]).toEqual({ n: '30', distinct_n: '30', source: ['jt808'] });
  });
});
