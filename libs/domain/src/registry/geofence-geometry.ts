import { firstCrossing } from './first-crossing.js';

/**
 * Structural checks of geofence geometry (WGS-84 GeoJSON) with a reason and, where one exists, a
 * location ("self-intersection at 118.30123,36.81234"). PostGIS ST_IsValidDetail is the oracle
 * behind it in the API; this runs in the browser too, so a form can say the same thing first.
 */

export type GeometryCheck = { valid: true } | { valid: false; reason: string; location: [number, number] | null };

type Position = [number, number];

function invalid(reason: string, location: Position | null = null): GeometryCheck {
  return { valid: false, reason, location };
}

/** '118.30123,36.81234' */
export function formatLocation([lon, lat]: readonly number[]): string {
  return `${Number(lon!.toFixed(6))},${Number(lat!.toFixed(6))}`;
}

function checkPositions(positions: unknown, what: string): GeometryCheck {
  if (!Array.isArray(positions)) return invalid(`${what} must be an array of [lon, lat] positions`);
  for (const p of positions as unknown[]) {
    if (!Array.isArray(p) || p.length < 2 || !p.slice(0, 2).every((v) => typeof v === 'number' && Number.isFinite(v))) {
      return invalid(`${what} has a position that is not [lon, lat] numbers`);
    }
    const [lon, lat] = p as Position;
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90) return invalid(`${what} has a position outside WGS-84 bounds`, [lon, lat]);
  }
  return { valid: true };
}

function samePosition(a: readonly number[], b: readonly number[]): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

/** A GeoJSON Polygon: closed rings of at least 4 positions, at least 3 distinct, not self-intersecting. */
export function checkPolygon(geometry: unknown): GeometryCheck {
  if (typeof geometry !== 'object' || geometry === null || (geometry as { type?: unknown }).type !== 'Polygon') {
    return invalid('must be a GeoJSON Polygon');
  }
  const rings = (geometry as { coordinates?: unknown }).coordinates;
  if (!Array.isArray(rings) || rings.length === 0) return invalid('a Polygon needs at least an outer ring');
  for (const [i, ring] of (rings as unknown[]).entries()) {
    const what = i === 0 ? 'the outer ring' : `hole ${i}`;
    const positions = checkPositions(ring, what);
    if (!positions.valid) return positions;
    const r = ring as Position[];
    if (r.length < 4) return invalid(`${what} has ${r.length} positions; a closed ring needs at least 4`);
    if (!samePosition(r[0]!, r[r.length - 1]!)) return invalid(`${what} is not closed (its last position must repeat the first)`, r[0]);
    if (new Set(r.map((p) => `${p[0]},${p[1]}`)).size < 3) return invalid(`${what} has fewer than 3 distinct positions`, r[0]);
  }
  const at = firstCrossing(rings as Position[][]);
  if (at) return invalid(`self-intersection at ${formatLocation(at)}`, at);
  return { valid: true };
}

/** A GeoJSON LineString of at least two distinct points. */
export function checkLineString(geometry: unknown): GeometryCheck {
  if (typeof geometry !== 'object' || geometry === null || (geometry as { type?: unknown }).type !== 'LineString') {
    return invalid('must be a GeoJSON LineString');
  }
  const positions = (geometry as { coordinates?: unknown }).coordinates;
  const check = checkPositions(positions, 'the line');
  if (!check.valid) return check;
  const p = positions as Position[];
  if (p.length < 2) return invalid(`a route needs at least two points, got ${p.length}`);
  if (new Set(p.map((q) => `${q[0]},${q[1]}`)).size < 2) return invalid('a route needs at least two distinct points', p[0]);
  return { valid: true };
}
