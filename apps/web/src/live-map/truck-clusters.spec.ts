import { describe, expect, it } from 'vitest';
import type { TruckPosition } from '@muckwatch/contracts';
import { buildTruckClusterIndex, clusterPoints, INDIVIDUAL_FROM_ZOOM, isClusterFeature } from './truck-clusters.js';
import type { TruckRow } from './truck-rows.js';

function row(key: string, lat: number, lon: number, overrides: Partial<TruckRow> = {}): TruckRow {
  return {
    key,
    terminalId: key,
    truckId: null,
    plate: null,
    companyName: null,
    position: { lat, lon } as TruckPosition,
    state: 'moving',
    loaded: false,
    coverOpen: false,
    ...overrides,
  };
}

describe('aggregating trucks at low zoom', () => {
  it('places only trucks with a position and a motion state, one count each', () => {
    const points = clusterPoints([
      row('a', 36.82, 118.3, { coverOpen: true }),
      row('b', 36.82, 118.3, { state: 'no_data', position: null }),
      row('c', 36.83, 118.31, { state: 'offline' }),
    ]);
    expect(points.map((p) => [p.properties.key, p.geometry.coordinates, p.properties])).toEqual([
      ['a', [118.3, 36.82], { key: 'a', moving: 1, stopped: 0, offline: 0, coverOpen: 1 }],
      ['c', [118.31, 36.83], { key: 'c', moving: 0, stopped: 0, offline: 1, coverOpen: 0 }],
    ]);
  });

  it('sums the states of a depot full of trucks at district zoom and shows each truck from zoom 14', () => {
    const depot = Array.from({ length: 30 }, (_, i) =>
      row(`d${i}`, 36.82 + i * 0.0001, 118.3, { state: i < 10 ? 'moving' : i < 25 ? 'stopped' : 'offline', coverOpen: i === 3 }),
    );
    const faraway = row('far', 36.95, 118.5);
    const index = buildTruckClusterIndex([...depot, faraway]);
    const world: [number, number, number, number] = [-180, -85, 180, 85];

    const district = index.getClusters(world, 11);
    const clusters = district.filter(isClusterFeature);
    expect(clusters).toHaveLength(1);
    expect(clusters[0]!.properties).toMatchObject({ point_count: 30, moving: 10, stopped: 15, offline: 5, coverOpen: 1 });
    expect(district.filter((f) => !isClusterFeature(f)).map((f) => (f.properties as { key: string }).key)).toEqual(['far']);

    const street = index.getClusters(world, INDIVIDUAL_FROM_ZOOM);
    expect(street.filter(isClusterFeature)).toHaveLength(0);
    expect(street).toHaveLength(31);
  });
});
