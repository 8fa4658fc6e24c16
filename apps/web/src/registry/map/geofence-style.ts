import type { PathOptions } from 'leaflet';
import type { DisposalSiteStatus } from '@muckwatch/contracts';

/** The geofence kinds drawn on the registry map (towns are drawn by the shared TownsLayer). */
export const MAP_KINDS = ['construction-sites', 'disposal-sites', 'routes', 'speed-zones'] as const;
export type MapKind = (typeof MAP_KINDS)[number];

export const isMapKind = (value: unknown): value is MapKind => typeof value === 'string' && (MAP_KINDS as readonly string[]).includes(value);

/** Colours of the kinds; disposal sites by status. */
export const KIND_COLOURS = {
  'construction-sites': '#ea7a12',
  routes: '#2563eb',
  'speed-zones': '#7c3aed',
} as const;

export const DISPOSAL_COLOURS: Record<DisposalSiteStatus, string> = {
  licensed: '#16a34a',
  closed: '#6b7280',
  illegal: '#dc2626',
};

/** The Element Plus tag type of a disposal site's status (same meaning as its map colour). */
export const DISPOSAL_TAG: Record<DisposalSiteStatus, 'success' | 'info' | 'danger'> = {
  licensed: 'success',
  closed: 'info',
  illegal: 'danger',
};

export function areaStyle(colour: string, kind: string, extra: Partial<PathOptions> = {}): PathOptions {
  return { color: colour, weight: 2, opacity: 0.95, fillColor: colour, fillOpacity: 0.22, className: `geofence geofence--${kind}`, ...extra };
}
