import type { LineString, Polygon, Position } from 'geojson';
import type { Rate } from '@muckwatch/contracts';

/** A point as Leaflet gives it. */
export interface LatLngLike {
  lat: number;
  lng: number;
}

/** A rate as the dashboard shows it: '87.5%', or '—' when there was nothing to count. */
export function formatRate(rate: Rate | null | undefined, missing = '—'): string {
  if (!rate || rate.rate === null || !Number.isFinite(rate.rate)) return missing;
  const percent = Math.round(rate.rate * 1000) / 10;
  return `${percent.toFixed(1)}%`;
}

/** The rate in percent for a chart (null stays null: no bar). */
export function ratePercent(rate: Rate | null | undefined): number | null {
  if (!rate || rate.rate === null || !Number.isFinite(rate.rate)) return null;
  return Math.round(rate.rate * 1000) / 10;
}

/** Trimmed text, or null when nothing is left (optional text fields are null on the wire). */
export function textOrNull(value: string | null | undefined): string | null {
  const trimmed = (value ?? '').trim();
  return trimmed === '' ? null : trimmed;
}

/** A number from a form field, or null when it is empty or not a number. */
export function numberOrNull(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

const round7 = (n: number): number => Math.round(n * 1e7) / 1e7;

/** A Leaflet ring (open, [lat, lng]) as a GeoJSON polygon (closed, [lon, lat]). */
export function polygonFromLatLngs(ring: readonly LatLngLike[]): Polygon {
  const positions: Position[] = ring.map((p) => [round7(p.lng), round7(p.lat)]);
  const first = positions[0];
  const last = positions[positions.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) positions.push([...first]);
  return { type: 'Polygon', coordinates: [positions] };
}

/** A Leaflet polyline as a GeoJSON line string. */
export function lineFromLatLngs(points: readonly LatLngLike[]): LineString {
  return { type: 'LineString', coordinates: points.map((p) => [round7(p.lng), round7(p.lat)]) };
}

/** The outer ring of a polygon for Leaflet ([lat, lng], open). */
export function latLngsOfPolygon(polygon: Polygon): [number, number][] {
  const ring = (polygon.coordinates[0] ?? []).map((p) => [p[1]!, p[0]!] as [number, number]);
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (ring.length > 1 && first && last && first[0] === last[0] && first[1] === last[1]) ring.pop();
  return ring;
}

/**
 * Whether a 400's `field` (a dotted path into the body, e.g. `weekly.1.end`) belongs to the form
 * field `prop`: the same path, or a path inside it.
 */
export function fieldMatches(field: string | null | undefined, prop: string): boolean {
  if (!field) return false;
  return field === prop || field.startsWith(`${prop}.`);
}

/** The form field a 400 names, among those the form has; null when the form has none of them. */
export function formFieldOf(field: string | null | undefined, props: readonly string[]): string | null {
  if (!field) return null;
  // The longest matching prop wins: `weekly.1.end` goes to `weekly.1.end` before `weekly`.
  const matching = props.filter((prop) => fieldMatches(field, prop)).sort((a, b) => b.length - a.length);
  return matching[0] ?? null;
}

/** Case-insensitive search of a record's text fields. */
export function matchesSearch(values: ReadonlyArray<string | null | undefined>, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return values.some((value) => (value ?? '').toLowerCase().includes(q));
}
