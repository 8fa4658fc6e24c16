import type { LineString, MultiPolygon, Polygon } from 'geojson';
import { GEOMETRY_LIMITS } from '@muckwatch/contracts';
import { checkLineString, checkPolygon, formatLocation } from '@muckwatch/domain';
import type { Sql } from './registry-db.js';
import { badInput } from './input.js';

const L = GEOMETRY_LIMITS;

function positionsOfPolygon(field: string, rings: unknown, what = ''): number {
  if (!Array.isArray(rings)) return 0;
  if (rings.length > L.ringsPerPolygon) {
    badInput(field, `${field}: ${what}has ${rings.length} rings; at most ${L.ringsPerPolygon} (an outer ring and ${L.ringsPerPolygon - 1} holes)`, { code: 'registry.geometry_too_large', params: { limit: L.ringsPerPolygon } });
  }
  let total = 0;
  for (const [i, ring] of (rings as unknown[]).entries()) {
    if (!Array.isArray(ring)) continue;
    if (ring.length > L.positionsPerRing) {
      badInput(field, `${field}: ${what}${i === 0 ? 'the outer ring' : `hole ${i}`} has ${ring.length} positions; at most ${L.positionsPerRing} per ring`, { code: 'registry.geometry_too_large', params: { limit: L.positionsPerRing } });
    }
    total += ring.length;
  }
  return total;
}

/**
 * Refuses geometry beyond GEOMETRY_LIMITS (libs/contracts) with a 400 naming the field and the
 * limit, before any check whose work grows with its size; returns its number of positions.
 * Anything malformed is left to the structural checks that follow.
 */
export function boundedGeometry(field: string, geometry: unknown): number {
  const g = geometry as { type?: unknown; coordinates?: unknown } | null;
  if (typeof g !== 'object' || g === null) return 0;
  let total = 0;
  if (g.type === 'Polygon') total = positionsOfPolygon(field, g.coordinates);
  if (g.type === 'LineString' && Array.isArray(g.coordinates)) {
    total = g.coordinates.length;
    if (total > L.positionsPerLine) badInput(field, `${field}: the line has ${total} positions; at most ${L.positionsPerLine}`, { code: 'registry.geometry_too_large', params: { limit: L.positionsPerLine } });
  }
  if (g.type === 'MultiPolygon' && Array.isArray(g.coordinates)) {
    if (g.coordinates.length > L.polygonsPerMultiPolygon) {
      badInput(field, `${field}: has ${g.coordinates.length} polygons; at most ${L.polygonsPerMultiPolygon}`, { code: 'registry.geometry_too_large', params: { limit: L.polygonsPerMultiPolygon } });
    }
    for (const [i, rings] of (g.coordinates as unknown[]).entries()) total += positionsOfPolygon(field, rings, `polygon ${i} `);
  }
  if (total > L.positionsPerGeometry) badInput(field, `${field}: has ${total} positions; at most ${L.positionsPerGeometry} in one geometry`, { code: 'registry.geometry_too_large', params: { limit: L.positionsPerGeometry } });
  return total;
}

/**
 * Refuses a GeoJSON import beyond GEOMETRY_LIMITS (features, positions in all), and each feature's
 * geometry beyond its own limits, before any of it is converted or checked.
 */
export function boundedImport(features: unknown[]): void {
  if (features.length > L.featuresPerImport) {
    badInput('features', `features: ${features.length} features; at most ${L.featuresPerImport} in one import`, { code: 'registry.geometry_too_large', params: { limit: L.featuresPerImport } });
  }
  let total = 0;
  for (const [i, feature] of features.entries()) {
    total += boundedGeometry(`features.${i}.geometry`, (feature as { geometry?: unknown } | null)?.geometry);
    if (total > L.positionsPerImport) badInput('features', `features: more than ${L.positionsPerImport} positions in one import`, { code: 'registry.geometry_too_large', params: { limit: L.positionsPerImport } });
  }
}

/**
 * Geofence geometry is checked twice: the pure checks of libs/domain (structure,
 * self-intersection with its location), then PostGIS ST_IsValidDetail, the oracle, for what they
 * do not cover (a hole outside its shell, rings touching). Either way: a 400 naming the field,
 * with the reason and where.
 */
export async function validPolygon(sql: Sql, field: string, geometry: unknown): Promise<Polygon> {
  boundedGeometry(field, geometry);
  const check = checkPolygon(geometry);
  if (!check.valid) badInput(field, `${field}: ${check.reason}`, geometryInvalid(check.reason, check.location));
  const polygon = geometry as Polygon;
  const clean: Polygon = { type: 'Polygon', coordinates: polygon.coordinates.map((ring) => ring.map(([lon, lat]) => [lon!, lat!])) };
  await postgisValid(sql, field, clean, 'invalid polygon');
  return clean;
}

/**
 * PostGIS's validity check takes up to a few seconds for an adversarial outline within the limits
 * (GEOS tests every pair of segments whose boxes overlap: a 10,000-position comb costs ~2 s):
 * bounded by a statement timeout, beyond which the geometry is refused as too complex.
 */
