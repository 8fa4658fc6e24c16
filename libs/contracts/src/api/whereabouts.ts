/**
 * Where a truck is, in words (issue #13), computed by the API from the registry (PostGIS):
 *
 * - GET /api/v1/trucks/{truckId}/whereabouts → TruckWhereabouts
 * - GET /api/v1/whereabouts?truckIds=<id>,<id>… (at most WHEREABOUTS_MAX_TRUCKS) → WhereaboutsBatch
 *
 * Scope as the live map's: a town official sees only trucks whose latest position lies in their
 * town (another truck by id → 404; in a batch it is left out) and only their town's sites.
 */

/** Most trucks one batch may ask for. */
export const WHEREABOUTS_MAX_TRUCKS = 200;

export type WhereaboutsFenceKind = 'construction_site' | 'disposal_site' | 'route' | 'speed_zone';

export interface WhereaboutsFence {
  kind: WhereaboutsFenceKind;
  id: string;
  name: string;
}

export interface NearestSite {
  kind: 'construction_site' | 'disposal_site';
  id: string;
  name: string;
  /** Metres from the truck to the site's edge on the ellipsoid; 0 inside. */
  distanceM: number;
  /** A disposal site's status (licensed / closed / illegal); null for a construction site. */
  status: 'licensed' | 'closed' | 'illegal' | null;
}

export interface TruckWhereabouts {
  truckId: string;
  plate: string;
  terminalId: string | null;
  /** The latest position the words describe; null when the truck has none (then every place is null). */
  at: { ts: string; lon: number; lat: number } | null;
  town: { code: string; name: string } | null;
  /** The nearest construction site and disposal site (each of any distance), and of the two the nearer. */
  nearestConstructionSite: NearestSite | null;
  nearestDisposalSite: NearestSite | null;
  nearest: NearestSite | null;
  /** The geofences the position lies in: sites, disposal sites, route corridors, speed zones. */
  inside: WhereaboutsFence[];
  /** The whole answer in words: `敬仲镇 · 距XX工地 300 米` / `Jingzhong · 300 m from XX`. */
  text: { 'zh-CN': string; en: string };
}

export interface WhereaboutsBatch {
  items: TruckWhereabouts[];
}
