import { describe, expect, it } from 'vitest';
import type { TruckPosition, TruckSummary } from '@muckwatch/contracts';
import { LiveTruckTable } from './live-truck-table.js';
import { buildTruckRows } from './truck-rows.js';

const OFFLINE_AFTER_MS = 300_000;
const t0 = Date.parse('2026-11-26T12:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString();

function position(terminalId: string, atMs: number, overrides: Partial<TruckPosition> = {}): TruckPosition {
  return {
    terminalId,
    truckId: null,
    plate: null,
    companyName: null,
    ts: iso(atMs),
    receivedAt: iso(atMs + 500),
    lat: 36.82,
    lon: 118.3,
    speedKmh: 30,
    headingDeg: 90,
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

function truck(n: number, latest: TruckPosition | null = null): TruckSummary {
  const id = String(n).padStart(4, '0');
  return { truckId: `t-${id}`, plate: `鲁C·D${id}`, companyName: `企业${n % 3}`, terminalId: id, ratedLoadT: 20, latest };
}

describe('LiveTruckTable: a dispatcher watching 2,000 trucks', () => {
  const registry = Array.from({ length: 2000 }, (_, n) => truck(n));

  it('replaces only the rows of the trucks in a batch and never sorts again for positions', () => {
    const table = new LiveTruckTable(OFFLINE_AFTER_MS);
    table.setRegistry(registry, t0);
    table.applySnapshot(registry.map((r) => position(r.terminalId!, t0 - 1000)), t0);
    const before = table.orderedRows();
    const sorts = table.sorts;

    const changed = table.applyPositions([position('0007', t0 + 4000, { lat: 36.83 }), position('1500', t0 + 4000, { speedKmh: 0 })], t0 + 5000);

    expect([...changed].sort()).toEqual(['0007', '1500']);
    const after = table.orderedRows();
    expect(table.sorts).toBe(sorts);
    expect(after.map((row) => row.key)).toEqual(before.map((row) => row.key));
    const replaced = after.filter((row, i) => row !== before[i]).map((row) => row.key);
    expect(replaced.sort()).toEqual(['0007', '1500']);
    expect(table.get('1500')?.state).toBe('stopped');
  });

  it('ignores a fix older than the one it holds (batches out of order)', () => {
    const table = new LiveTruckTable(OFFLINE_AFTER_MS);
    table.applyPositions([position('0001', t0)], t0);
    const held = table.get('0001');
    expect(table.applyPositions([position('0001', t0 - 60_000, { lat: 36.9 })], t0).size).toBe(0);
    expect(table.get('0001')).toBe(held);
  });

  it('sorts again when a truck appears or gets its plate, registered plates first', () => {
    const table = new LiveTruckTable(OFFLINE_AFTER_MS);
    table.applyPositions([position('9999', t0), position('0002', t0)], t0);
    expect(table.orderedRows().map((row) => row.key)).toEqual(['0002', '9999']);
    const sorts = table.sorts;
    table.setRegistry([truck(9999)], t0);
    expect(table.orderedRows().map((row) => [row.key, row.plate])).toEqual([
      ['9999', '鲁C·D9999'],
      ['0002', null],
    ]);
    expect(table.sorts).toBe(sorts + 1);
  });

  it('keeps a registered truck the snapshot no longer reports, without its position; drops an unknown terminal', () => {
    const table = new LiveTruckTable(OFFLINE_AFTER_MS);
    table.setRegistry([truck(1)], t0);
    table.applySnapshot([position('0001', t0), position('8888', t0)], t0);
    const changed = table.applySnapshot([], t0 + 1000);
    expect([...changed].sort()).toEqual(['0001', '8888']);
    expect(table.get('8888')).toBeUndefined();
    expect(table.get('0001')).toMatchObject({ state: 'no_data', position: null, plate: '鲁C·D0001' });
  });

  it('a clock tick changes only the trucks that fell silent', () => {
    const table = new LiveTruckTable(OFFLINE_AFTER_MS);
    table.applyPositions([position('0001', t0 - 200_000, { speedKmh: 0 }), position('0002', t0, { speedKmh: 0 })], t0);
    expect(table.tick(t0 + 15_000).size).toBe(0);
    expect([...table.tick(t0 + 120_000)]).toEqual(['0001']);
    expect(table.get('0001')?.state).toBe('offline');
  });

  it('agrees with building every row from scratch after any sequence of batches (seeded)', () => {
    let seed = 42;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const table = new LiveTruckTable(OFFLINE_AFTER_MS);
    const small = registry.slice(0, 60);
    const latest = new Map<string, TruckPosition>();
    let now = t0;
    table.setRegistry(small, now);
    for (let step = 0; step < 200; step += 1) {
      now += 1000;
      const batch: TruckPosition[] = [];
      for (let i = 0; i < 8; i += 1) {
        const id = String(Math.floor(random() * 80)).padStart(4, '0');
        const at = now - Math.floor(random() * 400_000);
        batch.push(position(id, at, { speedKmh: random() < 0.5 ? 0 : 40, load: random() < 0.5 ? 'full' : 'empty', cover: random() < 0.3 ? 'open' : 'closed' }));
      }
      for (const p of batch) {
        const held = latest.get(p.terminalId);
        if (!held || Date.parse(p.ts) >= Date.parse(held.ts)) latest.set(p.terminalId, p);
      }
      table.applyPositions(batch, now);
      if (step % 15 === 0) table.tick(now);
      if (step % 15 === 0) {
        const oracle = buildTruckRows(latest.values(), small, now, OFFLINE_AFTER_MS);
        expect(table.orderedRows()).toEqual(oracle);
      }
    }
  });
});
