/**
 * Twelve months of history for the monthly assessment (考核、排名、通报) in the demo (SEED_DEMO only),
 * so the ranking, its 12-month trend and the bulletin show something real on a fresh demo: per
 * assessed unit (the 14 towns, streets and enterprise zones) and month, the trips, the violation
 * cases with their handling, the inspectors' findings, the waste-pile ledger, the collection points
 * and requests, and a few of the admin's adjustments.
 *
 * The towns differ in character, so the trend and the red and black lists say something: a couple
 * are consistently good, a couple poor, one improves over the year, the others sit in between
 * with some month-to-month noise.
 *
 * Deterministic: a month's records depend only on the month's name, its place in the twelve and
 * the town (keyed pseudo-random numbers), never on the wall clock, so every id is stable and a
 * second seed of the same months adds nothing. `nowMs` only cuts the current month off at the
 * present: nothing happens after it. Months are given by the caller as instants (the office's
 * month boundaries), so this file needs no time zone: a record `d` days and `h` hours after the
 * month's first instant falls on the month's day `d + 1` at `h` o'clock, office time.
 *
 * Invented data, flagged as demo by where it comes from; never seeded without SEED_DEMO.
 */
import type { MultiPolygon, Polygon } from 'geojson';
import { stableUuid } from '../stable-id.js';
import type { LonLat } from '../town-seeds.js';
import { townSeeds } from '../town-seeds.js';
import { towns } from '../towns.js';
import { villagesOfTown } from '../villages.js';
import { DEMO_DEPARTMENT_BY_TYPE, type DemoCase, type DemoCaseAction, type DemoCaseEvent, type DemoCaseState } from './case-history.js';
import { haversineM, keyedRandom, offsetMetres } from './geometry.js';
import { demoRegistry, type DemoConstructionSite, type DemoTruck } from './registry.js';

/** One month of the history: `yyyy-mm` and its instants (first moment, first moment of the next month). */
export interface DemoMonth {
  month: string;
  fromMs: number;
  toMs: number;
}

export interface DemoTrip {
  /** The engine's id shape: `{terminalId}/trip/{startMs}`. */
  id: string;
  terminalId: string;
  truckId: string;
  plate: string;
  approvalNumber: string | null;
  originId: string;
  originKind: 'construction-site' | 'collection-point';
  originName: string;
  destinationId: string;
  destinationName: string;
  startedAtMs: number;
  start: LonLat;
  endedAtMs: number;
  end: LonLat;
  townCode: string;
  distanceM: number;
}

export type DemoFindingKind = 'road_pollution' | 'unwashed_exit' | 'dumping_point' | 'complaint_12345';
export type DemoFinder = 'town' | 'district' | 'city' | 'higher';

/** One entry of a ledger record's history (the `*_events` tables). */
export interface DemoLedgerEvent {
  atMs: number;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  actorUsername: string | null;
  actorRole: string | null;
  comment: string | null;
  changed: Record<string, unknown> | null;
}

export interface DemoFinding {
  id: string;
  townCode: string;
  kind: DemoFindingKind;
  place: LonLat;
  foundAtMs: number;
  areaM2: number | null;
  description: string;
  finder: DemoFinder;
  /** yyyy-mm-dd, office date. */
  deadline: string;
  status: 'open' | 'rectifying' | 'rectified' | 'verified';
  verifiedAtMs: number | null;
  events: DemoLedgerEvent[];
}

export type DemoPileStatus = 'registered' | 'in_progress' | 'cleared' | 'covered' | 'verified';

export interface DemoPile {
  id: string;
  townCode: string;
  name: string;
  place: LonLat;
  landNature: 'construction_land' | 'farmland' | 'roadside' | 'riverbank' | 'woodland' | 'vacant_lot' | 'other';
  /** The volume now (the history holds the earlier estimates). */
  volumeM3: number;
  responsibleParty: string;
  governancePlan: string;
  /** yyyy-mm-dd, office date. */
  deadline: string;
  status: DemoPileStatus;
  verifiedAtMs: number | null;
  createdAtMs: number;
  updatedAtMs: number;
  events: DemoLedgerEvent[];
}

export interface DemoCollectionPoint {
  id: string;
  townCode: string;
  villageCode: string;
  name: string;
  place: LonLat;
  createdAtMs: number;
}

export interface DemoCollectionRequest {
  id: string;
  townCode: string;
  villageCode: string;
  requesterKind: 'community' | 'village';
  requesterName: string;
  collectionPointId: string;
  volumeM3: number;
  requestedAtMs: number;
  state: 'requested' | 'dispatched' | 'fulfilled' | 'cancelled';
  truckId: string | null;
  dispatchedAtMs: number | null;
  visitAtMs: number | null;
  fulfilledAtMs: number | null;
  /** The seeded trip that fulfilled it (from the point to a licensed disposal site). */
  tripId: string | null;
  cancelReason: string | null;
  events: DemoLedgerEvent[];
}

export interface DemoAdjustment {
  id: string;
  month: string;
  townCode: string;
  kind: 'bonus' | 'city_notification' | 'province_notification' | 'veto';
  points: number | null;
  vetoGround: 'serious_accident' | 'pollution_incident' | 'inspector_notification' | 'falsified_data' | null;
  reason: string;
  documentRef: string;
  createdAtMs: number;
}

