import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTelemetryPayload, fixTimeMs } from './validate-telemetry.js';

const example = (name: string): string => readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8');
const fix = { ts: '2026-11-26T22:15:03+08:00', lat: 36.8, lon: 118.3, speedKmh: 0, headingDeg: 0 };

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
    ['a string holding U+0000, which PostgreSQL cannot store', JSON.stringify({ ...fix, note: 'a\u0000b' }), 'malformed_json'],
    ['a key holding U+0000', JSON.stringify([fix, { ...fix, extra: { 'k\u0000': 1 } }]), 'malformed_json'],
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

  it('reads fix times', () => {
    expect(fixTimeMs('2026-11-26T22:15:03+08:00')).toBe(Date.UTC(2026, 10, 26, 14, 15, 3));
    expect(fixTimeMs(1795740903000)).toBe(1795740903000);
  });
});
