import mqtt, { type MqttClient } from 'mqtt';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { telemetryTopic } from '@muckwatch/contracts';
import { startApiProcess, type ApiProcess } from '../support/api-process.js';
import { lineOfFixes } from '../support/mqtt.js';
import { testApiEnv, uniqueTag, waitFor } from '../support/test-api.js';
import { freePort } from '../support/test-broker.js';

/**
 * The embedded default (the API's own Aedes, which keeps its sessions in memory) killed with
 * SIGKILL under load: every fix a terminal was told was received (PUBACK) must be stored, and the
 * terminals' retries bring in the rest.
 */
describe('fault: SIGKILL of the API on its embedded broker under load', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it('loses nothing it acknowledged', async () => {
    const tag = uniqueTag();
    const mqttPort = await freePort();
    const env = testApiEnv({
      MQTT_URL: '',
      EMBEDDED_MQTT_PORT: String(mqttPort),
      EMBEDDED_MQTT_AUTH: 'false',
      INGEST_CONNECTIONS: '1',
      INGEST_SHARED_SUBSCRIPTION: 'false',
    });
    let api: ApiProcess = await startApiProcess(env);
    cleanup.push(() => api.stop());
    const db = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
    cleanup.push(() => db.end());

    const terminals = Array.from({ length: 8 }, (_, i) => `ekill-${i}-${tag}`);
    const perTerminal = 150;
    const acknowledged = new Map<string, Set<string>>(terminals.map((t) => [t, new Set()]));
    const clients: MqttClient[] = [];
    const start = Date.now() - 3_600_000;
    let total = 0;
    const published: Array<Promise<void>> = [];
    for (const [n, terminalId] of terminals.entries()) {
      const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
        clientId: terminalId,
        clean: false,
        reconnectPeriod: 200,
        reconnectOnConnackError: true,
      });
      client.on('error', () => undefined);
      clients.push(client);
      cleanup.push(() => client.endAsync(true));
      for (const fix of lineOfFixes(start + n * 1000, perTerminal, 5)) {
        total += 1;
        published.push(
          client.publishAsync(telemetryTopic(terminalId), JSON.stringify(fix), { qos: 1 }).then(() => {
            acknowledged.get(terminalId)!.add(String(fix.ts));
          }),
        );
      }
    }
    // Kill while messages are being acknowledged, neither before the first nor after the last.
    const acked = () => [...acknowledged.values()].reduce((sum, s) => sum + s.size, 0);
    await waitFor(() => Promise.resolve(acked() >= total / 10), 60_000, 'some fixes acknowledged', 5);
    await api.kill();
    const acknowledgedBeforeKill = new Map([...acknowledged].map(([t, s]) => [t, new Set(s)]));
    const ackedAtKill = acked();
    expect(ackedAtKill).toBeLessThan(total);

    api = await startApiProcess(env);
    await Promise.all(published);
    const storedTimes = async (terminalId: string): Promise<Set<string>> => {
      const { rows } = await db.query<{ ts: string }>(
        `SELECT (extract(epoch FROM fix_time) * 1000)::bigint::text AS ts FROM positions WHERE terminal_id = $1`,
        [terminalId],
      );
      return new Set(rows.map((r) => new Date(Number(r.ts)).toISOString()));
    };
    for (const terminalId of terminals) {
      const stored = await storedTimes(terminalId);
      const lost = [...acknowledgedBeforeKill.get(terminalId)!].filter((ts) => !stored.has(ts));
      expect(lost, `${terminalId}: acknowledged before the kill but not stored`).toEqual([]);
    }
    await waitFor(async () => {
      const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM positions WHERE terminal_id = ANY($1)', [terminals]);
      return Number(rows[0]!.n) === total;
    }, 60_000, 'every fix stored once the terminals resent');
    console.info(`embedded SIGKILL: ${ackedAtKill} of ${total} fixes acknowledged before the kill, all stored; all ${total} stored after`);
  });
});