export interface DemoAssessmentHistory {
  months: string[];
  trips: DemoTrip[];
  cases: DemoCase[];
  findings: DemoFinding[];
  piles: DemoPile[];
  points: DemoCollectionPoint[];
  requests: DemoCollectionRequest[];
  adjustments: DemoAdjustment[];
}

/**
 * How a unit behaves: `quality` 0 (poor) … 1 (good) at the first of the twelve months, `trend`
 * added by the last; `tripsPerMonth` its usual volume; `coverage` the share of its villages with a
 * collection point at the start and at the end.
 */
interface Character {
  quality: number;
  trend: number;
  tripsPerMonth: number;
  coverage: [number, number];
}

const CHARACTERS: Readonly<Record<string, Character>> = {
  '370305001': { quality: 0.9, trend: 0, tripsPerMonth: 140, coverage: [1, 1] }, // 闻韶街道: consistently good
  '370305002': { quality: 0.65, trend: 0, tripsPerMonth: 90, coverage: [0.9, 1] }, // 雪宫街道
  '370305003': { quality: 0.6, trend: 0.05, tripsPerMonth: 100, coverage: [0.85, 0.95] }, // 辛店街道
  '370305004': { quality: 0.7, trend: 0, tripsPerMonth: 150, coverage: [0.9, 1] }, // 稷下街道
  '370305005': { quality: 0.55, trend: 0, tripsPerMonth: 170, coverage: [0.8, 0.9] }, // 齐陵街道
  '370305100': { quality: 0.6, trend: 0, tripsPerMonth: 160, coverage: [0.8, 0.9] }, // 齐都镇
  '370305102': { quality: 0.5, trend: -0.05, tripsPerMonth: 180, coverage: [0.75, 0.85] }, // 皇城镇
  '370305103': { quality: 0.62, trend: 0, tripsPerMonth: 170, coverage: [0.85, 0.9] }, // 敬仲镇
  '370305104': { quality: 0.2, trend: 0.75, tripsPerMonth: 130, coverage: [0.55, 1] }, // 朱台镇: improving
  '370305107': { quality: 0.55, trend: 0, tripsPerMonth: 140, coverage: [0.8, 0.9] }, // 金岭回族镇
  '370305109': { quality: 0.15, trend: 0, tripsPerMonth: 200, coverage: [0.6, 0.7] }, // 凤凰镇: poor
  '370305111': { quality: 0.2, trend: 0.05, tripsPerMonth: 150, coverage: [0.6, 0.65] }, // 金山镇: poor
  E37030501: { quality: 0.95, trend: 0, tripsPerMonth: 60, coverage: [1, 1] }, // 齐鲁石化: consistently good
  E37030502: { quality: 0.7, trend: 0, tripsPerMonth: 40, coverage: [1, 1] }, // 十化建
};
const DEFAULT_CHARACTER: Character = { quality: 0.6, trend: 0, tripsPerMonth: 100, coverage: [0.8, 0.9] };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Bounds the unit spec checks: no town-month beyond these. */
export const DEMO_HISTORY_BOUNDS = { tripsPerTownMonth: 260, casesPerTownMonth: 25, findingsPerTownMonth: 15, requestsPerTownMonth: 16 } as const;

// --- small helpers -----------------------------------------------------------------------------

function pick<T>(items: readonly T[], r: () => number): T {
  return items[Math.floor(r() * items.length)]!;
}

function between(r: () => number, low: number, high: number): number {
  return low + r() * (high - low);
}

