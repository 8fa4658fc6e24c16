import type { LineString, MultiPolygon, Polygon } from 'geojson';
import type { WeeklySchedule } from '../time-windows/time-windows.js';
import { GeofenceIndex } from './geofence-index.js';

/**
 * The registry facts the compliance engine checks fixes against: plain data, shaped after the
 * registry's wire types (libs/contracts/src/api/registry.ts) so the API maps its records field by
 * field. Dates are local dates 'YYYY-MM-DD' (Asia/Shanghai), inclusive; geometry is WGS-84 GeoJSON.
 * Validity is judged at each fix's time, so one snapshot serves a backlog from yesterday as well.
 */
export interface RegistrySnapshot {
  trucks: readonly TruckFact[];
  constructionSites: readonly OriginSiteFact[];
  /** 临时堆放点 / 收集点: trips start here too. */
  collectionPoints?: readonly OriginSiteFact[];
  disposalSites: readonly DisposalSiteFact[];
  approvals: readonly ApprovalFact[];
  routes: readonly RouteFact[];
  timeWindows: readonly TimeWindowFact[];
  speedZones: readonly SpeedZoneFact[];
  towns: readonly TownFact[];
}

export interface TruckFact {
  id: string;
  plate: string;
  companyId: string;
  /** The terminal bound to the truck now (null: none). */
  terminalId: string | null;
  ratedLoadT: number | null;
  sealed: boolean;
  /** 准运证 */
  permitNo: string | null;
  permitValidFrom: string | null;
  permitValidTo: string | null;
}

export interface OriginSiteFact {
  id: string;
  name: string;
  townCode: string | null;
  geometry: Polygon;
}

export type DisposalSiteStatus = 'licensed' | 'closed' | 'illegal';

export interface DisposalSiteFact {
  id: string;
  name: string;
  status: DisposalSiteStatus;
  townCode: string | null;
  geometry: Polygon;
}

export interface ApprovalFact {
  id: string;
  /** 核准证号 */
  number: string;
  constructionSiteId: string;
  validFrom: string;
  validTo: string;
  companyId: string;
  truckIds: readonly string[];
  disposalSiteIds: readonly string[];
  routeIds: readonly string[];
  timeWindowIds: readonly string[];
}

export interface RouteFact {
  id: string;
  name: string;
  geometry: LineString;
  /** Full width: on the route within corridorWidthM / 2 of the line. */
  corridorWidthM: number;
  /** A limit that applies on the route, if the approval sets one. */
  speedLimitKmh?: number | null;
}

export interface TimeWindowFact extends WeeklySchedule {
  id: string;
  name: string;
}

export interface SpeedZoneFact {
  id: string;
  name: string;
  limitKmh: number;
  geometry: Polygon | LineString;
  /** Full width, with a LineString. */
  corridorWidthM: number | null;
}

export interface TownFact {
  code: string;
  name: string;
  geometry: Polygon | MultiPolygon;
}

/** A snapshot with its geofence index and look-ups: build once per registry change, share across trucks. */
export class ComplianceFacts {
  readonly index: GeofenceIndex;
  private readonly trucksByTerminal = new Map<string, TruckFact>();
  private readonly trucksById = new Map<string, TruckFact>();
  private readonly approvalsBySite = new Map<string, ApprovalFact[]>();
  private readonly approvalsById = new Map<string, ApprovalFact>();
  readonly disposalSites = new Map<string, DisposalSiteFact>();
  readonly speedZones = new Map<string, SpeedZoneFact>();
  readonly routes = new Map<string, RouteFact>();
  readonly timeWindows = new Map<string, TimeWindowFact>();
  readonly origins = new Map<string, OriginSiteFact & { kind: 'construction-site' | 'collection-point' }>();

  constructor(readonly snapshot: RegistrySnapshot) {
    this.index = new GeofenceIndex(snapshot);
    for (const t of snapshot.trucks) {
      this.trucksById.set(t.id, t);
      if (t.terminalId) this.trucksByTerminal.set(t.terminalId, t);
    }
    for (const a of snapshot.approvals) {
      this.approvalsById.set(a.id, a);
      const list = this.approvalsBySite.get(a.constructionSiteId) ?? [];
      list.push(a);
      this.approvalsBySite.set(a.constructionSiteId, list);
    }
    for (const d of snapshot.disposalSites) this.disposalSites.set(d.id, d);
    for (const z of snapshot.speedZones) this.speedZones.set(z.id, z);
    for (const r of snapshot.routes) this.routes.set(r.id, r);
    for (const w of snapshot.timeWindows) this.timeWindows.set(w.id, w);
    for (const s of snapshot.constructionSites) this.origins.set(s.id, { ...s, kind: 'construction-site' });
    for (const s of snapshot.collectionPoints ?? []) this.origins.set(s.id, { ...s, kind: 'collection-point' });
  }

  truckOfTerminal(terminalId: string): TruckFact | null {
    return this.trucksByTerminal.get(terminalId) ?? null;
  }

  truck(id: string): TruckFact | null {
    return this.trucksById.get(id) ?? null;
  }

  approvalsOfSite(siteId: string): readonly ApprovalFact[] {
    return this.approvalsBySite.get(siteId) ?? [];
  }

  approval(id: string): ApprovalFact | null {
    return this.approvalsById.get(id) ?? null;
  }
}

/** A local date range check: from ≤ date ≤ to, either end open when null. */
export function validOn(date: string, from: string | null, to: string | null): boolean {
  return (from === null || from <= date) && (to === null || date <= to);
}
