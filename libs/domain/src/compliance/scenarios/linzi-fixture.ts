/**
 * A hand-made registry around real-looking Linzi coordinates, and a track builder that drives a
 * terminal along lines at a speed, for the scenario specs. Not the demo registry (libs/linzi is out
 * of the domain's reach): small enough to read in one go.
 *
 *        36.820  金茂府工地 ■ (118.300)
 *                    │  规定路线 金茂府→南部 (200 m corridor): south, east, south
 *        36.810      └──────────[限速区 40]──────────┐          ■ 东部消纳场 (licensed, 118.360)
 *        36.800  ■ 西郊废弃砖厂 (illegal, 118.300)      ■ 南部消纳场 (licensed, designated, 118.340)
 */
import type { Polygon } from 'geojson';
import { ComplianceFacts, type RegistrySnapshot } from '../facts.js';
import type { ComplianceEvent, ComplianceFix, Trip, ViolationEpisode } from '../model.js';
import { DEFAULT_COMPLIANCE_RULES, type ComplianceRules } from '../rules.js';
import { replayFixes, TruckCompliance } from '../truck-compliance.js';

export type LonLat = [number, number];

const M_PER_DEG_LAT = 111_320;
const mPerDegLon = (lat: number) => M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180);

/** A point moved east/north by metres. */
export function offset([lon, lat]: LonLat, eastM: number, northM: number): LonLat {
  return [lon + eastM / mPerDegLon(lat), lat + northM / M_PER_DEG_LAT];
}

/** An axis-aligned rectangle of widthM × heightM around a centre, counter-clockwise and closed. */
export function rectangle(centre: LonLat, widthM: number, heightM: number): Polygon {
  const sw = offset(centre, -widthM / 2, -heightM / 2);
  const ne = offset(centre, widthM / 2, heightM / 2);
  return { type: 'Polygon', coordinates: [[sw, [ne[0], sw[1]], ne, [sw[0], ne[1]], sw]] };
}

export const JINMAO: LonLat = [118.3, 36.82];
export const SOUTH_YARD: LonLat = [118.34, 36.8];
export const EAST_YARD: LonLat = [118.36, 36.81];
export const BRICKWORKS: LonLat = [118.3, 36.8];
/** 南王村's collection point (临时堆放点), by the road to 东部消纳场. */
export const VILLAGE_POINT: LonLat = [118.36, 36.83];
/** The approved route: from 金茂府's loading point to 南部消纳场's tipping point. */
export const ROUTE: LonLat[] = [JINMAO, [118.3, 36.81], [118.34, 36.81], [118.34, 36.801]];

export const APPROVAL_ID = 'approval-jinmao';