const VALIDITY_TIMEOUT_MS = 5000;

/** ST_IsValidDetail inside the caller's transaction, under VALIDITY_TIMEOUT_MS; a 400 when invalid. */
async function postgisValid(sql: Sql, field: string, geometry: Polygon | MultiPolygon, fallback: string): Promise<void> {
  await sql.query(`SET LOCAL statement_timeout = ${VALIDITY_TIMEOUT_MS}`);
  let detail: { valid: boolean; reason: string | null; x: number | null; y: number | null };
  try {
    const { rows } = await sql.query<typeof detail>(
      `SELECT (d).valid, (d).reason, ST_X((d).location) AS x, ST_Y((d).location) AS y
         FROM (SELECT ST_IsValidDetail(ST_GeomFromGeoJSON($1)) AS d) v`,
      [JSON.stringify(geometry)],
    );
    detail = rows[0]!;
  } catch (error) {
    // query_canceled: the timeout (the transaction is aborted and rolls back with this answer).
    if ((error as { code?: string }).code === '57014') {
      badInput(field, `${field}: too complex to validate within ${VALIDITY_TIMEOUT_MS / 1000} s; simplify the outline`, { code: 'registry.geometry_too_complex' });
    }
    throw error;
  }
  await sql.query('SET LOCAL statement_timeout TO DEFAULT');
  if (!detail.valid) {
    const where = detail.x !== null && detail.y !== null ? ` at ${formatLocation([detail.x, detail.y])}` : '';
    const reason = (detail.reason ?? fallback).replace(/\[.*\]$/, '').trim().toLowerCase();
    badInput(field, `${field}: ${reason}${where}`, geometryInvalid(reason, detail.x !== null && detail.y !== null ? [detail.x, detail.y] : null));
  }
}

/**
 * The error of an invalid outline: a self-intersection is named with where it is (the console says
 * 自相交 and the place); any other fault is the generic code, its English reason in the message.
 */
function geometryInvalid(reason: string, location: [number, number] | null): { code: string; params?: Record<string, unknown> } {
  if (/self-intersection/i.test(reason) && location) {
    return { code: 'registry.geometry_invalid', params: { rule: 'self_intersection', location: formatLocation(location) } };
  }
  return { code: 'registry.geometry_invalid' };
}

export function validLineString(field: string, geometry: unknown): LineString {
  boundedGeometry(field, geometry);
  const check = checkLineString(geometry);
  if (!check.valid) badInput(field, `${field}: ${check.reason}`, geometryInvalid(check.reason, check.location));
  return { type: 'LineString', coordinates: (geometry as LineString).coordinates.map(([lon, lat]) => [lon!, lat!]) };
}

/** The town containing the polygon's point on surface, or null when outside every town. */
export async function townAt(sql: Sql, geometry: Polygon): Promise<string | null> {
  const { rows } = await sql.query<{ code: string }>(
    `SELECT code FROM towns WHERE ST_Contains(geom, ST_PointOnSurface(ST_GeomFromGeoJSON($1))) ORDER BY code LIMIT 1`,
    [JSON.stringify(geometry)],
  );
  return rows[0]?.code ?? null;
}

export async function requireTown(sql: Sql, field: string, code: string): Promise<void> {
  const { rowCount } = await sql.query(`SELECT 1 FROM towns WHERE code = $1`, [code]);
  if (!rowCount) badInput(field, `${field}: no town or street with code ${code}`, { code: 'registry.town_unknown', params: { code } });
}

/** SQL for a GeoJSON parameter as geometry(…, 4326). */
export const GEOM = (param: string): string => `ST_SetSRID(ST_GeomFromGeoJSON(${param}), 4326)`;

/** A Polygon or MultiPolygon (towns), as a valid MultiPolygon. */
export async function validMultiPolygon(sql: Sql, field: string, geometry: unknown): Promise<MultiPolygon> {
  boundedGeometry(field, geometry);
  const g = geometry as { type?: unknown; coordinates?: unknown } | null;
  if (g?.type === 'Polygon') return { type: 'MultiPolygon', coordinates: [(await validPolygon(sql, field, g)).coordinates] };
  if (g?.type !== 'MultiPolygon' || !Array.isArray(g.coordinates) || g.coordinates.length === 0) {
    badInput(field, `${field}: must be a GeoJSON Polygon or MultiPolygon`, { code: 'registry.geometry_invalid' });
  }
  const parts: Polygon[] = [];
  for (const [i, coordinates] of (g.coordinates as unknown[]).entries()) {
    const check = checkPolygon({ type: 'Polygon', coordinates });
    if (!check.valid) badInput(field, `${field}: polygon ${i}: ${check.reason}`, { code: 'registry.geometry_invalid' });
    parts.push({ type: 'Polygon', coordinates: coordinates as Polygon['coordinates'] });
  }
  const multi: MultiPolygon = { type: 'MultiPolygon', coordinates: parts.map((p) => p.coordinates) };
  await postgisValid(sql, field, multi, 'invalid multipolygon');
  return multi;
}
