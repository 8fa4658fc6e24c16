import { describe, expect, it } from 'vitest';
import { readMuckStates } from './muck-states.js';
import { STANDARD_TERMINAL_MODEL } from './terminal-model-defaults.js';

/** A terminal of no known maker, read by the standard JT/T 808 row: only status bits 8–9 mean anything. */
describe('a standard JT/T 808 terminal (the fallback model)', () => {
  const mapping = STANDARD_TERMINAL_MODEL.mapping;
  const report = (status: number) => readMuckStates(mapping, { status, extras: new Map() });

  it('reads an empty truck from bits 8–9 = 00, and knows nothing of cover or body', () => {
    expect(report(0b0000_0000_0000_0011)).toEqual({ cover: null, body: null, load: 'empty' });
  });

  it('reads half (01) and full (11) loads', () => {
    expect(report(0b01 << 8).load).toBe('half');
    expect(report(0b11 << 8).load).toBe('full');
  });

  it('reads the reserved value 10 as an unknown load, not a guess', () => {
    expect(report(0b10 << 8).load).toBeNull();
  });

  it('takes the status word as unsigned 32 bits (bit 31 set, negative as an int32)', () => {
    expect(report((1 << 31) | (0b11 << 8)).load).toBe('full');
  });
});
