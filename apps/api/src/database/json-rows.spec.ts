import { describe, expect, it } from 'vitest';
import { JsonRows } from './json-rows.js';

interface Row {
  id: string;
  atMs: number;
  tags: string[];
  meta: Record<string, unknown> | null;
  n: number | null;
}

const ROWS = new JsonRows<Row>({ id: 'text', atMs: 'ms', tags: 'text[]', meta: 'jsonb', n: 'bigint' });

describe('JsonRows', () => {
  it('encodes rows as arrays of their fields, in the declared order', () => {
    const encoded = ROWS.encode([
      { id: 'a', atMs: 1795739519494, tags: ['jump', 'stale'], meta: { k: 1 }, n: 7 },
      { id: 'b', atMs: 0, tags: [], meta: null, n: null },
    ]);
    expect(JSON.parse(encoded)).toEqual([
      ['a', 1795739519494, 'jump,stale', { k: 1 }, 7],
      ['b', 0, '', null, null],
    ]);
  });

  it('reads each field back by position with its type', () => {
    expect(ROWS.read('id')).toBe('(e->>0)');
    expect(ROWS.read('atMs')).toBe('to_timestamp((e->>1)::float8 / 1000)');
    expect(ROWS.read('tags')).toBe(`string_to_array(e->>2, ',')`);
    expect(ROWS.read('meta', 'x')).toBe(`NULLIF(x->3, 'null'::jsonb)`);
    expect(ROWS.read('n')).toBe('(e->>4)::bigint');
    expect(ROWS.columns()).toContain('(e->>0) AS "id"');
  });

  it('refuses a field it does not carry', () => {
    expect(() => ROWS.read('missing' as unknown as keyof Row)).toThrow(/no field missing/);
  });
});
