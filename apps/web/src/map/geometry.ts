import polylabel from 'polylabel';
import type { MultiPolygon, Polygon, Position } from 'geojson';

/** Signed area (shoelace) of a ring of [lon, lat], in squared degrees. */
function ringArea(ring: readonly Position[]): number {
  let area = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    area += ring[j]![0]! * ring[i]![1]! - ring[i]![0]! * ring[j]![1]!;
  }
  return area / 2;
}

/**
 * Where to put a polygon's label: inside its largest part, at the point furthest from every edge
 * (polylabel's pole of inaccessibility), so a concave town's name never lands outside it as its
 * centroid could. Longitudes are scaled by cos(latitude) first, so "furthest" is in ground distance. [lon, lat].
 */
export function labelPoint(geometry: Polygon | MultiPolygon): [number, number] {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let largest: readonly Position[][] = [];
  for (const rings of polygons) if (Math.abs(ringArea(rings[0] ?? [])) > Math.abs(ringArea(largest[0] ?? []))) largest = rings;
  const outer = largest[0] ?? [];
  if (outer.length === 0) return [0, 0];
  const lats = outer.map((p) => p[1]!);
  const lons = outer.map((p) => p[0]!);
  const k = Math.cos((((Math.min(...lats) + Math.max(...lats)) / 2) * Math.PI) / 180);
  const span = Math.max((Math.max(...lons) - Math.min(...lons)) * k, Math.max(...lats) - Math.min(...lats));
  const [x, y] = polylabel(
    largest.map((ring) => ring.map((p) => [p[0]! * k, p[1]!] as [number, number])),
    span > 0 ? span / 1000 : 1e-9,
  );
  return [x / k, y];
}

/** The outer rings of a (multi)polygon, [lat, lon] for Leaflet. */
export function outerRingsLatLng(geometry: Polygon | MultiPolygon): [number, number][][] {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.map((rings) => (rings[0] ?? []).map((p) => [p[1]!, p[0]!] as [number, number]));
}

/**
 * The box around rings of [lat, lon], as Leaflet's [[south, west], [north, east]]: a loop over the
 * numbers, where `L.latLngBounds(points)` makes a LatLng of every point (a district's ~700 points
 * cost 15 ms of a page's first mount in a Chromium trace). Null for no points.
 */
export function ringsBounds(rings: readonly (readonly [number, number])[][]): [[number, number], [number, number]] | null {
  let south = Infinity;
  let west = Infinity;
  let north = -Infinity;
  let east = -Infinity;
  for (const ring of rings) {
    for (const [lat, lon] of ring) {
      south = Math.min(south, lat);
      north = Math.max(north, lat);
      west = Math.min(west, lon);
      east = Math.max(east, lon);
    }
  }
  return south <= north ? [[south, west], [north, east]] : null;
}
