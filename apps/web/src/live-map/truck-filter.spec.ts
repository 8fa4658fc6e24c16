import { describe, expect, it } from 'vitest';
import type { TruckPosition } from '@muckwatch/contracts';
import { applyTruckFilter, companyOptions, isTruckFilterActive, matchesTruckSearch, NO_TRUCK_FILTER, type TruckFilter } from './truck-filter.js';
import type { TruckRow } from './truck-rows.js';

function row(key: string, overrides: Partial<TruckRow> = {}): TruckRow {
  return {
    key,
    terminalId: key,
    truckId: `t-${key}`,
    plate: `鲁C·${key}`,
    companyName: '齐都运输',
    position: { lat: 36.82, lon: 118.3 } as TruckPosition,
    state: 'moving',
    loaded: false,
    coverOpen: false,
    ...overrides,
  };
}

const rows: TruckRow[] = [
  row('D0001', { loaded: true, coverOpen: true }),
  row('D0002', { state: 'stopped', loaded: true, companyName: '临淄城建' }),
  row('D0003', { state: 'offline', companyName: '临淄城建' }),
  row('D0004', { state: 'no_data', position: null }),
  row('9999', { plate: null, companyName: null, truckId: null }),
];
const none = new Set<string>();
const keys = (filter: Partial<TruckFilter>, open: ReadonlySet<string> = none): string[] =>
  applyTruckFilter(rows, { ...NO_TRUCK_FILTER, ...filter }, open).rows.map((r) => r.key);

describe('truck filter: map and list show the same trucks', () => {
  it('shows everything, in the given order, when nothing is set', () => {
    expect(keys({})).toEqual(['D0001', 'D0002', 'D0003', 'D0004', '9999']);
    expect(isTruckFilterActive(NO_TRUCK_FILTER)).toBe(false);
  });

  it('narrows by state, company, load, cover open and open violation', () => {
    expect(keys({ state: 'no_data' })).toEqual(['D0004']);
    expect(keys({ companies: ['临淄城建'] })).toEqual(['D0002', 'D0003']);
    expect(keys({ load: 'loaded' })).toEqual(['D0001', 'D0002']);
    // A truck never heard from is neither loaded nor empty.
    expect(keys({ load: 'empty' })).toEqual(['D0003', '9999']);
    expect(keys({ coverOpen: true })).toEqual(['D0001']);
    expect(keys({ openViolation: true }, new Set(['D0003', '9999']))).toEqual(['D0003', '9999']);
    expect(keys({ companies: ['临淄城建'], load: 'loaded', state: 'stopped' })).toEqual(['D0002']);
  });

  it('counts each state among what the other filters leave', () => {
    const { counts } = applyTruckFilter(rows, { ...NO_TRUCK_FILTER, companies: ['临淄城建'], state: 'moving' }, none);
    expect(counts).toEqual({ all: 2, moving: 0, stopped: 1, offline: 1, no_data: 0 });
  });

  it('searches plate and terminal id ignoring separators and case, and part of the company name', () => {
    expect(matchesTruckSearch('lu', rows[0]!)).toBe(false);
    expect(keys({ query: 'c d0002' })).toEqual(['D0002']);
    expect(keys({ query: '999' })).toEqual(['9999']);
    expect(keys({ query: '城建' })).toEqual(['D0002', 'D0003']);
    expect(isTruckFilterActive({ ...NO_TRUCK_FILTER, query: ' · ' })).toBe(false);
  });

  it('offers each company once, in Chinese collation order', () => {
    expect(companyOptions([...rows, row('D0005', { companyName: '齐都运输' })])).toEqual(
      ['临淄城建', '齐都运输'].sort((a, b) => a.localeCompare(b, 'zh-CN')),
    );
  });
});
