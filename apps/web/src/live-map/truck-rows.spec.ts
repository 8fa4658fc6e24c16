import { describe, expect, it } from 'vitest';
import type { TruckPosition, TruckSummary } from '@muckwatch/contracts';
import { buildTruckRows, countTruckStates, isNewerPosition } from './truck-rows.js';

const now = Date.parse('2026-11-26T12:00:00Z');
const OFFLINE_AFTER_MS = 300_000;

function position(terminalId: string, overrides: Partial<TruckPosition> = {}): TruckPosition {
  return {
    terminalId,
    truckId: null,
    plate: null,
    companyName: null,
    ts: '2026-11-26T11:59:58Z',
    receivedAt: '2026-11-26T11:59:59Z',
    lat: 36.82,
    lon: 118.3,
    speedKmh: 0,
    headingDeg: 0,
    ignition: true,
    cover: 'closed',
    body: 'down',
    load: 'empty',
    loadT: 0,
    sensors: null,
    control: null,
    liveness: 'online',
    ...overrides,
  };
}

const registered: TruckSummary = {
  truckId: 't-2',
  plate: '鲁C·A0002',
  companyName: '临淄运输',
  terminalId: '0002',
  ratedLoadT: 20,
  latest: null,
};

describe('buildTruckRows', () => {
  it('lists a registered truck that never reported as no data, beside the ones that did', () => {
    const rows = buildTruckRows(
      [position('0001', { truckId: 't-1', plate: '鲁C·A0001', companyName: '齐都运输', speedKmh: 35 })],
      [registered],
      now,
      OFFLINE_AFTER_MS,
    );
    expect(rows.map((row) => [row.key, row.plate, row.state])).toEqual([
      ['0001', '鲁C·A0001', 'moving'],
      ['0002', '鲁C·A0002', 'no_data'],
    ]);
  });

  it('puts unregistered terminals after the plates and marks silent ones offline', () => {
    const rows = buildTruckRows(
      [
        position('9999', { ts: '2026-11-26T11:40:00Z' }),
        position('0002', { truckId: 't-2', plate: '鲁C·A0002', load: 'full', cover: 'open' }),
      ],
      [registered],
      now,
      OFFLINE_AFTER_MS,
    );
    expect(rows.map((row) => [row.key, row.plate, row.state, row.coverOpen])).toEqual([
      ['0002', '鲁C·A0002', 'stopped', true],
      ['9999', null, 'offline', false],
    ]);
    expect(countTruckStates(rows)).toEqual({ all: 2, moving: 0, stopped: 1, offline: 1, no_data: 0 });
  });
});

describe('isNewerPosition', () => {
  it('keeps the later fix when batches arrive out of order', () => {
    const later = position('0001', { ts: '2026-11-26T11:59:58Z' });
    const earlier = position('0001', { ts: '2026-11-26T11:59:00Z' });
    expect(isNewerPosition(earlier, later)).toBe(false);
    expect(isNewerPosition(later, earlier)).toBe(true);
    expect(isNewerPosition(earlier, undefined)).toBe(true);
  });
});
