import { computed, reactive, shallowRef } from 'vue';
import { booleanPointInPolygon } from '@turf/turf';
import type { Geometry, Polygon } from 'geojson';
import type { ApprovedRoute, ConstructionSite, DisposalSite, SpeedZone, WhereaboutsFenceKind } from '@muckwatch/contracts';
import { registryApi } from '../registry/registry-api.js';
import { corridorPolygon } from '../registry/corridor.js';
import { constructionSiteShapes, disposalSiteShapes, routeShapes, speedZoneShapes } from '../registry/map/geofence-shapes.js';

/** The geofence kinds the live map can show, each with its own switch. */
export const LIVE_FENCE_KINDS = ['construction-sites', 'disposal-sites', 'routes', 'speed-zones'] as const;
export type LiveFenceKind = (typeof LIVE_FENCE_KINDS)[number];

interface Fences {
  sites: ConstructionSite[];
  disposal: DisposalSite[];
  routes: ApprovedRoute[];
  zones: SpeedZone[];
}

/** What a position lies in: name and kind (the same kinds as the API's whereabouts). */
export interface FenceHit {
  kind: WhereaboutsFenceKind;
  id: string;
  name: string;
}

interface Area {
  hit: FenceHit;
  polygon: Polygon;
  bbox: [number, number, number, number];
}

function bboxOf(polygon: Polygon): [number, number, number, number] {
  const ring = polygon.coordinates[0] ?? [];
  const xs = ring.map((p) => p[0]!);
  const ys = ring.map((p) => p[1]!);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/**
 * The registry's geofences as the live map shows them: loaded once per page (status tells loading,
 * loaded and failed apart), switched per kind, and asked which of them hold a point (`fencesAt`) —
 * for a truck's tooltip, whoever draws the truck.
 */
function createLiveGeofences() {
  const status = shallowRef<'idle' | 'loading' | 'loaded' | 'failed'>('idle');
  const fences = shallowRef<Fences>({ sites: [], disposal: [], routes: [], zones: [] });
  const show = reactive<Record<LiveFenceKind, boolean>>({ 'construction-sites': true, 'disposal-sites': true, routes: false, 'speed-zones': false });

  async function load(force = false): Promise<void> {
    if (!force && (status.value === 'loading' || status.value === 'loaded')) return;
    status.value = 'loading';
    try {
      // One after the other: the embedded database serves one session.
      const sites = await registryApi.constructionSites.list();
      const disposal = await registryApi.disposalSites.list();
      const routes = await registryApi.routes.list();
      const zones = await registryApi.speedZones.list();
      fences.value = { sites, disposal, routes, zones };
      status.value = 'loaded';
    } catch (error) {
      console.error(error);
      status.value = 'failed';
    }
  }

  const shapes = computed(() => ({
    'construction-sites': constructionSiteShapes(fences.value.sites),
    'disposal-sites': disposalSiteShapes(fences.value.disposal),
    routes: routeShapes(fences.value.routes),
    'speed-zones': speedZoneShapes(fences.value.zones),
  }));

  /** Every fence as a polygon (a route or a road zone as its corridor), whether shown or not. */
  const areas = computed<Area[]>(() => {
    const out: Area[] = [];
    const add = (hit: FenceHit, geometry: Geometry | null): void => {
      if (geometry?.type === 'Polygon') out.push({ hit, polygon: geometry, bbox: bboxOf(geometry) });
    };
    for (const s of fences.value.sites) add({ kind: 'construction_site', id: s.id, name: s.name }, s.geometry);
    for (const d of fences.value.disposal) add({ kind: 'disposal_site', id: d.id, name: d.name }, d.geometry);
    for (const r of fences.value.routes) add({ kind: 'route', id: r.id, name: r.name }, corridorPolygon(r.geometry, r.corridorWidthM));
    for (const z of fences.value.zones) {
      add({ kind: 'speed_zone', id: z.id, name: z.name }, z.geometry.type === 'Polygon' ? z.geometry : corridorPolygon(z.geometry, z.corridorWidthM ?? 0));
    }
    return out;
  });

  /** The fences (of every kind, shown or not) that hold the point; edges count as inside. */
  function fencesAt(lon: number, lat: number): FenceHit[] {
    return areas.value
      .filter(({ bbox: [x0, y0, x1, y1], polygon }) => lon >= x0 && lon <= x1 && lat >= y0 && lat <= y1 && booleanPointInPolygon([lon, lat], polygon))
      .map((a) => a.hit);
  }

  return { status, show, shapes, load, fencesAt };
}

/** The one instance of the console (the live map's layers, panel and the truck markers share it). */
export const liveGeofences = createLiveGeofences();

/** Names of the fences that hold a point, for a truck's tooltip: `齐都花园工地、东风消纳场`, or '' outside all. */
export function fenceNamesAt(lon: number, lat: number): string {
  return liveGeofences.fencesAt(lon, lat).map((f) => f.name).join('、');
}
