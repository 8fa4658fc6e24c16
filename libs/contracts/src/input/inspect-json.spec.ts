import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HTTP_JSON_LIMITS, inspectJsonValue, inspectText } from './inspect-json.js';

const limits = { maxDepth: 4, maxKeys: 3, maxStringLength: 10, maxKeyLength: 5 };

describe('inspectJsonValue: the wire boundary', () => {
  it('passes ordinary JSON', () => {
    expect(inspectJsonValue({ name: '临淄区', windows: [{ start: '07:00' }], n: 1.5, ok: true, none: null })).toBeNull();
    expect(inspectJsonValue('鲁C12345')).toBeNull();
    expect(inspectJsonValue('😀 a surrogate pair is fine')).toBeNull();
  });

  it('refuses U+0000 in a value and names where', () => {
    expect(inspectJsonValue({ windows: [{ start: '07:00' }, { name: 'a\u0000b' }] })).toMatchObject({ path: 'windows.1.name', problem: 'nul' });
    expect(inspectJsonValue('\u0000')).toMatchObject({ path: '', problem: 'nul' });
  });

  it('refuses U+0000 in a key, naming the object that holds it', () => {
    expect(inspectJsonValue({ properties: { 'a\u0000': 1 } })).toMatchObject({ path: 'properties', problem: 'nul' });
  });

  it('refuses lone surrogates, high or low, in values and keys', () => {
    expect(inspectJsonValue({ note: 'x\ud800' })).toMatchObject({ path: 'note', problem: 'lone_surrogate' });
    expect(inspectJsonValue({ note: '\udc00x' })).toMatchObject({ path: 'note', problem: 'lone_surrogate' });
    expect(inspectJsonValue({ note: '\ude00\ud83d' })).toMatchObject({ problem: 'lone_surrogate' });
    expect(inspectJsonValue([{ '\udfff': 1 }])).toMatchObject({ path: '0', problem: 'lone_surrogate' });
    expect(inspectJsonValue(JSON.parse('{"name":"\\ud800"}'))).toMatchObject({ path: 'name', problem: 'lone_surrogate' });
  });

  it('agrees with String.prototype.isWellFormed on what is well formed', () => {
    for (const s of ['\ud800', '\udc00', '\ud83d\ude00', 'a\ud83db', 'ab', '\ud83d\ude00\ud800', '']) {
      expect(inspectText(s) === 'lone_surrogate', JSON.stringify(s)).toBe(!(s as unknown as { isWellFormed(): boolean }).isWellFormed());
    }
  });

  it('bounds depth, keys per object and string and key length', () => {
    expect(inspectJsonValue([[[[1]]]], limits)).toBeNull();
    expect(inspectJsonValue([[[[[1]]]]], limits)).toMatchObject({ path: '0.0.0.0', problem: 'too_deep', reason: 'is nested more than 4 deep' });
    expect(inspectJsonValue({ a: { w: 1, x: 2, y: 3, z: 4 } }, limits)).toMatchObject({ path: 'a', problem: 'too_many_keys' });
    expect(inspectJsonValue({ a: 'x'.repeat(11) }, limits)).toMatchObject({ path: 'a', problem: 'string_too_long', reason: 'is longer than 10 characters' });
    expect(inspectJsonValue({ abcdef: 1 }, limits)).toMatchObject({ path: '', problem: 'key_too_long' });
  });

  it('walks a 200,000-deep array without exhausting the stack', () => {
    const deep = JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`) as unknown;
    expect(inspectJsonValue(deep)).toMatchObject({ problem: 'too_deep' });
    const unbounded = { ...HTTP_JSON_LIMITS, maxDepth: Number.POSITIVE_INFINITY };
    expect(inspectJsonValue(deep, unbounded)).toBeNull();
  });

  it('reports the first problem in document order', () => {
    expect(inspectJsonValue({ a: ['ok', 'b\u0000'], b: '\ud800' })).toMatchObject({ path: 'a.1', problem: 'nul' });
  });

  it('refuses what JSON cannot carry', () => {
    expect(inspectJsonValue({ n: Number.NaN })).toMatchObject({ path: 'n', problem: 'not_json' });
    expect(inspectJsonValue({ f: () => 1 })).toMatchObject({ path: 'f', problem: 'not_json' });
  });

  it('refuses exactly the values holding unstorable text (property, against a recursive reference)', () => {
    const storable = (v: unknown): boolean =>
      typeof v === 'string'
        ? !v.includes('\u0000') && (v as unknown as { isWellFormed(): boolean }).isWellFormed()
        : Array.isArray(v)
          ? v.every(storable)
          : typeof v === 'object' && v !== null
            ? Object.entries(v).every(([k, x]) => storable(k) && storable(x))
            : true;
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom('\u0000', '\ud800', '\udc00a', '\ud83d\ude00'));
    const value = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(text, tie('v'), { maxKeys: 3 })),
    })).v;
    fc.assert(
      fc.property(value, (v) => {
        expect(inspectJsonValue(v) === null).toBe(storable(v));
      }),
      { seed: 20261204, numRuns: 1_000 },
    );
  });
});
