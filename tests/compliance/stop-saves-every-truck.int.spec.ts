import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startApiProcess } from '../support/api-process.js';
import { connectTerminal, lineOfFixes, publishFixes } from '../support/mqtt.js';
import { purgeSessions, testApiEnv, uniqueTag, waitFor } from '../support/test-api.js';

// Ctrl-C on `npm start` signals the whole process group: the API and its compliance engines child
// (apps/api/src/compliance/engines-child.ts) both get SIGINT. The API's shutdown still needs the
// child to hand over every engine's state for the final checkpoint.
describe('a normal stop: SIGINT to the API’s whole process group', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it('exits 0 and leaves every truck a checkpoint at its last fix', async () => {
    const tag = uniqueTag();
    const env = testApiEnv();
    const db = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
    cleanup.push(() => db.end());
    const api = await startApiProcess(env, { detached: true });
    cleanup.push(() => api.stop());
    cleanup.push(() => purgeSessions(env));

    const client = await connectTerminal(env['MQTT_URL']!, `stop-${tag}`);
    cleanup.push(() => client.endAsync());
    const unregisteredCount = async (terminals: string[]): Promise<number> => {
      const { rows } = await db.query<{ n: string }>(`SELECT count(DISTINCT terminal_id) AS n FROM violations WHERE terminal_id = ANY($1) AND type = 'unregistered_terminal'`, [terminals]);
      return Number(rows[0]!.n);
    };
    // A first terminal's verdict: the engines have restored, so what follows runs on the live path.
    const warmUp = `stop-warm-${tag}`;
    await publishFixes(client, warmUp, lineOfFixes(Date.now() - 60_000, 2));
    await waitFor(async () => (await unregisteredCount([warmUp])) === 1, 60_000, 'engines restored');

    const terminals = ['a', 'b', 'c', 'd'].map((s) => `stop-${s}-${tag}`);
    const start = Date.now() - 20 * 60_000;
    const lastFixMs = new Map<string, number>();
    for (const [i, terminalId] of terminals.entries()) {
      const fixes = lineOfFixes(start + i * 1000, 15 + i);
      await publishFixes(client, terminalId, fixes);
      lastFixMs.set(terminalId, new Date(fixes[fixes.length - 1]!.ts).getTime());
    }
    // PUBACK follows the COMMIT; the engines evaluate after it (each message in one go).
    await waitFor(async () => (await unregisteredCount(terminals)) === terminals.length, 60_000, 'every terminal evaluated');
    const checkpointsAt = async (): Promise<Record<string, number>> => {
      const { rows } = await db.query<{ terminal_id: string; last_ms: string }>(
        `SELECT terminal_id, (extract(epoch FROM max(last_fix_time)) * 1000)::bigint AS last_ms
           FROM compliance_checkpoints WHERE terminal_id = ANY($1) GROUP BY terminal_id`,
        [terminals],
      );
      return Object.fromEntries(rows.map((r) => [r.terminal_id, Number(r.last_ms)]));
    };
    // Too few fixes for a periodic checkpoint: only the stop can save these states.
    expect(await checkpointsAt()).toEqual({});

    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => api.child.once('exit', (code, signal) => resolve({ code, signal })));
    process.kill(-api.pid, 'SIGINT');
    const { code, signal } = await exited;

    expect(api.output()).not.toContain('shutdown checkpoint failed');
    expect(api.output()).not.toContain('compliance engines process exited');
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(await checkpointsAt()).toEqual(Object.fromEntries(lastFixMs));
  });

  it('the engines process, deaf to SIGINT/SIGTERM, still never outlives a killed API', async () => {
    const env = testApiEnv();
    const api = await startApiProcess(env, { detached: true });
    cleanup.push(() => api.stop());
    cleanup.push(() => purgeSessions(env));
    let enginesPid: number | null = null;
    await waitFor(async () => {
      const health = (await (await fetch(`${api.url}/api/health`)).json()) as { compliance?: { pid: number | null } };
      enginesPid = health.compliance?.pid ?? null;
      return enginesPid !== null;
    }, 30_000, 'the engines process started');
    await api.kill();
    await waitFor(() => !isAlive(enginesPid!), 30_000, 'the engines process exited with its API');
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
