import type { Polygon } from 'geojson';
import type { LonLat } from '../town-seeds.js';

const METRES_PER_DEGREE_LAT = 111_320;

function metresPerDegreeLon(lat: number): number {
  return METRES_PER_DEGREE_LAT * Math.cos((lat * Math.PI) / 180);
}

function round7(value: number): number {
  return Math.round(value * 1e7) / 1e7;
}

/** Moves a point by east/north metres (flat-earth approximation, fine below a few km). */
export function offsetMetres([lon, lat]: LonLat, eastM: number, northM: number): LonLat {
  return [round7(lon + eastM / metresPerDegreeLon(lat)), round7(lat + northM / METRES_PER_DEGREE_LAT)];
}

/** Small deterministic pseudo-random numbers in [0, 1) from a key, for shapes that should not look machine-made. */
export function keyedRandom(key: string): () => number {
  let state = 2166136261;
  for (let i = 0; i < key.length; i++) state = Math.imul(state ^ key.charCodeAt(i), 16777619);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A site outline: a rectangle `widthM` × `heightM` rotated by `rotationDeg` (counter-clockwise)
 * around `centre`, with one corner cut off so it does not look like a plain box. Convex, so
 * never self-intersecting; counter-clockwise outer ring, closed.
 */
export function siteOutline(centre: LonLat, widthM: number, heightM: number, rotationDeg: number): Polygon {
  const w = widthM / 2;
  const h = heightM / 2;
  const cut = Math.min(w, h) * 0.4;
  const corners: Array<[number, number]> = [
    [-w, -h], [w, -h], [w, h - cut], [w - cut, h], [-w, h],
  ];
  const r = (rotationDeg * Math.PI) / 180;
  const ring = corners.map(([x, y]) =>
    offsetMetres(centre, x * Math.cos(r) - y * Math.sin(r), x * Math.sin(r) + y * Math.cos(r)),
  );
  return { type: 'Polygon', coordinates: [[...ring, ring[0]!]] };
}

/**
 * A pit or yard outline: an irregular convex-ish polygon of `vertices` points on an ellipse of
 * radii `radiusEastM`/`radiusNorthM`, each pulled in by up to 15 %. Angles increase, so the ring
 * is counter-clockwise and star-shaped around the centre (no self-intersection).
 */
export function yardOutline(centre: LonLat, radiusEastM: number, radiusNorthM: number, vertices: number, key: string): Polygon {
  const random = keyedRandom(key);
  const ring: LonLat[] = [];
  for (let i = 0; i < vertices; i++) {
    const angle = (2 * Math.PI * i) / vertices + (random() - 0.5) * (Math.PI / vertices);
    const pull = 0.85 + random() * 0.15;
    ring.push(offsetMetres(centre, Math.cos(angle) * radiusEastM * pull, Math.sin(angle) * radiusNorthM * pull));
  }
  return { type: 'Polygon', coordinates: [[...ring, ring[0]!]] };
}

/**
 * A plausible road route from `from` to `to`: Linzi's roads run mostly on a north–south /
 * east–west grid, so the route leaves the site to a road `exitM` metres away, runs along the
 * longer axis to a crossing, turns, and turns again onto the destination's road, with small
 * keyed wobbles so the legs are not perfectly straight. Returns [lon, lat] vertices.
 */
export function gridRoute(from: LonLat, to: LonLat, key: string, options: { exitM?: number; split?: number } = {}): LonLat[] {
  const random = keyedRandom(key);
  const wobble = (): number => (random() - 0.5) * 120; // metres
  const exitM = options.exitM ?? 250;
  const split = options.split ?? 0.35 + random() * 0.3;
  const [x0, y0] = from;
  const [x1, y1] = to;
  const northFirst = Math.abs(y1 - y0) * 1.25 > Math.abs(x1 - x0);
  const path: LonLat[] = [from];
  if (northFirst) {
    const exit = offsetMetres(from, Math.sign(x1 - x0) * exitM, wobble());
    const turnLat = y0 + (y1 - y0) * split;
    path.push(exit);
    path.push(offsetMetres([exit[0], turnLat], wobble(), 0));
    path.push(offsetMetres([x1, turnLat], 0, wobble()));
    path.push(offsetMetres([x1, y1], wobble() / 3, -Math.sign(y1 - y0) * exitM));
  } else {
    const exit = offsetMetres(from, wobble(), Math.sign(y1 - y0) * exitM);
    const turnLon = x0 + (x1 - x0) * split;
    path.push(exit);
    path.push(offsetMetres([turnLon, exit[1]], 0, wobble()));
    path.push(offsetMetres([turnLon, y1], wobble(), 0));
    path.push(offsetMetres([x1, y1], -Math.sign(x1 - x0) * exitM, wobble() / 3));
  }
  path.push(to);
  return path;
}

/** Length of a [lon, lat] polyline in metres (haversine). */
export function pathLengthM(path: readonly LonLat[]): number {
  let total = 0;
  for (let i = 1; i < path.length; i++) total += haversineM(path[i - 1]!, path[i]!);
  return total;
}

export function haversineM([lon1, lat1]: LonLat, [lon2, lat2]: LonLat): number {
  const toRad = Math.PI / 180;
  const dLat = (lat2 - lat1) * toRad;
  const dLon = (lon2 - lon1) * toRad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * toRad) * Math.cos(lat2 * toRad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
}
