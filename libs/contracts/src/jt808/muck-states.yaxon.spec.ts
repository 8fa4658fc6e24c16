import { describe, expect, it } from 'vitest';
import { readMuckStates } from './muck-states.js';
import { VENDOR_TERMINAL_MODELS } from './terminal-model-defaults.js';

/** 雅迅: value tables in 0xE4 (cover), 0xE3 (body) and 0xE5 (load). */
describe('a 雅迅 terminal under its default mapping', () => {
  const mapping = VENDOR_TERMINAL_MODELS.find((m) => m.key === 'yaxon')!.mapping;
  const items = (cover: number, body: number, load: number) =>
    new Map([
      [0xe4, Buffer.from([cover])],
      [0xe3, Buffer.from([body])],
      [0xe5, Buffer.from([load])],
    ]);

  it('a sealed, full truck on the road', () => {
    expect(readMuckStates(mapping, { status: 0, extras: items(0, 0, 2) })).toEqual({ cover: 'closed', body: 'down', load: 'full' });
  });

  it('a half-closed cover on an overloaded truck', () => {
    expect(readMuckStates(mapping, { status: 0, extras: items(2, 0, 3) })).toEqual({ cover: 'partial', body: 'down', load: 'overload' });
  });

  it('sensor faults reported as 0xFF', () => {
    expect(readMuckStates(mapping, { status: 0, extras: items(0xff, 0xff, 0) })).toEqual({ cover: 'fault', body: 'fault', load: 'empty' });
  });

  it('a value outside the table is unknown, and the status word is ignored', () => {
    expect(readMuckStates(mapping, { status: 0xffffffff, extras: items(7, 9, 200) })).toEqual({ cover: null, body: null, load: null });
  });
});
