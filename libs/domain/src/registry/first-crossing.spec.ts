import { kinks, polygon } from '@turf/turf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPolygon } from './geofence-geometry.js';
import { firstCrossing, sweepCrossing } from './first-crossing.js';

type Ring = [number, number][];

/** n points evenly on a circle around Linzi, closed. */
function circle(n: number, radius = 0.01): Ring {
  const ring: Ring = Array.from({ length: n }, (_, i) => [118.3 + radius * Math.cos((2 * Math.PI * i) / n), 36.8 + radius * Math.sin((2 * Math.PI * i) / n)]);
  return [...ring, ring[0]!];
}

/** The {n/k} star polygon: every edge crosses most of the others (~n²/2 crossings). */
function star(n: number, k: number): Ring {
  const ring: Ring = Array.from({ length: n }, (_, i) => [118.3 + 0.01 * Math.cos((2 * Math.PI * k * i) / n), 36.8 + 0.01 * Math.sin((2 * Math.PI * k * i) / n)]);
  return [...ring, ring[0]!];
}

describe('self-intersection search', () => {
  it('refuses a 9,001-position star at its first crossing without collecting the others', () => {
    const ring = star(9_000, 4_499);
    expect(ring).toHaveLength(9_001);
    const check = checkPolygon({ type: 'Polygon', coordinates: [ring] });
    expect(check.valid).toBe(false);
    expect(check.valid === false && check.reason).toMatch(/^self-intersection at 118\.\d+,36\.\d+$/);
  });

  it('accepts a 100,000-position circle', () => {
    expect(checkPolygon({ type: 'Polygon', coordinates: [circle(99_999)] })).toEqual({ valid: true });
  });

  it('finds the one crossing in a 100,000-position ring, near its end', () => {
    const ring = circle(99_999);
    // Swapping two neighbouring positions folds the outline once: a bow tie in a tiny corner.
    [ring[99_990], ring[99_991]] = [ring[99_991]!, ring[99_990]!];
    const at = firstCrossing([ring]);
    expect(at).not.toBeNull();
    const [lon, lat] = at ?? [Number.NaN, Number.NaN];
    const [swappedLon, swappedLat] = ring[99_990] ?? [Number.NaN, Number.NaN];
    expect(Math.hypot(lon - swappedLon, lat - swappedLat)).toBeLessThan(1e-5);
  });

  it('finds a hole that crosses its shell', () => {
    const shell: Ring = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]];
    const hole: Ring = [[5, 5], [12, 5], [12, 6], [5, 6], [5, 5]];
    expect(firstCrossing([shell, hole])).toEqual([10, 5]);
    expect(firstCrossing([shell, [[2, 2], [3, 2], [3, 3], [2, 3], [2, 2]]])).toBeNull();
  });

  it('reports the same crossing as testing every pair (turf kinks) on small random rings', () => {
    const coordinate = fc.integer({ min: 0, max: 6 });
    const ring = fc.array(fc.tuple(coordinate, coordinate), { minLength: 3, maxLength: 10 }).map((points): Ring => [...points, points[0]!]);
    fc.assert(
      fc.property(ring, (r) => {
        const expected = kinks(polygon([r])).features[0]?.geometry.coordinates ?? null;
        expect(firstCrossing([r])).toEqual(expected);
      }),
      { seed: 20261204, numRuns: 500 },
    );
  });
});

describe('sweep line (past the R-tree budget)', () => {
  /** A comb of long parallel diagonals: every segment's box overlaps every other's; no crossing. */
  function comb(n: number): Ring {
    const ring: Ring = [];
    for (let k = 0; k < n / 2; k += 1) ring.push([118, 36 + k * 1e-6], [118.01, 36.01 + k * 1e-6]);
    ring.push([117.999, 36.02], [117.999, 36], ring[0]!);
    return ring;
  }

  it('accepts a 10,000-position comb (all boxes overlapping) and finds one fold in it', () => {
    expect(firstCrossing([comb(10_000)])).toBeNull();
    // One position pulled below the comb: its two segments cut through the diagonals under it.
    const folded = comb(10_000);
    folded[5000] = [118.005, 35.99];
    expect(firstCrossing([folded])).not.toBeNull();
  });

  /** Two segments on one line sharing more than a point (a spike doubling back): PostGIS's case. */
  function overlapsCollinearly(rings: Ring[]): boolean {
    const segments = rings.flatMap((r) => r.slice(0, -1).map((a, i): [number[], number[]] => [a, r[i + 1]!]));
    const cross = (o: number[], a: number[], b: number[]) => (a[0]! - o[0]!) * (b[1]! - o[1]!) - (a[1]! - o[1]!) * (b[0]! - o[0]!);
    const dot = (o: number[], a: number[], b: number[]) => (a[0]! - o[0]!) * (b[0]! - o[0]!) + (a[1]! - o[1]!) * (b[1]! - o[1]!);
    return segments.some(([a, b], i) =>
      segments.some(([c, d], j) => {
        if (j <= i || cross(a, b, c) !== 0 || cross(a, b, d) !== 0) return false;
        const length = dot(a, b, b);
        if (length === 0) return false;
        const [t0, t1] = [dot(a, b, c), dot(a, b, d)].sort((x, y) => x - y) as [number, number];
        return Math.min(t1, length) - Math.max(t0, 0) > 0;
      }),
    );
  }

  it('finds a crossing exactly when testing every pair does, on small rings and ring pairs (no collinear overlaps)', () => {
    const coordinate = fc.integer({ min: 0, max: 5 });
    const ring = fc.array(fc.tuple(coordinate, coordinate), { minLength: 3, maxLength: 12 }).map((points): Ring => [...points, points[0]!]);
    const segmentsOf = (rings: Ring[]) =>
      rings.flatMap((r, ringIndex) =>
        r.slice(0, -1).map(([ax, ay], index) => ({ ax, ay, bx: r[index + 1]![0], by: r[index + 1]![1], ring: ringIndex, index, last: r.length - 2 })),
      );
    fc.assert(
      fc.property(fc.array(ring, { minLength: 1, maxLength: 3 }), (rings) => {
        fc.pre(!overlapsCollinearly(rings));
        const segments = segmentsOf(rings).map((s, id) => ({ ...s, id }));
        expect(sweepCrossing(segments) !== null).toBe(firstCrossing(rings) !== null);
      }),
      { seed: 20261204, numRuns: 3000 },
    );
  });
});
