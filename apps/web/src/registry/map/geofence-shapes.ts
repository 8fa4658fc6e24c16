import type { ApprovedRoute, ConstructionSite, DisposalSite, SpeedZone } from '@muckwatch/contracts';
import { corridorPolygon } from '../corridor.js';
import type { GeofenceShape } from './GeofenceLayer.js';
import { areaStyle, DISPOSAL_COLOURS, KIND_COLOURS } from './geofence-style.js';

export const constructionSiteShapes = (sites: readonly ConstructionSite[]): GeofenceShape[] =>
  sites.map((s) => ({ id: s.id, name: s.name, geometry: s.geometry, style: areaStyle(KIND_COLOURS['construction-sites'], 'construction-sites') }));

export const disposalSiteShapes = (sites: readonly DisposalSite[]): GeofenceShape[] =>
  sites.map((s) => ({
    id: s.id,
    name: s.name,
    geometry: s.geometry,
    style: areaStyle(DISPOSAL_COLOURS[s.status], `disposal-sites geofence--${s.status}`, s.status === 'illegal' ? { dashArray: '5 4' } : {}),
  }));

/** A route: its line over its corridor (the buffer of half the width each side). */
export const routeShapes = (routes: readonly ApprovedRoute[]): GeofenceShape[] =>
  routes.map((r) => {
    const corridor = corridorPolygon(r.geometry, r.corridorWidthM);
    return {
      id: r.id,
      name: r.name,
      geometry: r.geometry,
      style: { color: KIND_COLOURS.routes, weight: 3, opacity: 0.95, className: 'geofence geofence--routes' },
      underlay: corridor ? { geometry: corridor, style: areaStyle(KIND_COLOURS.routes, 'route-corridor', { weight: 0.8, fillOpacity: 0.14, opacity: 0.5 }) } : null,
    };
  });

export const speedZoneShapes = (zones: readonly SpeedZone[]): GeofenceShape[] =>
  zones.map((z) => {
    const name = `${z.name} · ${z.limitKmh} km/h`;
    if (z.geometry.type === 'Polygon') return { id: z.id, name, geometry: z.geometry, style: areaStyle(KIND_COLOURS['speed-zones'], 'speed-zones', { dashArray: '2 4' }) };
    const corridor = corridorPolygon(z.geometry, z.corridorWidthM ?? 0);
    return {
      id: z.id,
      name,
      geometry: z.geometry,
      style: { color: KIND_COLOURS['speed-zones'], weight: 3, dashArray: '2 4', className: 'geofence geofence--speed-zones' },
      underlay: corridor ? { geometry: corridor, style: areaStyle(KIND_COLOURS['speed-zones'], 'speed-zone-corridor', { weight: 0.8, fillOpacity: 0.14 }) } : null,
    };
  });
