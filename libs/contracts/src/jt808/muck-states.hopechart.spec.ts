import { describe, expect, it } from 'vitest';
import { readMuckStates } from './muck-states.js';
import { VENDOR_TERMINAL_MODELS } from './terminal-model-defaults.js';

/** 鸿泉: 0xE3 byte 0 bit 0 = lift raised, 0xE4 byte 0 bit 0 = cover open, load from status bits 8–9. */
describe('a 鸿泉 terminal under its default mapping', () => {
  const mapping = VENDOR_TERMINAL_MODELS.find((m) => m.key === 'hopechart')!.mapping;

  it('a loaded truck driving sealed: 0xE3 and 0xE4 present with bit 0 clear, full load', () => {
    const extras = new Map([
      [0xe3, Buffer.from([0x00])],
      [0xe4, Buffer.from([0x00, 0x7f])],
    ]);
    expect(readMuckStates(mapping, { status: 0b11 << 8, extras })).toEqual({ cover: 'closed', body: 'down', load: 'full' });
  });

  it('tipping at the disposal site with the cover open: both bits set', () => {
    const extras = new Map([
      [0xe3, Buffer.from([0x01])],
      [0xe4, Buffer.from([0xff])],
    ]);
    expect(readMuckStates(mapping, { status: 0b01 << 8, extras })).toEqual({ cover: 'open', body: 'raised', load: 'half' });
  });

  it('a report without the vendor items leaves cover and body unknown', () => {
    expect(readMuckStates(mapping, { status: 0, extras: new Map() })).toEqual({ cover: null, body: null, load: 'empty' });
  });

  it('an item too short for its offset reads as unknown', () => {
    expect(readMuckStates(mapping, { status: 0, extras: new Map([[0xe3, Buffer.alloc(0)]]) }).body).toBeNull();
  });
});
