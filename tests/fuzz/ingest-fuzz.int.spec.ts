import fc from 'fast-check';
import mqtt from 'mqtt';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { TELEMETRY_LIMITS, telemetryTopic, type HealthResponse } from '@muckwatch/contracts';
import { startApiProcess, type ApiProcess } from '../support/api-process.js';
import { lineOfFixes } from '../support/mqtt.js';
import { getJson, testApiEnv, uniqueTag, waitFor } from '../support/test-api.js';

/**
 * Property-based fuzzing of ingest, end to end: generated payloads (arbitrary JSON, arbitrary
 * bytes, valid fixes with hostile extras, backlogs mixing both) go through the real broker into
 * the real database, to an API in its own process. Afterwards: every valid fix is stored once,
 * every other message has a rejection, ingest still commits, the process is up and its memory
 * bounded. Seeded (a fixed default, so CI is reproducible): FUZZ_SEED reproduces a run, FUZZ_RUNS makes
 * it longer (`npm run fuzz`: a fresh seed, printed, and 5,000 messages).
 */
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261204);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 400);

type Case = { payload: string | Uint8Array; expect: 'stored' | 'settled' | 'too_large' | { fixes: number } };

const now = Date.now();
const validFix = fc.record({
  ts: fc.integer({ min: now - 2 * 3_600_000, max: now - 1000 }),
  lat: fc.double({ min: 36.6, max: 37.0, noNaN: true }),
  lon: fc.double({ min: 118.1, max: 118.5, noNaN: true }),
  speedKmh: fc.double({ min: 0, max: 120, noNaN: true }),
  headingDeg: fc.double({ min: 0, max: 359, noNaN: true }),
});
/** Any UTF-16 code units, lone surrogates and U+0000 included. */
const hostileText = fc.string({ unit: 'binary', maxLength: 40 });
const deepJson = fc
  .tuple(fc.integer({ min: 1, max: 30_000 }), fc.constantFrom('1', '"\\u0000"', '"\\ud800"', '{}', 'null'))
  .map(([depth, leaf]) => `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}`);
const hostileValue = fc.oneof(
  hostileText.map((text) => JSON.stringify(text)),
  deepJson,
  fc.jsonValue({ maxDepth: 12 }).map((value) => JSON.stringify(value) ?? 'null'),
  fc.integer({ min: 1, max: 3000 }).map((n) => JSON.stringify('x'.repeat(n))),
  fc.integer({ min: 1, max: 200 }).map((n) => JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i])))),
);
/** A valid fix's JSON text with hostile extra members appended (as text: they may be too deep to build). */
const hostileFixWithTs = fc
  .tuple(validFix, fc.array(fc.tuple(hostileText, hostileValue), { minLength: 1, maxLength: 4 }))
  .map(([fix, extras]) => ({
    ts: fix.ts,
    text: `${JSON.stringify(fix).slice(0, -1)}${extras.map(([key, value]) => `,${JSON.stringify(`x_${key}`)}:${value}`).join('')}}`,
  }));
const hostileFix = hostileFixWithTs.map(({ text }) => text);

const generated: fc.Arbitrary<Case> = fc.oneof(
  validFix.map((fix) => ({ payload: JSON.stringify(fix), expect: 'stored' as const })),
  fc.jsonValue().map((value) => ({ payload: JSON.stringify(value) ?? '', expect: 'settled' as const })),
  fc.uint8Array({ maxLength: 2048 }).map((bytes) => ({ payload: bytes, expect: 'settled' as const })),
  hostileFix.map((text) => ({ payload: text, expect: { fixes: 1 } })),
  // Distinct fix times: two fixes of one terminal at one time are one fix (stored once, by design).
  fc
    .uniqueArray(fc.oneof(validFix.map((fix) => ({ ts: fix.ts, text: JSON.stringify(fix) })), hostileFixWithTs), {
      minLength: 1,
      maxLength: 30,
      selector: (fix) => fix.ts,
    })
    .map((fixes) => ({ payload: `[${fixes.map((f) => f.text).join(',')}]`, expect: { fixes: fixes.length } })),
);
/**
 * A message over the contract's 256 KiB is refused whole (`payload_too_large`). Kept under the
 * embedded broker's 512 KiB packet limit, beyond which the connection is closed unread.
 */
