import type { MultiPolygon, Polygon, Position } from 'geojson';

/** Signed area (shoelace) of a ring of [lon, lat], in squared degrees. */
function ringArea(ring: readonly Position[]): number {
  let area = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    area += ring[j]![0]! * ring[i]![1]! - ring[i]![0]! * ring[j]![1]!;
  }
  return area / 2;
}

/** Area centroid of a ring, [lon, lat]; the vertex mean for a degenerate ring. */
function ringCentroid(ring: readonly Position[]): [number, number] {
  const area = ringArea(ring);
  if (Math.abs(area) < 1e-12) {
    const n = ring.length || 1;
    return [ring.reduce((s, p) => s + p[0]!, 0) / n, ring.reduce((s, p) => s + p[1]!, 0) / n];
  }
  let x = 0;
  let y = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const cross = ring[j]![0]! * ring[i]![1]! - ring[i]![0]! * ring[j]![1]!;
    x += (ring[j]![0]! + ring[i]![0]!) * cross;
    y += (ring[j]![1]! + ring[i]![1]!) * cross;
  }
  return [x / (6 * area), y / (6 * area)];
}

/** Where to put a polygon's label: the centroid of its largest outer ring, [lon, lat]. */
export function labelPoint(geometry: Polygon | MultiPolygon): [number, number] {
  const outerRings = geometry.type === 'Polygon' ? [geometry.coordinates[0] ?? []] : geometry.coordinates.map((p) => p[0] ?? []);
  let largest: readonly Position[] = [];
  for (const ring of outerRings) if (Math.abs(ringArea(ring)) > Math.abs(ringArea(largest))) largest = ring;
  return ringCentroid(largest);
}

/** The outer rings of a (multi)polygon, [lat, lon] for Leaflet. */
export function outerRingsLatLng(geometry: Polygon | MultiPolygon): [number, number][][] {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.map((rings) => (rings[0] ?? []).map((p) => [p[1]!, p[0]!] as [number, number]));
}