/** A small count around `mean` (sum of Bernoulli draws: never negative, spread like Poisson). */
function count(r: () => number, mean: number, max: number): number {
  const tries = Math.max(1, Math.ceil(mean * 2));
  let n = 0;
  for (let i = 0; i < tries; i++) if (r() < mean / tries) n++;
  return Math.min(max, n);
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

function inRing(point: LonLat, ring: readonly number[][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > point[1] !== yj > point[1] && point[0] < ((xj - xi) * (point[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function inGeometry(point: LonLat, geometry: Polygon | MultiPolygon): boolean {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.some((rings) => inRing(point, rings[0]!) && !rings.slice(1).some((hole) => inRing(point, hole)));
}

/** A random point inside the town, within `radiusM` of one of its seed points. */
function placeInTown(townCode: string, r: () => number, radiusM = 1500): LonLat {
  const seeds = townSeeds.find((s) => s.code === townCode)!.seeds;
  const geometry = towns.find((t) => t.code === townCode)!.geometry;
  const seed = pick(seeds, r);
  for (let i = 0; i < 40; i++) {
    const p = offsetMetres(seed, between(r, -radiusM, radiusM), between(r, -radiusM, radiusM));
    if (inGeometry(p, geometry)) return p;
  }
  return seed;
}

/** The office date `days` days after the month's first day: calendar arithmetic, no time zone. */
function dateAfter(month: string, days: number): string {
  const d = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1 + Math.floor(days)));
  return d.toISOString().slice(0, 10);
}

/** Days from the month's first instant to `atMs` (whole days). */
function dayOf(month: DemoMonth, atMs: number): number {
  return Math.floor((atMs - month.fromMs) / DAY);
}

/** The ids of records: stable across runs (UUIDv8 from a key). */
function uuid(...parts: Array<string | number>): string {
  return stableUuid(['demo-assessment', ...parts].join('/'));
}

// --- the registry as the history uses it ---------------------------------------------------------

const boundTrucks = demoRegistry.trucks.filter((t) => demoRegistry.terminals.some((x) => x.id === t.terminalId && x.bound));
const licensedDisposal = demoRegistry.disposalSites.filter((d) => d.status === 'licensed');

function sitesOf(townCode: string): DemoConstructionSite[] {
  return demoRegistry.constructionSites.filter((s) => s.townCode === townCode);
}

function trucksOfSite(site: DemoConstructionSite): DemoTruck[] {
  const own = boundTrucks.filter((t) => t.homeSiteId === site.id);
  if (own.length > 0) return own;
  return boundTrucks.filter((t) => t.companyId === site.approval.companyId);
}

function nearestLicensed(place: LonLat): (typeof licensedDisposal)[number] {
  return licensedDisposal.reduce((best, d) => (haversineM(place, d.tippingPoint) < haversineM(place, best.tippingPoint) ? d : best));
}

// --- the generator -------------------------------------------------------------------------------

/**
 * The history of `months` (oldest first; the last is the current month, cut off at `nowMs`) for
 * every assessed unit. Same months, same records.
 */
export function demoAssessmentHistory(months: readonly DemoMonth[], nowMs: number): DemoAssessmentHistory {
  const history: DemoAssessmentHistory = { months: months.map((m) => m.month), trips: [], cases: [], findings: [], piles: [], points: [], requests: [], adjustments: [] };
  if (months.length === 0) return history;
  const tripIds = new Set<string>();
  const caseIds = new Set<string>();
  const uniqueId = (ids: Set<string>, make: (ms: number) => string, atMs: number): [string, number] => {
    let at = atMs;
    while (ids.has(make(at))) at += 1000;
    ids.add(make(at));
    return [make(at), at];
  };
  const last = months.length - 1;

  for (const town of towns) {
    const character = CHARACTERS[town.code] ?? DEFAULT_CHARACTER;
    const qualityAt = (index: number, r: () => number): number => clamp01(character.quality + (character.trend * index) / Math.max(1, last) + (r() - 0.5) * 0.08);
    const sites = sitesOf(town.code);
    const hotspotRandom = keyedRandom(`demo-assessment/${town.code}/hotspots`);
    const hotspots = Array.from({ length: 1 + Math.floor(hotspotRandom() * 3) }, () => placeInTown(town.code, hotspotRandom, 2500));

    // Collection points: some from before the twelve months, the rest opened month by month.
    const points = collectionPoints(town.code, character, months);
    history.points.push(...points);

    // Waste piles registered in the first months (and one later), moving on month by month.
    history.piles.push(...wastePiles(town.code, character, months, nowMs));

    months.forEach((month, index) => {
      // The month is drawn whole, each record from its own stream, and cut at `nowMs`: a later
      // present adds the records after it and changes none before it.
      if (nowMs <= month.fromMs) return;
      const r = keyedRandom(`demo-assessment/${month.month}/${town.code}`);
      const quality = qualityAt(index, r);
      const stream = (what: string, i: number): (() => number) => keyedRandom(`demo-assessment/${month.month}/${town.code}/${what}/${i}`);
      const at = (ri: () => number): number => month.fromMs + Math.floor((ri() * (month.toMs - month.fromMs)) / MINUTE) * MINUTE;

      // Trips from the town's construction sites to their disposal sites.
      const monthTrips: DemoTrip[] = [];
      const tripCount = Math.round(character.tripsPerMonth * between(r, 0.85, 1.15));
      for (let i = 0; i < tripCount && sites.length > 0; i++) {
        const ri = stream('trip', i);
        const site = pick(sites, ri);
        const truck = pick(trucksOfSite(site), ri);
        const route = demoRegistry.routes.find((x) => x.constructionSiteId === site.id)!;
        const disposal = demoRegistry.disposalSites.find((d) => d.id === route.disposalSiteId)!;
        const [id, startedAtMs] = uniqueId(tripIds, (ms) => `${truck.terminalId}/trip/${ms}`, at(ri));
        const durationMs = Math.round((route.lengthM / 30_000) * HOUR + between(ri, 10, 25) * MINUTE);
        // Drawn whole (the month's cases pick from all of them), kept only when over by now.
        monthTrips.push({
          id,
          terminalId: truck.terminalId,
          truckId: truck.id,
          plate: truck.plate,
          approvalNumber: site.approval.number,
          originId: site.id,
          originKind: 'construction-site',
          originName: site.name,
          destinationId: disposal.id,
          destinationName: disposal.name,
          startedAtMs,
          start: site.loadingPoint,
          endedAtMs: startedAtMs + durationMs,
          end: route.path[route.path.length - 1]!,
          townCode: town.code,
          distanceM: Math.round(route.lengthM),
        });
      }

      history.trips.push(...monthTrips.filter((t) => t.endedAtMs <= nowMs));

      // Violation cases: transport cases on the town's trips, and illegal dumping in the town.
      const bad = 1 - quality;
      const caseTypes: string[] = [
        ...Array<string>(count(r, 0.3 + bad * 5, 8)).fill('unsealed_transport'),
        ...Array<string>(count(r, 0.2 + bad * 3, 6)).fill('overload'),
        ...Array<string>(count(r, bad * 2, 4)).fill('unlicensed_transport'),
        ...Array<string>(count(r, 0.2 + bad * 4, 7)).fill('illegal_dumping'),
      ];
      caseTypes.forEach((type, i) => {
        const ri = stream('case', i);
        if (sites.length === 0) return;
        if (type === 'illegal_dumping') {
          const site = pick(sites, ri);
          const truck = pick(trucksOfSite(site), ri);
          const recurring = ri() < 0.15 + bad * 0.5;
          const place = recurring ? offsetMetres(pick(hotspots, ri), between(ri, -60, 60), between(ri, -60, 60)) : placeInTown(town.code, ri);
          const [id, startedAtMs] = uniqueId(caseIds, (ms) => `${truck.terminalId}/${type}/${ms}`, at(ri) + Math.floor(ri() * 60) * 1000);
          const endedAtMs = startedAtMs + Math.round(between(ri, 3, 8) * MINUTE);
          if (endedAtMs > nowMs) return;
          history.cases.push(demoCase(id, type, truck, town.code, place, startedAtMs, endedAtMs, null, quality, nowMs, ri));
          return;
        }
        // A transport case happens on one of the month's trips, soon after the truck left its site.
        if (monthTrips.length === 0) return;
        const trip = pick(monthTrips, ri);
        const truck = boundTrucks.find((t) => t.id === trip.truckId)!;
        const place = offsetMetres(trip.start, between(ri, -300, 300), between(ri, -300, 300));
        const [id, startedAtMs] = uniqueId(caseIds, (ms) => `${truck.terminalId}/${type}/${ms}`, trip.startedAtMs + Math.round(between(ri, 1, 5) * MINUTE));
        const endedAtMs = Math.min(trip.endedAtMs, startedAtMs + Math.round(between(ri, 5, 30) * MINUTE));
        if (trip.endedAtMs > nowMs) return;
        history.cases.push(demoCase(id, type, truck, town.code, place, startedAtMs, endedAtMs, trip.id, quality, nowMs, ri));
      });

      // Findings: road pollution and unwashed exits (item D), dumping points and 12345 complaints.
      const kinds: DemoFindingKind[] = [
        ...Array<DemoFindingKind>(count(r, 0.3 + bad * 3, 5)).fill('road_pollution'),
        ...Array<DemoFindingKind>(count(r, 0.2 + bad * 2, 4)).fill('unwashed_exit'),
        ...Array<DemoFindingKind>(count(r, bad * 2, 3)).fill('dumping_point'),
        ...Array<DemoFindingKind>(count(r, 0.2 + bad * 2, 3)).fill('complaint_12345'),
      ];
      kinds.forEach((kind, i) => {
        const ri = stream('finding', i);
        const foundAtMs = at(ri);
        if (foundAtMs > nowMs - HOUR) return;
        history.findings.push(finding(uuid('finding', month.month, town.code, i), town.code, kind, month, foundAtMs, quality, nowMs, ri));
      });

      // Collection requests from villages with a point, mostly fulfilled within 24 hours.
      const open = points.filter((p) => p.createdAtMs < month.fromMs + 5 * DAY);
      const requestCount = open.length === 0 ? 0 : Math.round(between(r, 3, 10) + open.length / 12);
      for (let i = 0; i < Math.min(requestCount, DEMO_HISTORY_BOUNDS.requestsPerTownMonth); i++) {
        const ri = stream('request', i);
        const point = pick(open, ri);
        const requestedAtMs = Math.max(at(ri), point.createdAtMs + HOUR);
        if (requestedAtMs > nowMs - HOUR) continue;
        const request = collectionRequest(uuid('request', month.month, town.code, i), point, requestedAtMs, quality, nowMs, ri, (trip) => {
          const [tripId, startedAtMs] = uniqueId(tripIds, (ms) => `${trip.truck.terminalId}/trip/${ms}`, trip.startedAtMs);
          const disposal = nearestLicensed(point.place);
          const distanceM = Math.round(haversineM(point.place, disposal.tippingPoint) * 1.3);
          history.trips.push({
            id: tripId,
            terminalId: trip.truck.terminalId,
            truckId: trip.truck.id,
            plate: trip.truck.plate,
            approvalNumber: null,
            originId: point.id,
            originKind: 'collection-point',
            originName: point.name,
            destinationId: disposal.id,
            destinationName: disposal.name,
            startedAtMs,
            start: point.place,
            endedAtMs: trip.endedAtMs,
            end: disposal.tippingPoint,
            townCode: town.code,
            distanceM,
          });
          return tripId;
        });
        history.requests.push(request);
      }
    });
  }
  history.adjustments.push(...adjustments(months));
  history.trips.sort((a, b) => a.startedAtMs - b.startedAtMs || (a.id < b.id ? -1 : 1));
  history.cases.sort((a, b) => a.startedAtMs - b.startedAtMs || (a.id < b.id ? -1 : 1));
  return history;
}

// --- cases ---------------------------------------------------------------------------------------

const SEVERITY: Readonly<Record<string, DemoCase['severity']>> = {
  unsealed_transport: 'high',
  overload: 'high',
  unlicensed_transport: 'critical',
  illegal_dumping: 'critical',
};

function caseDetails(type: string, truck: DemoTruck, r: () => number): Pick<DemoCase, 'params' | 'reasons' | 'peak' | 'subjectId'> {
  switch (type) {
    case 'unsealed_transport': {
      const speed = Math.round(between(r, 25, 45));
      return { params: { unsealedGraceMs: 60_000, movingSpeedKmh: 5 }, peak: null, subjectId: null, reasons: [{ code: 'cover-open', detail: `cover open while loaded at ${speed} km/h`, params: { speedKmh: speed } }] };
    }
    case 'overload': {
      const load = Math.round(truck.ratedLoadT * between(r, 1.12, 1.42) * 10) / 10;
      const limit = Math.round(truck.ratedLoadT * 1.05 * 100) / 100;
      return { params: { overloadTolerance: 0.05 }, peak: load, subjectId: null, reasons: [{ code: 'above-rated-load', detail: `${load} t on a truck rated ${truck.ratedLoadT} t (limit ${limit} t)`, params: { loadT: load, ratedT: truck.ratedLoadT, limitT: limit } }] };
    }
    case 'unlicensed_transport':
      return { params: {}, peak: null, subjectId: null, reasons: [{ code: 'no-permit', detail: `${truck.plate} has no valid transport permit`, params: { plate: truck.plate } }] };
    default:
      return { params: { stopMinMs: 120_000 }, peak: null, subjectId: null, reasons: [{ code: 'outside-disposal-sites', detail: 'tipped outside every licensed disposal site', params: {} }] };
  }
}

function demoCase(id: string, type: string, truck: DemoTruck, townCode: string, place: LonLat, startedAtMs: number, endedAtMs: number, tripId: string | null, quality: number, nowMs: number, r: () => number): DemoCase {
  const moving = type !== 'illegal_dumping';
  const evidence: DemoCase['evidence'] = [];
  const steps = 6;
  for (let i = 0; i <= steps; i++) {
    const [lon, lat] = moving ? offsetMetres(place, i * 60, i * 25) : offsetMetres(place, r() * 4, r() * 4);
    evidence.push({ atMs: startedAtMs + Math.round(((endedAtMs - startedAtMs) * i) / steps), lon, lat, speedKmh: moving ? Math.round(between(r, 20, 45)) : 0 });
  }
  const end = evidence[evidence.length - 1]!;
  const c: DemoCase = {
    id,
    type,
    severity: SEVERITY[type] ?? 'high',
    terminalId: truck.terminalId,
    truckId: truck.id,
    plate: truck.plate,
    startedAtMs,
    endedAtMs,
    start: [evidence[0]!.lon, evidence[0]!.lat],
    end: [end.lon, end.lat],
    townCode,
    ...caseDetails(type, truck, r),
    tripId,
    evidence,
    caseState: 'new',
    departmentCode: null,
    deadlineMs: null,
    dismissReason: null,
    outcome: null,
    events: [],
  };
  handle(c, quality, nowMs, r);
  return c;
}

/** The case's way through the office and a department, as far as `nowMs` lets it go. */
function handle(c: DemoCase, quality: number, nowMs: number, r: () => number): void {
  let at = c.endedAtMs;
  const event = (hours: number, action: DemoCaseAction, toState: DemoCaseState, fields: Partial<DemoCaseEvent> = {}): boolean => {
    const next = at + Math.round(hours * HOUR);
    if (next >= nowMs) return false;
    at = next;
    const officer = action === 'handle';
    c.events.push({
      atMs: at, action, fromState: c.caseState, toState,
      actorUsername: officer ? 'enforcement' : 'dispatcher', actorRole: officer ? 'enforcement_officer' : 'dispatcher',
      comment: null, dismissReason: null, departmentCode: null, deadlineMs: null, outcome: null, ...fields,
    });
    c.caseState = toState;
    return true;
  };
  if (r() < 0.05) {
    const reason = pick(['gps_drift', 'duplicate', 'test_device'] as const, r);
    if (event(between(r, 0.5, 4), 'dismiss', 'dismissed', { dismissReason: reason })) c.dismissReason = reason;
    return;
  }
  if (!event(between(r, 0.3, 3), 'confirm', 'confirmed', { comment: '轨迹与视频核实无误' })) return;
  const department = DEMO_DEPARTMENT_BY_TYPE[c.type] ?? 'urban-management';
  const dumping = c.type === 'illegal_dumping';
  const allowedHours = dumping ? 48 : 72;
  if (at + HOUR >= nowMs) return;
  const deadlineMs = at + HOUR + allowedHours * HOUR;
  if (!event(1, 'assign', 'assigned', { departmentCode: department, deadlineMs, comment: dumping ? '请于48小时内清理倾倒点并依法处置' : '请于期限内依法处置并反馈结果' })) return;
  c.departmentCode = department;
  c.deadlineMs = deadlineMs;
  // Good towns' cases are handled (the dumped waste cleared) in time; poor towns' often late.
  const onTime = r() < 0.55 + quality * 0.45;
  const hours = onTime ? between(r, 4, allowedHours - 4) : between(r, allowedHours + 6, allowedHours + 160);
  const outcome = outcomeFor(c, r);
  if (!event(hours, 'handle', 'handled', { outcome, comment: '已按规定处置' })) return;
  c.outcome = outcome;
  if (r() < 0.05) {
    if (!event(between(r, 2, 12), 'return', 'returned', { comment: '处置结果缺少处罚决定书扫描件，请补充' })) return;
    if (!event(between(r, 6, 30), 'handle', 'handled', { outcome, comment: '已补充材料' })) return;
  }
  event(between(r, 4, 40), 'close', 'closed', { comment: '处置结果已核实，予以办结' });
}

function outcomeFor(c: DemoCase, r: () => number): Record<string, string | number | null> {
  const n = String(Math.floor(r() * 9000) + 1000);
  const year = new Date(c.startedAtMs).getUTCFullYear();
  if (c.type !== 'illegal_dumping' || r() < 0.6) {
    const traffic = DEMO_DEPARTMENT_BY_TYPE[c.type] === 'traffic-police';
    return {
      kind: 'penalty',
      decisionNumber: traffic ? `淄公交决字〔${year}〕第${n}号` : `临综执罚决字〔${year}〕第${n}号`,
      amountYuan: c.type === 'illegal_dumping' ? 20_000 : c.type === 'overload' ? 2_000 : c.type === 'unlicensed_transport' ? 5_000 : 500,
      penaltyPoints: c.type === 'overload' ? 6 : null,
      rectification: null,
      noCaseReason: null,
    };
  }
  return { kind: 'rectification', decisionNumber: null, amountYuan: null, penaltyPoints: null, rectification: '责令清理倾倒点并恢复原状', noCaseReason: null };
}

// --- findings ------------------------------------------------------------------------------------

const FINDING_TEXT: Readonly<Record<DemoFindingKind, readonly string[]>> = {
  road_pollution: ['道路沿线渣土撒漏，路面污染', '运输车辆带泥上路，路面泥土覆盖', '路口处渣土遗撒未及时清扫'],
  unwashed_exit: ['工地出入口未设置冲洗设施，车辆带泥驶出', '工地出口冲洗设备停用，出口路面污染'],
  dumping_point: ['巡查发现路边新增建筑垃圾倾倒点', '村庄边沟发现私倒建筑垃圾'],
  complaint_12345: ['12345 热线投诉：夜间渣土车扰民并沿途撒漏', '12345 热线投诉：村东空地有人倾倒建筑垃圾'],
};

function finderFor(quality: number, r: () => number): DemoFinder {
  // A town that watches its own area finds most problems itself; others' are found above them.
  const x = r();
  const self = 0.2 + quality * 0.6;
  if (x < self) return 'town';
  if (x < self + (1 - self) * 0.6) return 'district';
  if (x < self + (1 - self) * 0.9) return 'city';
  return 'higher';
}

function finding(id: string, townCode: string, kind: DemoFindingKind, month: DemoMonth, foundAtMs: number, quality: number, nowMs: number, r: () => number): DemoFinding {
  const areaM2 =
    kind === 'road_pollution' ? Math.round(between(r, 30, 300 + (1 - quality) * 1200)) :
    kind === 'unwashed_exit' ? Math.round(between(r, 20, 250)) :
    kind === 'dumping_point' ? Math.round(between(r, 50, 600)) : null;
  const finder = kind === 'complaint_12345' ? 'city' : finderFor(quality, r);
  const deadlineDays = Math.round(between(r, 3, 7));
  const actor = townCode === 'E37030501' ? { actorUsername: 'town', actorRole: 'town_official' } : { actorUsername: 'dispatcher', actorRole: 'dispatcher' };
  const events: DemoLedgerEvent[] = [{ atMs: foundAtMs, action: 'create', fromStatus: null, toStatus: 'open', ...actor, comment: null, changed: null }];
  let status: DemoFinding['status'] = 'open';
  let verifiedAtMs: number | null = null;
  let at = foundAtMs;
  const move = (hours: number, to: DemoFinding['status'], office: boolean, comment: string): boolean => {
    const next = at + Math.round(hours * HOUR);
    if (next >= nowMs) return false;
    at = next;
    events.push({ atMs: at, action: to, fromStatus: status, toStatus: to, ...(office ? { actorUsername: 'dispatcher', actorRole: 'dispatcher' } : actor), comment, changed: null });
    status = to;
    return true;
  };
  if (move(between(r, 2, 24), 'rectifying', false, '已安排人员整改')) {
    const late = r() > 0.5 + quality * 0.5;
    if (move(late ? between(r, deadlineDays * 24 + 12, deadlineDays * 24 + 240) : between(r, 12, deadlineDays * 24 - 6), 'rectified', false, '已清扫冲洗，恢复原状') &&
        move(between(r, 6, 72), 'verified', true, '复查合格')) {
      verifiedAtMs = at;
    }
  }
  return {
    id, townCode, kind, place: placeInTown(townCode, r), foundAtMs, areaM2, description: pick(FINDING_TEXT[kind], r), finder,
    deadline: dateAfter(month.month, dayOf(month, foundAtMs) + deadlineDays), status, verifiedAtMs, events,
  };
}

// --- waste piles ---------------------------------------------------------------------------------

const PILE_PLACES = ['村东空地', '村西沟渠旁', '废弃砖厂', '道路北侧林带', '河道南岸', '原养殖场', '拆迁片区'] as const;
const LAND_NATURES: readonly DemoPile['landNature'][] = ['construction_land', 'farmland', 'roadside', 'riverbank', 'woodland', 'vacant_lot', 'other'];

function wastePiles(townCode: string, character: Character, months: readonly DemoMonth[], nowMs: number): DemoPile[] {
  const r = keyedRandom(`demo-assessment/${townCode}/piles`);
  const piles: DemoPile[] = [];
  const total = 2 + Math.floor(r() * 4);
  const villages = villagesOfTown(townCode);
  const townName = towns.find((t) => t.code === townCode)!.name;
  const actor = townCode === 'E37030501' ? { actorUsername: 'town', actorRole: 'town_official' } : { actorUsername: 'dispatcher', actorRole: 'dispatcher' };
  for (let i = 0; i < total; i++) {
    // Most were registered in the first two months; the last one later in the year.
    const startIndex = i === total - 1 ? Math.min(months.length - 1, 3 + Math.floor(r() * 5)) : Math.floor(r() * 2);
    const month = months[startIndex]!;
    const createdAtMs = month.fromMs + Math.floor(between(r, 1, 20)) * DAY + Math.floor(between(r, 8, 17)) * HOUR;
    if (createdAtMs >= nowMs) continue;
    const where = villages.length > 0 ? villages[Math.floor(r() * villages.length)]!.name.replace(/(社区居委会|村委会|居委会)$/, '') : townName;
    const volume0 = Math.round(between(r, 200, 6000));
    const deadlineMonths = Math.round(between(r, 2, 6));
    const deadline = dateAfter(months[Math.min(months.length - 1, startIndex + deadlineMonths)]?.month ?? month.month, 27);
    const events: DemoLedgerEvent[] = [{ atMs: createdAtMs, action: 'create', fromStatus: null, toStatus: 'registered', ...actor, comment: '摸排登记', changed: null }];
    let status: DemoPileStatus = 'registered';
    let volume = volume0;
    let verifiedAtMs: number | null = null;
    // Month by month: a diligent town reports progress every month and clears the pile in time.
    for (let m = startIndex; m < months.length; m++) {
      const q = clamp01(character.quality + (character.trend * m) / Math.max(1, months.length - 1));
      const at = months[m]!.fromMs + Math.floor(between(r, 2, 26)) * DAY + Math.floor(between(r, 9, 17)) * HOUR;
      if (at >= nowMs || at <= events[events.length - 1]!.atMs) continue;
      if (status === 'verified') break;
      if (status === 'cleared' || status === 'covered') {
        events.push({ atMs: at, action: 'verified', fromStatus: status, toStatus: 'verified', actorUsername: 'dispatcher', actorRole: 'dispatcher', comment: '渣土办现场核验通过', changed: null });
        status = 'verified';
        verifiedAtMs = at;
        continue;
      }
      if (r() > 0.25 + q * 0.75) continue; // nobody touched it this month
      if (status === 'registered') {
        events.push({ atMs: at, action: 'in_progress', fromStatus: status, toStatus: 'in_progress', ...actor, comment: '已制定治理方案并组织清运', changed: null });
        status = 'in_progress';
        continue;
      }
      volume = Math.round(volume * between(r, 0.35, 0.8));
      if (volume < 150 || m - startIndex >= deadlineMonths) {
        const to = r() < 0.7 ? 'cleared' : 'covered';
        events.push({ atMs: at, action: to, fromStatus: status, toStatus: to, ...actor, comment: to === 'cleared' ? '已全部清运至消纳场' : '已苫盖绿化，待清运', changed: null });
        status = to;
      } else {
        events.push({ atMs: at, action: 'update', fromStatus: status, toStatus: status, ...actor, comment: '本月清运进度', changed: { volumeM3: volume } });
      }
    }
    const lastEvent = events[events.length - 1]!;
    piles.push({
      id: uuid('pile', townCode, i),
      townCode,
      name: `${where}${PILE_PLACES[Math.floor(r() * PILE_PLACES.length)]}建筑垃圾堆`,
      place: placeInTown(townCode, r, 2500),
      landNature: LAND_NATURES[Math.floor(r() * LAND_NATURES.length)]!,
      volumeM3: status === 'cleared' || status === 'verified' ? 0 : volume,
      responsibleParty: `${where}村（居）委会`,
      governancePlan: '分批清运至持证消纳场，无法及时清运部分先行苫盖',
      deadline,
      status,
      verifiedAtMs,
      createdAtMs,
      updatedAtMs: lastEvent.atMs,
      events,
    });
  }
  return piles;
}

// --- collection points and requests ----------------------------------------------------------------

function collectionPoints(townCode: string, character: Character, months: readonly DemoMonth[]): DemoCollectionPoint[] {
  const r = keyedRandom(`demo-assessment/${townCode}/points`);
  const villages = villagesOfTown(townCode);
  const first = months[0]!;
  const [startShare, endShare] = character.coverage;
  const points: DemoCollectionPoint[] = [];
  villages.forEach((village) => {
    const x = r();
    let createdAtMs: number;
    if (x < startShare) createdAtMs = first.fromMs - Math.floor(between(r, 20, 200)) * DAY;
    else if (x < endShare) {
      // Opened during the year: the share of covered villages grows towards `endShare`.
      const index = 1 + Math.floor(((x - startShare) / Math.max(1e-9, endShare - startShare)) * (months.length - 2));
      const month = months[Math.min(months.length - 1, index)]!;
      createdAtMs = month.fromMs + Math.floor(between(r, 1, 20)) * DAY + 10 * HOUR;
    } else return;
    points.push({
      id: uuid('point', village.code),
      townCode,
      villageCode: village.code,
      name: `${village.name.replace(/(社区居委会|村委会|居委会)$/, '')}建筑垃圾收集点`,
      place: placeInTown(townCode, r),
      createdAtMs,
    });
  });
  return points;
}

interface TripRequest {
  truck: DemoTruck;
  startedAtMs: number;
  endedAtMs: number;
}

function collectionRequest(id: string, point: DemoCollectionPoint, requestedAtMs: number, quality: number, nowMs: number, r: () => number, addTrip: (trip: TripRequest) => string): DemoCollectionRequest {
  const community = point.name.includes('社区');
  const requesterName = point.name.replace('建筑垃圾收集点', community ? '社区居委会' : '村委会');
  const actor = point.townCode === 'E37030501' ? { actorUsername: 'town', actorRole: 'town_official' } : { actorUsername: 'dispatcher', actorRole: 'dispatcher' };
  const request: DemoCollectionRequest = {
    id, townCode: point.townCode, villageCode: point.villageCode, requesterKind: community ? 'community' : 'village', requesterName,
    collectionPointId: point.id, volumeM3: Math.round(between(r, 5, 60)), requestedAtMs, state: 'requested', truckId: null,
    dispatchedAtMs: null, visitAtMs: null, fulfilledAtMs: null, tripId: null, cancelReason: null,
    events: [{ atMs: requestedAtMs, action: 'create', fromStatus: null, toStatus: 'requested', ...actor, comment: null, changed: null }],
  };
  if (r() < 0.04) {
    const at = requestedAtMs + Math.round(between(r, 1, 6) * HOUR);
    if (at < nowMs) {
      request.state = 'cancelled';
      request.cancelReason = '申请人已自行联系清运';
      request.events.push({ atMs: at, action: 'cancel', fromStatus: 'requested', toStatus: 'cancelled', ...actor, comment: request.cancelReason, changed: null });
    }
    return request;
  }
  // Same-day clearance (日产日清) most of the time; the poorer the town, the more often late.
  const late = r() > 0.7 + quality * 0.28;
  const dispatchedAtMs = requestedAtMs + Math.round(between(r, 0.5, late ? 20 : 8) * HOUR);
  if (dispatchedAtMs >= nowMs) return request;
  const truck = pick(boundTrucks, r);
  request.state = 'dispatched';
  request.truckId = truck.id;
  request.dispatchedAtMs = dispatchedAtMs;
  request.events.push({ atMs: dispatchedAtMs, action: 'dispatch', fromStatus: 'requested', toStatus: 'dispatched', ...actor, comment: `派 ${truck.plate} 清运`, changed: { truckId: truck.id } });
  const visitAtMs = late ? requestedAtMs + Math.round(between(r, 26, 60) * HOUR) : dispatchedAtMs + Math.round(between(r, 1, 12) * HOUR);
  const fulfilledAtMs = visitAtMs + Math.round(between(r, 30, 90) * MINUTE);
  if (fulfilledAtMs >= nowMs) return request;
  request.state = 'fulfilled';
  request.visitAtMs = visitAtMs;
  request.fulfilledAtMs = fulfilledAtMs;
  request.tripId = addTrip({ truck, startedAtMs: visitAtMs, endedAtMs: fulfilledAtMs });
  request.events.push({ atMs: fulfilledAtMs, action: 'fulfil', fromStatus: 'dispatched', toStatus: 'fulfilled', actorUsername: null, actorRole: 'gps', comment: '定位核验：车辆到达收集点，运次在持证消纳场闭合', changed: null });
  return request;
}

// --- the admin's adjustments -----------------------------------------------------------------------

/** A bonus for a good unit, higher-level notifications of poor ones, and one veto, at fixed places in the twelve. */
function adjustments(months: readonly DemoMonth[]): DemoAdjustment[] {
  const at = (index: number): DemoMonth | undefined => months[Math.max(0, months.length - 1 - index)];
  const list: Array<{ back: number; townCode: string; kind: DemoAdjustment['kind']; points: number | null; vetoGround: DemoAdjustment['vetoGround']; reason: string; documentRef: string }> = [
    { back: 2, townCode: '370305001', kind: 'bonus', points: 2, vetoGround: null, reason: '建筑垃圾资源化利用经验被市级推广', documentRef: '淄城管办字〔演示〕12号' },
    { back: 6, townCode: 'E37030501', kind: 'bonus', points: 1.5, vetoGround: null, reason: '主动排查整治厂区周边积存建筑垃圾', documentRef: '临渣办函〔演示〕8号' },
    { back: 4, townCode: '370305109', kind: 'city_notification', points: null, vetoGround: null, reason: '市级暗访发现辖区道路渣土撒漏严重，予以通报', documentRef: '淄城管通〔演示〕21号' },
    { back: 1, townCode: '370305111', kind: 'city_notification', points: null, vetoGround: null, reason: '市级督查发现辖区私倒建筑垃圾点未及时清理', documentRef: '淄城管通〔演示〕35号' },
    { back: 7, townCode: '370305109', kind: 'veto', points: null, vetoGround: 'pollution_incident', reason: '辖区内私倒建筑垃圾引发河道污染事件', documentRef: '临政办发〔演示〕5号' },
  ];
  const result: DemoAdjustment[] = [];
  for (const a of list) {
    const month = at(a.back);
    if (!month || a.back >= months.length) continue;
    result.push({
      id: uuid('adjustment', month.month, a.townCode, a.kind),
      month: month.month,
      townCode: a.townCode,
      kind: a.kind,
      points: a.points,
      vetoGround: a.vetoGround,
      reason: a.reason,
      documentRef: a.documentRef,
      createdAtMs: month.toMs - 3 * DAY,
    });
  }
  return result;
}
