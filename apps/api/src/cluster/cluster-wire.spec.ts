import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_NOTIFY_BYTES, MessageAssembler, splitMessage, type WireMessage } from './cluster-wire.js';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20261206);
const messageArb = fc.record({
  from: fc.stringMatching(/^[a-z0-9-]{1,40}$/),
  seq: fc.nat(),
  name: fc.constantFrom('registry.changed', 'live.positions', 'violation.opened'),
  // Chinese text, quotes and backslashes (escaping grows them), and sizes well past one payload.
  payload: fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.array(fc.record({ plate: fc.string({ unit: fc.constantFrom('鲁', 'C', '1', '"', '\\', '渣', '土', 'é', '😀') }), lat: fc.double({ noNaN: true, noDefaultInfinity: true }) }), { maxLength: 400 }),
  ),
}) satisfies fc.Arbitrary<WireMessage>;

describe('cluster bus wire format', () => {
  it('fits every NOTIFY payload under PostgreSQL’s limit and puts any message together again, parts in any order', () => {
    fc.assert(
      fc.property(messageArb, fc.integer(), (message, shuffleSeed) => {
        const parts = splitMessage(message);
        for (const p of parts) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(MAX_NOTIFY_BYTES);
        const order = parts.map((p, i) => ({ p, k: Math.sin(shuffleSeed + i) })).sort((a, b) => a.k - b.k);
        const assembler = new MessageAssembler();
        const out = order.map(({ p }) => assembler.accept(p, 'someone-else', 0)).filter((m) => m !== null);
        expect(out).toHaveLength(1);
        expect(out[0]).toEqual(JSON.parse(JSON.stringify(message)));
        expect(assembler.pending).toBe(0);
        expect(assembler.heldChars).toBe(0);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('skips its own messages', () => {
    const [part] = splitMessage({ from: 'me', seq: 1, name: 'registry.changed', payload: {} });
    expect(new MessageAssembler().accept(part!, 'me', 0)).toBeNull();
  });

  it('refuses anything else with an error (never a crash), and keeps what it holds bounded', () => {
    const assembler = new MessageAssembler();
    const hostile = fc.oneof(
      fc.string({ maxLength: 8000 }),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      // Parts that lie: counts, indexes, sequence numbers, types.
      fc.record({ f: fc.oneof(fc.string(), fc.integer()), s: fc.oneof(fc.nat(), fc.double()), i: fc.integer({ min: -2, max: 600 }), k: fc.integer({ min: -2, max: 100_000 }), d: fc.oneof(fc.string(), fc.nat()) }).map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(hostile, (text) => {
        try {
          assembler.accept(text, 'me', 0);
        } catch (error) {
          expect(error).toSatisfy((e: unknown) => e instanceof TypeError || e instanceof SyntaxError);
        }
        expect(assembler.pending).toBeLessThanOrEqual(256);
        expect(assembler.heldChars).toBeLessThanOrEqual(8_000_000);
      }),
      { seed: SEED, numRuns: 2000 },
    );
    // Incomplete messages are forgotten after a while.
    assembler.accept(JSON.stringify({ f: 'x', s: 1, i: 0, k: 2, d: '{' }), 'me', 0);
    assembler.accept(JSON.stringify({ f: 'y', s: 1, i: 0, k: 2, d: '{' }), 'me', 60_000);
    expect(assembler.pending).toBe(1);
  });
});