const cases: fc.Arbitrary<Case> = generated
  .filter((c) => Buffer.byteLength(c.payload) < 2 * TELEMETRY_LIMITS.maxPayloadBytes - 1024)
  .map((c) => (Buffer.byteLength(c.payload) > TELEMETRY_LIMITS.maxPayloadBytes ? { ...c, expect: 'too_large' as const } : c));

describe('fuzz: ingest through the real broker into the real database', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it(`settles every generated message and keeps committing (seed ${SEED}, ${RUNS} messages)`, async () => {
    const tag = uniqueTag();
    const api: ApiProcess = await startApiProcess(testApiEnv({ LOG_LEVEL: 'error' }));
    cleanup.push(() => api.stop());
    const db = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
    cleanup.push(() => db.end());
    const client = await mqtt.connectAsync(inject('mqttUrl'), { clientId: `fuzz-${tag}`, clean: true });
    cleanup.push(() => client.endAsync());

    const generated = fc.sample(cases, { seed: SEED, numRuns: RUNS });
    const terminalOf = (i: number) => `fz${tag}-${i}`;
    for (let i = 0; i < generated.length; i += 50) {
      await Promise.all(
        generated.slice(i, i + 50).map((c, j) => client.publishAsync(telemetryTopic(terminalOf(i + j)), Buffer.from(c.payload), { qos: 1 })),
      );
    }

    type Tally = { terminal_id: string; stored: number; rejected: number };
    const tally = async (): Promise<Map<string, Tally>> => {
      const { rows } = await db.query<Tally>(
        `SELECT t AS terminal_id,
                (SELECT count(*)::int FROM positions p WHERE p.terminal_id = t) AS stored,
                (SELECT count(*)::int FROM rejections r WHERE r.terminal_id = t) AS rejected
           FROM unnest($1::text[]) AS t`,
        [generated.map((_, i) => terminalOf(i))],
      );
      return new Map(rows.map((r) => [r.terminal_id, r]));
    };
    await waitFor(async () => [...(await tally()).values()].every((t) => t.stored + t.rejected > 0), 180_000, 'every message settled', 500);

    const counts = await tally();
    const failures: string[] = [];
    generated.forEach((c, i) => {
      const { stored, rejected } = counts.get(terminalOf(i))!;
      const text = typeof c.payload === 'string' ? c.payload : `bytes ${Buffer.from(c.payload).toString('hex').slice(0, 120)}`;
      if (c.expect === 'stored' && (stored !== 1 || rejected !== 0)) failures.push(`#${i} valid fix: stored ${stored}, rejected ${rejected}: ${text.slice(0, 200)}`);
      if (c.expect === 'too_large' && (stored !== 0 || rejected !== 1)) failures.push(`#${i} over 256 KiB: stored ${stored}, rejected ${rejected}`);
      if (typeof c.expect === 'object' && stored + rejected !== c.expect.fixes) {
        failures.push(`#${i} ${c.expect.fixes} fixes: stored ${stored} + rejected ${rejected}: ${text.slice(0, 200)}`);
      }
    });
    expect(failures, `seed ${SEED}`).toEqual([]);

    // Still committing: a good fix sent last is stored; health is ok, nothing waits.
    const sentinel = `fz${tag}-last`;
    await client.publishAsync(telemetryTopic(sentinel), JSON.stringify(lineOfFixes(Date.now() - 1000, 1)[0]), { qos: 1 });
    await waitFor(async () => {
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM positions WHERE terminal_id = $1', [sentinel]);
      return rows[0]!.n === 1;
    }, 30_000, 'the last fix stored');
    const health = await getJson<HealthResponse>(`${api.url}/api/health`);
    expect(health.body.ingest).toMatchObject({ status: 'ok', pendingMessages: 0 });
    const rss = await api.rssMiB();
    expect(rss).toBeLessThan(1024);
    const rejectedMessages = [...counts.values()].filter((t) => t.rejected > 0).length;
    console.info(
      `ingest fuzz: seed ${SEED}, ${generated.length} messages, ${[...counts.values()].reduce((n, t) => n + t.stored, 0)} fixes stored, ` +
        `${rejectedMessages} messages with rejections, API RSS ${rss.toFixed(0)} MiB`,
    );
  });
});
