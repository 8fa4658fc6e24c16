import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTelemetryPayload, fixTimeMs } from './validate-telemetry.js';

const example = (name: string): string => readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8');
const fix = { ts: '2026-11-26T22:15:03+08:00', lat: 36.8, lon: 118.3, speedKmh: 0, headingDeg: 0 };

/** `[[[…[leaf]…]]]`, `depth` arrays deep, as JSON text (JSON.stringify cannot go that deep). */
class Nested {
  constructor(
    readonly depth: number,
    readonly leaf: unknown,
  ) {}
}
const nested = (depth: number, leaf: unknown = 1): Nested => new Nested(depth, leaf);
function toJson(fixLike: Record<string, unknown>): string {
  const members = Object.entries(fixLike).map(([key, value]) => {
    const text = value instanceof Nested ? `${'['.repeat(value.depth)}${JSON.stringify(value.leaf)}${']'.repeat(value.depth)}` : JSON.stringify(value);
    return `${JSON.stringify(key)}:${text}`;
  });
  return `{${members.join(',')}}`;
}

describe('telemetry v1 contract', () => {
  it('accepts the documented examples', () => {
    for (const name of ['single-fix.json', 'backlog.json']) {
      const verdict = parseTelemetryPayload(example(name));
      expect(verdict.ok && verdict.rejections).toEqual([]);
    }
  });

  it('accepts epoch milliseconds and ISO times with an offset, and keeps unknown fields', () => {
    const verdict = parseTelemetryPayload(JSON.stringify([{ ...fix, ts: 1795740903000 }, { ...fix, vendorX: { a: 1 } }]));
    expect(verdict.ok && verdict.fixes.map((f) => f.fix)).toEqual([{ ...fix, ts: 1795740903000 }, { ...fix, vendorX: { a: 1 } }]);
  });

  it.each([
    ['a time without offset', { ...fix, ts: '2026-11-26T22:15:03' }],
    ['latitude out of range', { ...fix, lat: 90.5 }],
    ['longitude out of range', { ...fix, lon: -181 }],
    ['negative speed', { ...fix, speedKmh: -1 }],
    ['missing heading', { ts: fix.ts, lat: 1, lon: 1, speedKmh: 0 }],
    ['an unknown cover state', { ...fix, cover: 'ajar' }],
    ['an unknown sensor health', { ...fix, sensors: { lift: 'broken' } }],
    ['a string speed', { ...fix, speedKmh: '30' }],
    ['a message counter beyond 2^53 (a bigint column could not hold it)', { ...fix, seq: 1e20 }],
  ])('refuses %s as a schema violation naming the field', (_, bad) => {
    const verdict = parseTelemetryPayload(JSON.stringify(bad));
    expect(verdict.ok && verdict.rejections.map((r) => r.reason)).toEqual(['schema_violation']);
  });

  it.each([
    ['malformed JSON', '{"ts":', 'malformed_json'],
    ['an empty payload', '  ', 'empty_payload'],
    ['an empty array', '[]', 'empty_payload'],
    ['a bare number', '42', 'not_a_fix'],
    ['501 fixes', JSON.stringify(Array.from({ length: 501 }, () => fix)), 'too_many_fixes'],
    ['a message beyond 256 KiB', JSON.stringify({ ...fix, note: 'x'.repeat(300 * 1024) }), 'payload_too_large'],
  ])('refuses %s as a whole message', (_, raw, reason) => {
    const verdict = parseTelemetryPayload(raw);
    expect(!verdict.ok && verdict.rejection.reason).toBe(reason);
  });

  it('judges each fix of a backlog on its own', () => {
    const verdict = parseTelemetryPayload(JSON.stringify([fix, { ...fix, lat: 'x' }, null, fix]));
    expect(verdict.ok && verdict.fixes.map((f) => f.index)).toEqual([0, 3]);
    expect(verdict.ok && verdict.rejections.map((r) => [r.reason, r.index])).toEqual([
      ['schema_violation', 1],
      ['not_a_fix', 2],
    ]);
  });

  it.each([
    ['a string holding U+0000, which PostgreSQL cannot store', { ...fix, note: 'a\u0000b' }, 'unstorable_text', 'note'],
    ['a member name holding U+0000', { ...fix, extra: { 'k\u0000': 1 } }, 'unstorable_text', 'extra'],
    ['a lone surrogate (jsonb refuses it)', JSON.parse('{"ts":"2026-11-26T22:15:03+08:00","lat":36.8,"lon":118.3,"speedKmh":0,"headingDeg":0,"note":"\\ud800"}'), 'unstorable_text', 'note'],
    ['a 5,000-deep array', { ...fix, deep: nested(5000) }, 'limit_exceeded', 'deep.0.0'],
    ['a 20,000-deep array holding U+0000', { ...fix, deep: nested(20_000, '\u0000') }, 'limit_exceeded', 'deep.0.0'],
    ['an object of 100 members', { ...fix, wide: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i])) }, 'limit_exceeded', 'wide'],
    ['a 2,000-character string', { ...fix, note: 'x'.repeat(2000) }, 'limit_exceeded', 'note'],
  ])('refuses %s in one fix of a backlog, keeping the others', (_, bad, reason, path) => {
    const verdict = parseTelemetryPayload(`[${JSON.stringify(fix)},${toJson(bad as Record<string, unknown>)},${JSON.stringify(fix)}]`);
    expect(verdict.ok && verdict.fixes.map((f) => f.index)).toEqual([0, 2]);
    const rejection = verdict.ok ? verdict.rejections[0] : undefined;
    expect([rejection?.reason, rejection?.index]).toEqual([reason, 1]);
    expect(rejection?.detail.startsWith(`${path}`)).toBe(true);
    // The offending fix is not handed on: it may be too deep to serialise.
    expect(rejection?.value).toBeUndefined();
  });

  it('reads fix times', () => {
    expect(fixTimeMs('2026-11-26T22:15:03+08:00')).toBe(Date.UTC(2026, 10, 26, 14, 15, 3));
    expect(fixTimeMs(1795740903000)).toBe(1795740903000);
  });
});
