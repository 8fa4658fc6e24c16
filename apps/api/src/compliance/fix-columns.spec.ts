import { describe, expect, it } from 'vitest';
import { type FixLike, toComplianceFix } from './compliance-write.js';
import { decodeFixes, encodeFixes } from './fix-columns.js';

const base: FixLike = {
  terminalId: 'T1', fixTimeMs: 1_795_750_200_489, receivedAtMs: 1_795_750_201_000, lat: 36.812345678, lon: 118.298765432,
  speedKmh: 37.5, valid: true, ignition: null, cover: null, body: null, load: null, loadT: null, sensors: null,
};

describe('fixes as columns for the engines process', () => {
  it('arrive as the engine would have read the rows themselves', () => {
    const rows: FixLike[] = [
      base,
      { ...base, terminalId: '终端-2', valid: false, ignition: false },
      { ...base, ignition: true, cover: 'partial', body: 'raised', load: 'overload', loadT: 41.25, sensors: { lift: 'short' } },
      { ...base, cover: 'fault', body: 'fault', load: 'empty', loadT: 0, sensors: { cover: 'ok', lift: 'offline', load: 'open' } },
    ];
    const columns = structuredClone(encodeFixes(rows));
    expect(decodeFixes(columns)).toEqual(rows.map(toComplianceFix));
  });

  it('refuses a state it has no code for rather than dropping it', () => {
    expect(() => encodeFixes([{ ...base, cover: 'ajar' }])).toThrow('unknown cover "ajar"');
  });
});
