/**
 * Point-in-polygon with the same answers as PostGIS ST_Covers (GEOS): a point on an edge or a
 * vertex is covered. The orientation test is exact for every pair of doubles (a floating-point
 * filter, then exact integer arithmetic when the filter cannot decide), so a point the database
 * sees on an edge is on the edge here too; a tolerance would disagree with the database near edges.
 */

/** [lon, lat] */
export type Position = readonly number[];

const EPSILON = 2 ** -53;
/** Shewchuk's error bound for the 2D orientation determinant evaluated in doubles. */
const CCW_ERR_BOUND = (3 + 16 * EPSILON) * EPSILON;

const view = new DataView(new ArrayBuffer(8));

/** A finite double as an exact integer multiple of 2^-1074. */
function exactInteger(x: number): bigint {
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const negative = hi >>> 31 === 1;
  const exponent = (hi >>> 20) & 0x7ff;
  const mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  const magnitude = exponent === 0 ? mantissa : (mantissa | (1n << 52n)) << BigInt(exponent - 1);
  return negative ? -magnitude : magnitude;
}

/**
 * Orientation of c relative to the directed line a→b: 1 left (counter-clockwise), -1 right, 0 on
 * the line. Exact.
 */
export function orientation(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): -1 | 0 | 1 {
  const detLeft = (ax - cx) * (by - cy);
  const detRight = (ay - cy) * (bx - cx);
  const det = detLeft - detRight;
  const bound = CCW_ERR_BOUND * (Math.abs(detLeft) + Math.abs(detRight));
  if (det > bound) return 1;
  if (-det > bound) return -1;
  const [AX, AY, BX, BY, CX, CY] = [ax, ay, bx, by, cx, cy].map(exactInteger) as [bigint, bigint, bigint, bigint, bigint, bigint];
  const exact = (AX - CX) * (BY - CY) - (AY - CY) * (BX - CX);
  return exact > 0n ? 1 : exact < 0n ? -1 : 0;
}

/** [lon, lat] of a position; NaN for a missing coordinate (never inside anything). */
function xy(p: Position | undefined): [number, number] {
  return [p?.[0] ?? NaN, p?.[1] ?? NaN];
}

export type RingLocation = 'interior' | 'boundary' | 'exterior';

/**
 * Where a point lies relative to a closed ring (first position repeated last), by counting the
 * crossings of a ray to the east, as GEOS's RayCrossingCounter does.
 */
export function locateInRing(x: number, y: number, ring: readonly Position[]): RingLocation {
  let crossings = 0;
  for (let i = 1; i < ring.length; i++) {
    const [x1, y1] = xy(ring[i - 1]);
    const [x2, y2] = xy(ring[i]);
    if (x1 < x && x2 < x) continue;
    if (x === x2 && y === y2) return 'boundary';
    if (y1 === y && y2 === y) {
      if (x >= Math.min(x1, x2) && x <= Math.max(x1, x2)) return 'boundary';
      continue;
    }
    if ((y1 > y && y2 <= y) || (y2 > y && y1 <= y)) {
      let side = orientation(x1, y1, x2, y2, x, y);
      if (side === 0) return 'boundary';
      if (y2 < y1) side = -side as -1 | 1;
      if (side > 0) crossings++;
    }
  }
  // A ring whose first position is not repeated last is closed here.
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) {
    return locateInRing(x, y, [...ring, first]);
  }
  return crossings % 2 === 1 ? 'interior' : 'exterior';
}

/** ST_Covers(polygon, point): inside the outer ring or on any boundary, not strictly inside a hole. */
export function polygonCovers(rings: readonly (readonly Position[])[], x: number, y: number): boolean {
  const [outer, ...holes] = rings;
  if (!outer) return false;
  const where = locateInRing(x, y, outer);
  if (where === 'exterior') return false;
  if (where === 'boundary') return true;
  return holes.every((hole) => locateInRing(x, y, hole) !== 'interior');
}

/** A Polygon's or MultiPolygon's coordinates, as a list of polygons (each a list of rings). */
export function coversAny(polygons: readonly (readonly (readonly Position[])[])[], x: number, y: number): boolean {
  return polygons.some((rings) => polygonCovers(rings, x, y));
}

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/**
 * Shortest distance in metres from a point to a polyline, in a local equirectangular projection
 * centred on the point (error well under 0.1 % within the few kilometres a corridor spans).
 */
export function distanceToLineM(lon: number, lat: number, line: readonly Position[]): number {
  const kx = Math.cos(lat * RAD) * RAD * EARTH_RADIUS_M;
  const ky = RAD * EARTH_RADIUS_M;
  let best = Infinity;
  for (let i = 1; i < line.length; i++) {
    const [x1, y1] = xy(line[i - 1]);
    const [x2, y2] = xy(line[i]);
    const ax = (x1 - lon) * kx;
    const ay = (y1 - lat) * ky;
    const bx = (x2 - lon) * kx;
    const by = (y2 - lat) * ky;
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
    const px = ax + t * dx;
    const py = ay + t * dy;
    best = Math.min(best, Math.hypot(px, py));
  }
  if (line.length === 1) {
    const [x, y] = xy(line[0]);
    best = Math.hypot((x - lon) * kx, (y - lat) * ky);
  }
  return best;
}

/** Degrees of latitude and longitude spanned by `metres` around a latitude (for bounding boxes). */
export function degreesFor(metres: number, lat: number): { dLon: number; dLat: number } {
  const dLat = metres / (RAD * EARTH_RADIUS_M);
  return { dLat, dLon: dLat / Math.max(0.01, Math.cos(lat * RAD)) };
}
