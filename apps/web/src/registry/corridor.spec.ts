import { describe, expect, it } from 'vitest';
import type { Position } from 'geojson';
import { corridorPolygon } from './corridor.js';

const M_PER_DEG_LAT = 111_195;

/** Distance in metres from a point to a segment, locally flat. */
function distanceToSegment(p: Position, a: Position, b: Position): number {
  const kx = Math.cos((a[1]! * Math.PI) / 180) * M_PER_DEG_LAT;
  const P = [(p[0]! - a[0]!) * kx, (p[1]! - a[1]!) * M_PER_DEG_LAT];
  const B = [(b[0]! - a[0]!) * kx, (b[1]! - a[1]!) * M_PER_DEG_LAT];
  const t = Math.max(0, Math.min(1, (P[0]! * B[0]! + P[1]! * B[1]!) / (B[0]! ** 2 + B[1]! ** 2)));
  return Math.hypot(P[0]! - t * B[0]!, P[1]! - t * B[1]!);
}

describe('a route corridor drawn as a buffer', () => {
  it('puts every outline point half the width away from a straight route', () => {
    const line = { type: 'LineString' as const, coordinates: [[118.3, 36.8], [118.32, 36.8]] };
    const polygon = corridorPolygon(line, 60)!;
    const ring = polygon.coordinates[0]!;
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    for (const p of ring) expect(distanceToSegment(p, line.coordinates[0]!, line.coordinates[1]!)).toBeCloseTo(30, 0);
  });

  it('keeps the outline at least half the width from a route that turns', () => {
    const line = { type: 'LineString' as const, coordinates: [[118.3, 36.8], [118.31, 36.8], [118.31, 36.81]] };
    const ring = corridorPolygon(line, 100)!.coordinates[0]!;
    for (const p of ring) {
      const d = Math.min(distanceToSegment(p, line.coordinates[0]!, line.coordinates[1]!), distanceToSegment(p, line.coordinates[1]!, line.coordinates[2]!));
      expect(d).toBeGreaterThan(49);
      expect(d).toBeLessThan(51);
    }
  });

  it('draws nothing for a route of one point or without a width', () => {
    expect(corridorPolygon({ type: 'LineString', coordinates: [[118.3, 36.8]] }, 50)).toBeNull();
    expect(corridorPolygon({ type: 'LineString', coordinates: [[118.3, 36.8], [118.3, 36.8]] }, 50)).toBeNull();
    expect(corridorPolygon({ type: 'LineString', coordinates: [[118.3, 36.8], [118.4, 36.8]] }, 0)).toBeNull();
  });
});
