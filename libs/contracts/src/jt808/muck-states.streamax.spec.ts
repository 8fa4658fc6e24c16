import { describe, expect, it } from 'vitest';
import { readMuckStates } from './muck-states.js';
import { VENDOR_TERMINAL_MODELS } from './terminal-model-defaults.js';

/** 锐明: cover on status bit 13, body on status bit 14, load from the 0x2B AD0 voltage (10 mV) in bands. */
describe('a 锐明 terminal under its default mapping', () => {
  const mapping = VENDOR_TERMINAL_MODELS.find((m) => m.key === 'streamax')!.mapping;
  const analog = (ad0: number, ad1 = 0) => new Map([[0x2b, Buffer.from([ad0 >> 8, ad0 & 0xff, ad1 >> 8, ad1 & 0xff])]]);

  it('an empty truck, sealed and down: 0.42 V on AD0', () => {
    expect(readMuckStates(mapping, { status: 0, extras: analog(42) })).toEqual({ cover: 'closed', body: 'down', load: 'empty', loadVoltage: 0.42 });
  });

  it('a full truck: 3.21 V; the band edge 3.00 V already counts as full', () => {
    expect(readMuckStates(mapping, { status: 0, extras: analog(321) })).toMatchObject({ load: 'full', loadVoltage: 3.21 });
    expect(readMuckStates(mapping, { status: 0, extras: analog(300) }).load).toBe('full');
  });

  it('an overloaded truck tipping with the cover open: bits 13 and 14 set, 6.5 V', () => {
    expect(readMuckStates(mapping, { status: (1 << 13) | (1 << 14), extras: analog(650) })).toEqual({
      cover: 'open',
      body: 'raised',
      load: 'overload',
      loadVoltage: 6.5,
    });
  });

  it('a voltage in no band (a broken sensor at 12 V) is an unknown load with the voltage kept', () => {
    expect(readMuckStates(mapping, { status: 0, extras: analog(1200) })).toMatchObject({ load: null, loadVoltage: 12 });
  });

  it('no analog item: load and voltage unknown', () => {
    expect(readMuckStates(mapping, { status: 0, extras: new Map() })).toMatchObject({ load: null, loadVoltage: null });
  });
});
