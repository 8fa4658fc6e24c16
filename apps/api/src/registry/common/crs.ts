import gcoordModule from 'gcoord';
import type { Geometry } from 'geojson';
import type { ImportCrs } from '@muckwatch/contracts';
import { badInput } from './input.js';

// gcoord ships CommonJS with ESM-style typings: normalise (as libs/linzi/scripts/generate.ts does).
type Gcoord = typeof gcoordModule.default;
const gcoord: Gcoord = (gcoordModule as unknown as { default?: Gcoord }).default ?? (gcoordModule as unknown as Gcoord);

const NAMES: Record<string, ImportCrs> = {
  wgs84: 'WGS84',
  'wgs-84': 'WGS84',
  'epsg:4326': 'WGS84',
  'urn:ogc:def:crs:ogc:1.3:crs84': 'WGS84',
  'urn:ogc:def:crs:epsg::4326': 'WGS84',
  crs84: 'WGS84',
  gcj02: 'GCJ02',
  'gcj-02': 'GCJ02',
};

function crsNamed(field: string, name: unknown): ImportCrs {
  const crs = typeof name === 'string' ? NAMES[name.trim().toLowerCase()] : undefined;
  if (!crs) badInput(field, `${field} must declare WGS-84 (WGS84, EPSG:4326, urn:ogc:def:crs:OGC:1.3:CRS84) or GCJ-02 (GCJ02); got ${JSON.stringify(name)}`, {
      code: 'registry.crs_unknown',
    });
  return crs;
}

/** The CRS an import declares: `?crs=` or the FeatureCollection's `crs` member; WGS-84 when neither. */
export function declaredCrs(queryCrs: string | undefined, body: { crs?: unknown }): ImportCrs {
  const fromQuery = queryCrs ? crsNamed('crs', queryCrs) : null;
  const member = body.crs as { properties?: { name?: unknown } } | undefined;
  const fromBody = member === undefined || member === null ? null : crsNamed('crs.properties.name', member.properties?.name);
  if (fromQuery && fromBody && fromQuery !== fromBody) badInput('crs', `the crs parameter (${fromQuery}) contradicts the body's crs member (${fromBody})`, { code: 'registry.crs_conflict' });
  return fromQuery ?? fromBody ?? 'WGS84';
}

/**
 * The geometry in WGS-84 (GCJ-02 converted with gcoord, rounded to 7 decimals ≈ 1 cm). A geometry
 * gcoord cannot read is a 400 naming `field`.
 */
export function toWgs84<G extends Geometry>(geometry: G, crs: ImportCrs, field = 'geometry'): G {
  if (crs === 'WGS84' || typeof geometry !== 'object' || geometry === null) return geometry;
  let converted: G;
  try {
    converted = gcoord.transform(structuredClone(geometry) as unknown as string, gcoord.GCJ02, gcoord.WGS84) as unknown as G;
  } catch {
    badInput(field, `${field}: must be a GeoJSON geometry of [lon, lat] positions`, { code: 'registry.geometry_invalid' });
  }
  return roundCoordinates(converted);
}

function roundCoordinates<T>(value: T): T {
  if (typeof value === 'number') return (Math.round(value * 1e7) / 1e7) as T;
  if (Array.isArray(value)) return value.map(roundCoordinates) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'coordinates' ? roundCoordinates(v) : v])) as T;
  }
  return value;
}
