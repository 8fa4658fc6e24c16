import { describe, expect, it } from 'vitest';
import { booleanPointInPolygon } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { districtBoundary } from '@muckwatch/linzi';
import { labelPoint, outerRingsLatLng, ringsBounds } from './geometry.js';

/** A C-shaped (concave) town ~4 km across near Linzi: its area centroid lies in the open mouth, outside it. */
const cShape: Polygon = {
  type: 'Polygon',
  coordinates: [[
    [118.30, 36.80], [118.35, 36.80], [118.35, 36.81], [118.31, 36.81], [118.31, 36.84],
    [118.35, 36.84], [118.35, 36.85], [118.30, 36.85], [118.30, 36.80],
  ]],
};

function centroid(ring: number[][]): [number, number] {
  let a = 0, x = 0, y = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const c = ring[j]![0]! * ring[i]![1]! - ring[i]![0]! * ring[j]![1]!;
    a += c;
    x += (ring[j]![0]! + ring[i]![0]!) * c;
    y += (ring[j]![1]! + ring[i]![1]!) * c;
  }
  return [x / (3 * a), y / (3 * a)];
}

describe('label point of a town', () => {
  it('lies inside a concave polygon whose centroid does not', () => {
    expect(booleanPointInPolygon(centroid(cShape.coordinates[0]!), cShape)).toBe(false);
    const point = labelPoint(cShape);
    expect(booleanPointInPolygon(point, cShape)).toBe(true);
  });

  it('takes the largest part of a multipolygon, and stays out of its holes', () => {
    const small: Polygon['coordinates'] = [[[118.0, 36.0], [118.001, 36.0], [118.001, 36.001], [118.0, 36.0]]];
    const ring: Polygon['coordinates'] = [
      [[118.3, 36.8], [118.4, 36.8], [118.4, 36.9], [118.3, 36.9], [118.3, 36.8]],
      [[118.33, 36.83], [118.33, 36.87], [118.37, 36.87], [118.37, 36.83], [118.33, 36.83]],
    ];
    const multi: MultiPolygon = { type: 'MultiPolygon', coordinates: [small, ring] };
    const point = labelPoint(multi);
    expect(booleanPointInPolygon(point, { type: 'Polygon', coordinates: ring })).toBe(true);
  });
});

describe('the box around rings', () => {
  it("is the district's extreme latitudes and longitudes, as Leaflet's own bounds of its points are", () => {
    const rings = outerRingsLatLng(districtBoundary.geometry);
    const points = rings.flat();
    const lats = points.map((p) => p[0]);
    const lons = points.map((p) => p[1]);
    expect(ringsBounds(rings)).toEqual([
      [Math.min(...lats), Math.min(...lons)],
      [Math.max(...lats), Math.max(...lons)],
    ]);
  });

  it('is null for no points', () => {
    expect(ringsBounds([])).toBeNull();
    expect(ringsBounds([[]])).toBeNull();
  });
});