export function linziSnapshot(): RegistrySnapshot {
  return {
    towns: [
      { code: '370305001', name: '稷下街道', geometry: { type: 'Polygon', coordinates: [[[118.26, 36.78], [118.33, 36.78], [118.33, 36.86], [118.26, 36.86], [118.26, 36.78]]] } },
      { code: '370305102', name: '凤凰镇', geometry: { type: 'Polygon', coordinates: [[[118.33, 36.78], [118.45, 36.78], [118.45, 36.86], [118.33, 36.86], [118.33, 36.78]]] } },
    ],
    constructionSites: [
      { id: 'site-jinmao', name: '金茂府工地', townCode: '370305001', geometry: rectangle(JINMAO, 200, 200) },
      { id: 'site-expired', name: '齐都花园工地', townCode: '370305102', geometry: rectangle([118.4, 36.83], 200, 200) },
    ],
    collectionPoints: [{ id: 'point-nanwang', name: '南王村临时堆放点', townCode: '370305001', geometry: rectangle(VILLAGE_POINT, 60, 60) }],
    disposalSites: [
      { id: 'yard-south', name: '南部消纳场', status: 'licensed', townCode: '370305102', geometry: rectangle(SOUTH_YARD, 400, 400) },
      { id: 'yard-east', name: '东部消纳场', status: 'licensed', townCode: '370305102', geometry: rectangle(EAST_YARD, 400, 400) },
      { id: 'yard-brickworks', name: '西郊废弃砖厂', status: 'illegal', townCode: '370305001', geometry: rectangle(BRICKWORKS, 300, 300) },
    ],
    routes: [{ id: 'route-jinmao-south', name: '金茂府→南部消纳场', geometry: { type: 'LineString', coordinates: ROUTE }, corridorWidthM: 200 }],
    timeWindows: [
      {
        id: 'window-night',
        name: '夜间 22:00–06:00',
        weekly: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '22:00', end: '06:00', crossesMidnight: true }],
        exceptions: [{ date: '2026-12-02', kind: 'closed', reason: '重污染天气预警' }],
      },
    ],
    approvals: [
      {
        id: APPROVAL_ID,
        number: '临渣核〔2026〕017号',
        constructionSiteId: 'site-jinmao',
        validFrom: '2026-01-01',
        validTo: '2026-12-31',
        companyId: 'company-xinda',
        truckIds: ['truck-1', 'truck-2'],
        disposalSiteIds: ['yard-south'],
        routeIds: ['route-jinmao-south'],
        timeWindowIds: ['window-night'],
      },
      {
        id: 'approval-expired',
        number: '临渣核〔2025〕102号',
        constructionSiteId: 'site-expired',
        validFrom: '2025-01-01',
        validTo: '2025-12-31',
        companyId: 'company-xinda',
        truckIds: ['truck-1'],
        disposalSiteIds: ['yard-east'],
        routeIds: [],
        timeWindowIds: [],
      },
    ],
    speedZones: [
      { id: 'zone-city', name: '城区限速 40', limitKmh: 40, corridorWidthM: null, geometry: { type: 'Polygon', coordinates: [[[118.315, 36.805], [118.325, 36.805], [118.325, 36.815], [118.315, 36.815], [118.315, 36.805]]] } },
    ],
    trucks: [
      truck('truck-1', '鲁CA1234', 'T-0001'),
      // Listed on the approval, but its 准运证 ran out in October.
      { ...truck('truck-2', '鲁CB5678', 'T-0002'), permitValidTo: '2026-10-31' },
      // Valid permit, not listed on the approval.
      truck('truck-3', '鲁CC9012', 'T-0003'),
    ],
  };
}

function truck(id: string, plate: string, terminalId: string): RegistrySnapshot['trucks'][number] {
  return { id, plate, companyId: 'company-xinda', terminalId, ratedLoadT: 20, sealed: true, permitNo: `准运-${plate}`, permitValidFrom: '2026-01-01', permitValidTo: '2027-12-31' };
}

export function linziFacts(change: (s: RegistrySnapshot) => void = () => undefined): ComplianceFacts {
  const snapshot = linziSnapshot();
  change(snapshot);
  return new ComplianceFacts(snapshot);
}

/** Shanghai local time → epoch ms. */
export function local(iso: string): number {
  return new Date(`${iso}+08:00`).getTime();
}

type Sensors = Pick<ComplianceFix, 'cover' | 'body' | 'load' | 'loadT' | 'ignition' | 'sensors' | 'valid'>;

/**
 * Drives one terminal: each step emits a fix every `intervalS` seconds. Sensor state persists
 * until changed with `set`. `received` says how long after its fix time each fix arrives.
 */
export class Track {
  private t: number;
  private here: LonLat;
  private sensors: Sensors = { cover: 'closed', body: 'down', load: 'empty', loadT: 0.5, ignition: true };
  private receivedDelayMs = 1_000;
  readonly fixes: ComplianceFix[] = [];

  constructor(
    readonly terminalId: string,
    startLocal: string,
    at: LonLat,
    private readonly intervalS = 10,
  ) {
    this.t = local(startLocal);
    this.here = at;
  }

  set(sensors: Partial<Sensors>): this {
    this.sensors = { ...this.sensors, ...sensors };
    return this;
  }

  loaded(tonnes = 18): this {
    return this.set({ load: 'full', loadT: tonnes });
  }

  empty(): this {
    return this.set({ load: 'empty', loadT: 0.5 });
  }

