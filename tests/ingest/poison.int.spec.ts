import type { MqttClient } from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { HealthResponse } from '@muckwatch/contracts';
import type { RunningApi } from '@muckwatch/api';
import { connectTerminal, lineOfFixes, publishFixes } from '../support/mqtt.js';
import { getJson, startTestApi, uniqueTag, waitFor } from '../support/test-api.js';

/**
 * The findings of issue "one bad message must never stop the platform", through the real broker
 * into the real database: each poison message is rejected with a reason, and a good fix sent
 * right behind it by another terminal is stored.
 */
describe('ingest: no message can stop it', () => {
  let api: RunningApi;
  let terminal: MqttClient;
  let db: pg.Pool;
  const tag = uniqueTag();
  const id = (name: string) => `${name}-${tag}`;

  const stored = async (terminalId: string): Promise<number> => {
    const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM positions WHERE terminal_id = $1', [terminalId]);
    return Number(rows[0]!.n);
  };
  const reasons = async (terminalId: string): Promise<string[]> => {
    const { rows } = await db.query<{ reason: string }>('SELECT reason FROM rejections WHERE terminal_id = $1 ORDER BY id', [terminalId]);
    return rows.map((r) => r.reason);
  };
  const fix = (extra: Record<string, unknown> = {}) => ({ ...lineOfFixes(Date.now() - 5000, 1)[0]!, ...extra });
  /** A poison message from one terminal, then a good fix from another: both must be settled. */
  const poisonThenGood = async (name: string, poison: string): Promise<void> => {
    await publishFixes(terminal, id(name), poison);
    await publishFixes(terminal, id(`${name}-next`), fix());
    await waitFor(async () => (await stored(id(`${name}-next`))) === 1, 20_000, `the fix behind ${name} stored`);
    await waitFor(async () => (await reasons(id(name))).length > 0, 20_000, `${name} rejected`);
  };

  beforeAll(async () => {
    api = await startTestApi();
    terminal = await connectTerminal(inject('mqttUrl'), `poison-${tag}`);
    db = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
  });

  afterAll(async () => {
    await terminal?.endAsync();
    await db?.end();
    await api?.close();
  });

  it('a lone UTF-16 surrogate in an extra field (87 bytes) is rejected; ingest goes on', async () => {
    const raw = JSON.stringify(fix()).replace(/}$/, ',"note":"\\ud800"}');
    await poisonThenGood('surrogate', raw);
    expect(await reasons(id('surrogate'))).toEqual(['unstorable_text']);
    expect(await stored(id('surrogate'))).toBe(0);
  });

  it('a 5,000-deep array is rejected, and a 20,000-deep one holding U+0000 neither stalls nor crashes', async () => {
    const deep = (depth: number, leaf: string) => JSON.stringify(fix()).replace(/}$/, `,"deep":${'['.repeat(depth)}${leaf}${']'.repeat(depth)}}`);
    await poisonThenGood('deep', deep(5000, '1'));
    await poisonThenGood('deeper', deep(20_000, '"\\u0000"'));
    expect(await reasons(id('deep'))).toEqual(['limit_exceeded']);
    expect(await reasons(id('deeper'))).toEqual(['limit_exceeded']);
  });

  it('a 10 MB extra field and a 100k-member object are refused, not stored whole', async () => {
    const oversize = async (name: string, raw: string): Promise<void> => {
      // Its own connection: the embedded broker closes it (packets beyond 512 KiB are not read).
      const client = await connectTerminal(inject('mqttUrl'), `${name}-${tag}`);
      client.options.reconnectPeriod = 0;
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      client.publish(`muckwatch/v1/terminals/${id(name)}/telemetry`, raw, { qos: 1 }, () => undefined);
      if (inject('brokerKind') === 'aedes') {
        await closed;
      } else {
        await waitFor(async () => (await reasons(id(name))).length > 0, 30_000, `${name} rejected`);
        expect(await reasons(id(name))).toEqual(['payload_too_large']);
      }
      await client.endAsync(true);
      expect(await stored(id(name))).toBe(0);
      await publishFixes(terminal, id(`${name}-next`), fix());
      await waitFor(async () => (await stored(id(`${name}-next`))) === 1, 20_000, `the fix behind ${name} stored`);
    };
    await oversize('huge', JSON.stringify(fix({ blob: 'x'.repeat(10 * 1024 * 1024) })));
    await oversize('wide', JSON.stringify(fix({ wide: Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i])) })));
    // Within the broker's packet limit but over the contract's: refused by ingest with the reason.
    await poisonThenGood('big', JSON.stringify(fix({ blob: 'x'.repeat(300 * 1024) })));
    expect(await reasons(id('big'))).toEqual(['payload_too_large']);
    // A message just within the bound but with a 5,000-character extra: the fix is refused.
    await poisonThenGood('extra', JSON.stringify(fix(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`v${i}`, 'y'.repeat(600)])))));
    expect(await reasons(id('extra'))).toEqual(['limit_exceeded']);
  });

  it('a message the database refuses for a reason nobody foresaw is isolated by bisection and recorded', async () => {
    // Stand-in for any unforeseen refusal: the database itself refuses one value.
    await db.query(`
      CREATE OR REPLACE FUNCTION refuse_poison_fix() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.extra ->> 'poison' = '${tag}' THEN RAISE EXCEPTION 'refused by a check nobody foresaw'; END IF;
        RETURN NEW;
      END $$`);
    await db.query('CREATE TRIGGER refuse_poison_fix BEFORE INSERT ON positions FOR EACH ROW EXECUTE FUNCTION refuse_poison_fix()');
    try {
      const before = await getJson<HealthResponse>(`${api.url}/api/health`);
      // Many terminals at once, so the poison shares its group commit with good fixes.
      const good = Array.from({ length: 40 }, (_, i) => id(`crowd${i}`));
      await Promise.all([
        ...good.slice(0, 20).map((t) => publishFixes(terminal, t, fix())),
        publishFixes(terminal, id('refused'), fix({ poison: tag })),
        ...good.slice(20).map((t) => publishFixes(terminal, t, fix())),
      ]);
      await waitFor(async () => (await reasons(id('refused'))).length > 0, 30_000, 'the refused message recorded');
      for (const t of good) await waitFor(async () => (await stored(t)) === 1, 20_000, `${t} stored`);
      expect(await reasons(id('refused'))).toEqual(['unstorable']);
      const { rows } = await db.query<{ detail: string; payload: string }>('SELECT detail, payload FROM rejections WHERE terminal_id = $1', [id('refused')]);
      expect(rows[0]!.detail).toContain('refused by a check nobody foresaw');
      // Kept as the rows it would have been: every field of the fix, its unknown ones in `extra`.
      expect(JSON.parse(rows[0]!.payload)).toMatchObject([{ terminalId: id('refused'), extra: { poison: tag } }]);
      // One refused fix in a 10-fix backlog: the other nine are stored, the one recorded.
      const backlog = lineOfFixes(Date.now() - 60_000, 10, 5).map((f, i) => (i === 4 ? { ...f, poison: tag } : f));
      await publishFixes(terminal, id('backlog'), backlog);
      await waitFor(async () => (await stored(id('backlog'))) === 9 && (await reasons(id('backlog'))).length === 1, 30_000, 'backlog settled');
      expect(await reasons(id('backlog'))).toEqual(['unstorable']);
      const after = await getJson<HealthResponse>(`${api.url}/api/health`);
      expect(after.body.ingest.isolatedMessages).toBeGreaterThan(before.body.ingest.isolatedMessages);
      expect(after.body.ingest.status).toBe('ok');
    } finally {
      await db.query('DROP TRIGGER IF EXISTS refuse_poison_fix ON positions');
      await db.query('DROP FUNCTION IF EXISTS refuse_poison_fix()');
    }
  });
});
