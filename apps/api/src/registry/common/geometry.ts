import type { LineString, MultiPolygon, Polygon } from 'geojson';
import { checkLineString, checkPolygon, formatLocation } from '@muckwatch/domain';
import type { Sql } from './registry-db.js';
import { badInput } from './input.js';

/**
 * Geofence geometry is checked twice: the pure checks of libs/domain (structure,
 * self-intersection with its location), then PostGIS ST_IsValidDetail, the oracle, for what they
 * do not cover (a hole outside its shell, rings touching). Either way: a 400 naming the field,
 * with the reason and where.
 */
export async function validPolygon(sql: Sql, field: string, geometry: unknown): Promise<Polygon> {
  const check = checkPolygon(geometry);
  if (!check.valid) badInput(field, `${field}: ${check.reason}`);
  const polygon = geometry as Polygon;
  const clean: Polygon = { type: 'Polygon', coordinates: polygon.coordinates.map((ring) => ring.map(([lon, lat]) => [lon!, lat!])) };
  const { rows } = await sql.query<{ valid: boolean; reason: string | null; x: number | null; y: number | null }>(
    `SELECT (d).valid, (d).reason, ST_X((d).location) AS x, ST_Y((d).location) AS y
       FROM (SELECT ST_IsValidDetail(ST_GeomFromGeoJSON($1)) AS d) v`,
    [JSON.stringify(clean)],
  );
  const detail = rows[0]!;
  if (!detail.valid) {
    const where = detail.x !== null && detail.y !== null ? ` at ${formatLocation([detail.x, detail.y])}` : '';
    badInput(field, `${field}: ${(detail.reason ?? 'invalid polygon').replace(/\[.*\]$/, '').trim().toLowerCase()}${where}`);
  }
  return clean;
}

export function validLineString(field: string, geometry: unknown): LineString {
  const check = checkLineString(geometry);
  if (!check.valid) badInput(field, `${field}: ${check.reason}`);
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
  if (!rowCount) badInput(field, `${field}: no town or street with code ${code}`);
}

/** SQL for a GeoJSON parameter as geometry(…, 4326). */
export const GEOM = (param: string): string => `ST_SetSRID(ST_GeomFromGeoJSON(${param}), 4326)`;

/** A Polygon or MultiPolygon (towns), as a valid MultiPolygon. */
export async function validMultiPolygon(sql: Sql, field: string, geometry: unknown): Promise<MultiPolygon> {
  const g = geometry as { type?: unknown; coordinates?: unknown } | null;
  if (g?.type === 'Polygon') return { type: 'MultiPolygon', coordinates: [(await validPolygon(sql, field, g)).coordinates] };
  if (g?.type !== 'MultiPolygon' || !Array.isArray(g.coordinates) || g.coordinates.length === 0) {
    badInput(field, `${field}: must be a GeoJSON Polygon or MultiPolygon`);
  }
  const parts: Polygon[] = [];
  for (const [i, coordinates] of (g.coordinates as unknown[]).entries()) {
    const check = checkPolygon({ type: 'Polygon', coordinates });
    if (!check.valid) badInput(field, `${field}: polygon ${i}: ${check.reason}`);
    parts.push({ type: 'Polygon', coordinates: coordinates as Polygon['coordinates'] });
  }
  const multi: MultiPolygon = { type: 'MultiPolygon', coordinates: parts.map((p) => p.coordinates) };
  const { rows } = await sql.query<{ valid: boolean; reason: string | null; x: number | null; y: number | null }>(
    `SELECT (d).valid, (d).reason, ST_X((d).location) AS x, ST_Y((d).location) AS y
       FROM (SELECT ST_IsValidDetail(ST_GeomFromGeoJSON($1)) AS d) v`,
    [JSON.stringify(multi)],
  );
  const detail = rows[0]!;
  if (!detail.valid) {
    const where = detail.x !== null && detail.y !== null ? ` at ${formatLocation([detail.x, detail.y])}` : '';
    badInput(field, `${field}: ${(detail.reason ?? 'invalid multipolygon').replace(/\[.*\]$/, '').trim().toLowerCase()}${where}`);
  }
  return multi;
}