  /** Fixes from now on arrive this long after their fix time. */
  arriving(delayMs: number): this {
    this.receivedDelayMs = delayMs;
    return this;
  }

  get now(): number {
    return this.t;
  }

  get position(): LonLat {
    return this.here;
  }

  private emit(speedKmh: number): void {
    this.fixes.push({ terminalId: this.terminalId, fixTimeMs: this.t, receivedAtMs: this.t + this.receivedDelayMs, lon: this.here[0], lat: this.here[1], speedKmh, ...this.sensors });
  }

  /** Stands still for `seconds`, reporting. */
  wait(seconds: number): this {
    for (let s = 0; s < seconds; s += this.intervalS) {
      this.t += this.intervalS * 1000;
      this.emit(0);
    }
    return this;
  }

  /** One fix at the next interval with these fields changed (a glitch: the truck itself stays put). */
  glitch(fields: Partial<ComplianceFix>): this {
    this.t += this.intervalS * 1000;
    this.emit(0);
    Object.assign(this.fixes[this.fixes.length - 1] ?? {}, fields);
    return this;
  }

  /** Jumps the clock without reporting (a silent terminal). */
  silent(seconds: number): this {
    this.t += seconds * 1000;
    return this;
  }

  /** Drives in a straight line to `to` at `speedKmh`, one fix per interval, the last one at `to`. */
  driveTo(to: LonLat, speedKmh: number): this {
    const eastM = (to[0] - this.here[0]) * mPerDegLon(this.here[1]);
    const northM = (to[1] - this.here[1]) * M_PER_DEG_LAT;
    const distance = Math.hypot(eastM, northM);
    const steps = Math.max(1, Math.ceil(distance / ((speedKmh / 3.6) * this.intervalS)));
    const from = this.here;
    for (let i = 1; i <= steps; i++) {
      this.t += this.intervalS * 1000;
      this.here = [from[0] + ((to[0] - from[0]) * i) / steps, from[1] + ((to[1] - from[1]) * i) / steps];
      this.emit(speedKmh);
    }
    return this;
  }

  driveAlong(path: readonly LonLat[], speedKmh: number): this {
    for (const p of path) this.driveTo(p, speedKmh);
    return this;
  }

  /** Raises the body for `seconds` where it stands, then lowers it empty. */
  tip(seconds = 60): this {
    this.set({ body: 'raised' }).wait(seconds);
    return this.set({ body: 'down' }).empty().wait(this.intervalS);
  }

  /** Loads at a site: stands, the load cell fills. */
  load(seconds = 300, tonnes = 18): this {
    this.wait(seconds / 2);
    return this.loaded(tonnes).wait(seconds / 2);
  }
}

export interface Outcome {
  trips: Trip[];
  violations: ViolationEpisode[];
  events: ComplianceEvent[];
  engine: TruckCompliance;
}

/** The latest version of each trip and episode the events mention. */
export function summarise(events: readonly ComplianceEvent[]): { trips: Trip[]; violations: ViolationEpisode[] } {
  const trips = new Map<string, Trip>();
  const violations = new Map<string, ViolationEpisode>();
  for (const e of events) {
    if (e.kind === 'trip.started' || e.kind === 'trip.ended') trips.set(e.trip.id, e.trip);
    else if (e.kind === 'violation.retracted') violations.delete(e.violation.id);
    else violations.set(e.violation.id, e.violation);
  }
  return { trips: [...trips.values()], violations: [...violations.values()] };
}

/** Feeds a track to a fresh engine in order. */
export function run(fixes: readonly ComplianceFix[], facts = linziFacts(), overrides: Partial<ComplianceRules> = {}): Outcome {
  const { engine, events } = replayFixes(fixes[0]?.terminalId ?? 'T-0001', fixes, facts, { ...DEFAULT_COMPLIANCE_RULES, ...overrides });
  return { ...summarise(events), events, engine };
}

/** 金茂府 → loaded → the approved route → (caller decides what happens at the end). */
export function loadAtJinmao(terminalId = 'T-0001', startLocal = '2026-11-26T22:00:00'): Track {
  return new Track(terminalId, startLocal, JINMAO).wait(20).load(300);
}
