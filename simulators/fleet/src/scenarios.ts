import { VIOLATION_TYPE_NAMES, type TelemetryFix } from '@muckwatch/contracts';
import { demoRegistry, type DemoConstructionSite, type DemoRegistry, type DemoTruck, type LonLat } from '@muckwatch/linzi';
import { distanceM, offsetMetres } from './route-path.js';

/**
 * Scenario mode: one named situation per violation type (and a clean closed trip), driven by one
 * terminal over the demo registry's real geometry (libs/linzi), as the fixes that terminal would
 * publish. Each scenario uses its own demo truck, so scenarios never share an engine.
 * The names: a clean trip, then each violation type of the contract, in its order.
 */
export const SCENARIO_NAMES = ['clean_trip', ...VIOLATION_TYPE_NAMES] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface Scenario {
  name: ScenarioName;
  terminalId: string;
  plate: string | null;
  /** The town the violation (or trip) is expected in. */
  townCode: string | null;
  /** The violation types the engine must raise (none for clean_trip). */
  expectedTypes: string[];
  fixes: TelemetryFix[];
}

export interface ScenarioOptions {
  /** Fix time of the first fix (epoch ms). Default: now. */
  startMs?: number;
  /** Seconds between fixes. Default 10. */
  intervalSec?: number;
  /** Use the n-th eligible truck for this scenario (lets a test run the same scenario twice). Default 0. */
  variant?: number;
  registry?: DemoRegistry;
}

const LOCAL_OFFSET_MS = 8 * 3_600_000;
const TODAY = (ms: number): string => new Date(ms + LOCAL_OFFSET_MS).toISOString().slice(0, 10);

/** Writes fixes for one terminal; sensor state persists until changed. */
class Drive {
  readonly fixes: TelemetryFix[] = [];
  private state: Partial<TelemetryFix> = { cover: 'closed', body: 'down', load: 'empty', loadT: 0.5, ignition: true };
  private seq = 0;

  constructor(
    private t: number,
    private here: LonLat,
    private readonly intervalS: number,
  ) {}

  set(state: Partial<TelemetryFix>): this {
    this.state = { ...this.state, ...state };
    return this;
  }

  private emit(speedKmh: number, headingDeg = 0): void {
    this.fixes.push({
      ts: this.t,
      lat: round(this.here[1]),
      lon: round(this.here[0]),
      speedKmh,
      headingDeg: Math.round(headingDeg) % 360,
      seq: this.seq++,
      satellites: 12,
      hdop: 0.9,
      ...this.state,
    });
  }

  wait(seconds: number): this {
    for (let s = 0; s < seconds; s += this.intervalS) {
      this.t += this.intervalS * 1000;
      this.emit(0);
    }
    return this;
  }

  silent(seconds: number): this {
    this.t += seconds * 1000;
    return this;
  }

  driveTo(to: LonLat, speedKmh: number): this {
    const from = this.here;
    const steps = Math.max(1, Math.ceil(distanceM(from, to) / ((speedKmh / 3.6) * this.intervalS)));
    const heading = (Math.atan2(to[0] - from[0], to[1] - from[1]) * 180) / Math.PI + 360;
    for (let i = 1; i <= steps; i++) {
      this.t += this.intervalS * 1000;
      this.here = [from[0] + ((to[0] - from[0]) * i) / steps, from[1] + ((to[1] - from[1]) * i) / steps];
      this.emit(speedKmh, heading);
    }
    return this;
  }

  driveAlong(path: readonly LonLat[], speedKmh: number): this {
    for (const p of path) this.driveTo(p, speedKmh);
    return this;
  }

  /** Loads standing at the site: the load cell fills. */
  load(tonnes: number): this {
    this.wait(120);
    return this.set({ load: 'full', loadT: tonnes }).wait(120);
  }

  tip(seconds = 90): this {
    this.set({ body: 'raised' }).wait(seconds);
    return this.set({ body: 'down', load: 'empty', loadT: 0.5 }).wait(this.intervalS * 2);
  }

  /** One fix far from where the truck is (a spoofed or tampered position); the truck itself stays put. */
  jump(to: LonLat): this {
    this.t += this.intervalS * 1000;
    const here = this.here;
    this.here = to;
    this.emit(30);
    this.here = here;
    return this;
  }

  get position(): LonLat {
    return this.here;
  }
}

const round = (value: number): number => Math.round(value * 1e7) / 1e7;

/** The demo registry has what the scenarios need; say so loudly if it ever does not. */
function must<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('scenario: the demo registry lacks a record this scenario needs');
  return value;
}

interface Pair {
  site: DemoConstructionSite;
  truck: DemoTruck;
  terminalId: string;
  path: LonLat[];
}

/** Sites with a valid approval and trucks on it with a valid permit and a bound terminal. */
function pairs(r: DemoRegistry, onDay: string, urban: boolean | null, permit: 'valid' | 'expired'): Pair[] {
  const out: Pair[] = [];
  for (const site of r.constructionSites) {
    const isUrban = site.approval.timeWindowIds.length === 1;
    if (urban !== null && isUrban !== urban) continue;
    if (site.status !== 'active' || site.approval.validFrom > onDay || site.approval.validTo < onDay) continue;
    const route = r.routes.find((x) => x.id === site.approval.routeIds[0]);
    if (!route) continue;
    for (const truck of r.trucks) {
      if (truck.homeSiteId !== site.id || !truck.sealed) continue;
      const terminal = r.terminals.find((t) => t.truckId === truck.id);
      if (!terminal?.bound) continue;
      const valid = truck.permit !== null && truck.permit.validFrom <= onDay && truck.permit.validTo >= onDay;
      if ((permit === 'valid') !== valid) continue;
      out.push({ site, truck, terminalId: terminal.id, path: route.path });
    }
  }
  return out;
}

/** Builds a named scenario; fix times start at `startMs` (outside_time_window moves to the local daytime before it). */
export function buildScenario(name: ScenarioName, options: ScenarioOptions = {}): Scenario {
  const r = options.registry ?? demoRegistry;
  const interval = options.intervalSec ?? 10;
  let start = options.startMs ?? Date.now();
  const variant = options.variant ?? 0;
  const index = SCENARIO_NAMES.indexOf(name);
  const pick = (list: Pair[], offset: number): Pair => {
    const pair = list[(offset + variant * SCENARIO_NAMES.length) % list.length];
    if (!pair) throw new Error(`scenario ${name}: no eligible demo truck`);
    return pair;
  };
  const rural = (): Pair => pick(pairs(r, TODAY(start), false, 'valid'), index);
  const scenario = (pair: Pair | null, expectedTypes: string[], drive: Drive, townCode: string | null, terminalId?: string): Scenario => ({
    name,
    terminalId: terminalId ?? must(pair).terminalId,
    plate: pair?.truck.plate ?? null,
    townCode,
    expectedTypes,
    fixes: drive.fixes,
  });
  const loadedAt = (pair: Pair): Drive => new Drive(start, pair.site.loadingPoint, interval).wait(20).load(pair.truck.ratedLoadT * 0.8);

  switch (name) {
    case 'clean_trip': {
      const p = rural();
      const d = loadedAt(p).driveAlong(p.path.slice(1), 30).tip().driveTo(offsetMetres(...must(p.path[p.path.length - 1]), 0, -400), 20);
      return scenario(p, [], d, p.site.townCode);
    }
    case 'illegal_dumping': {
      const p = rural();
      const d = loadedAt(p).driveAlong(firstHalf(p.path), 30).wait(30).tip();
      return scenario(p, ['illegal_dumping'], d, null);
    }
    case 'undesignated_disposal': {
      const p = rural();
      const designated = p.site.approval.disposalSiteIds;
      const other = must(
        r.disposalSites
          .filter((s) => s.status === 'licensed' && !designated.includes(s.id))
          .sort((a, b) => distanceM(p.site.loadingPoint, a.tippingPoint) - distanceM(p.site.loadingPoint, b.tippingPoint))[0],
      );
      const d = loadedAt(p).driveTo(other.tippingPoint, 30).tip();
      return scenario(p, ['undesignated_disposal'], d, other.townCode);
    }
    case 'closed_disposal_site': {
      const closed = must(r.disposalSites.find((s) => s.status === 'closed'));
      const candidates = pairs(r, TODAY(start), false, 'valid').sort(
        (a, b) => distanceM(a.site.loadingPoint, closed.tippingPoint) - distanceM(b.site.loadingPoint, closed.tippingPoint),
      );
      const p = pick(candidates.slice(0, 3), variant);
      const d = loadedAt(p).driveTo(closed.tippingPoint, 30).wait(60).tip();
      return scenario(p, ['closed_disposal_site'], d, closed.townCode);
    }
    case 'unsealed_transport': {
      const p = rural();
      const d = loadedAt(p).set({ cover: 'open' }).driveAlong(p.path.slice(1), 30).set({ cover: 'closed' }).tip();
      return scenario(p, ['unsealed_transport'], d, p.site.townCode);
    }
    case 'off_route': {
      const p = rural();
      // Out of the 200 m corridor sideways (1.2 km off the first leg) and back, then on to the designated site.
      const d = loadedAt(p).driveTo(besideRoute(p.path, 1200), 30).wait(30).driveTo(must(p.path[0]), 30).driveAlong(p.path.slice(1), 30).tip();
      return scenario(p, ['off_route'], d, null);
    }
    case 'outside_time_window': {
      // An urban site's approval allows only the night window (22:00–06:00): drive at 10:00 local.
      const local = new Date(start + LOCAL_OFFSET_MS);
      const tenAm = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), 10) - LOCAL_OFFSET_MS;
      start = tenAm <= start ? tenAm : tenAm - 86_400_000;
      const p = pick(pairs(r, TODAY(start), true, 'valid'), index);
      const d = loadedAt(p).driveAlong(p.path.slice(1), 30).tip();
      return scenario(p, ['outside_time_window'], d, p.site.townCode);
    }
    case 'overspeed': {
      const zone = must(r.speedZones.find((z) => z.geometry.type === 'Polygon' && z.limitKmh === 40));
      if (zone.geometry.type !== 'Polygon') throw new Error('the city speed zone is a polygon');
      const ring = must(zone.geometry.coordinates[0]);
      const [west, south] = ring[0] as LonLat;
      const [east, north] = ring[2] as LonLat;
      const p = pick(pairs(r, TODAY(start), null, 'valid'), index);
      const d = new Drive(start, [west + 0.005, (south + north) / 2], interval).wait(20).driveTo([east - 0.005, (south + north) / 2], 70).wait(30);
      return scenario(p, ['overspeed'], d, null);
    }
    case 'overload': {
      const p = rural();
      const d = new Drive(start, p.site.loadingPoint, interval).wait(20).load(p.truck.ratedLoadT * 1.4).driveAlong(p.path.slice(1), 30).tip();
      return scenario(p, ['overload'], d, p.site.townCode);
    }
    case 'unlicensed_transport': {
      const p = pick(pairs(r, TODAY(start), null, 'expired'), index);
      const d = loadedAt(p).driveAlong(p.path.slice(1), 30).tip();
      return scenario(p, ['unlicensed_transport'], d, p.site.townCode);
    }
    case 'unregistered_terminal': {
      const site = must(r.constructionSites[0]);
      const d = new Drive(start, site.loadingPoint, interval).wait(20).driveTo(offsetMetres(...site.loadingPoint, 800, 0), 30);
      return scenario(null, ['unregistered_terminal'], d, site.townCode, `SIMUNREG${String(variant).padStart(4, '0')}`);
    }
    case 'terminal_offline': {
      const p = rural();
      const half = firstHalf(p.path);
      const d = loadedAt(p).driveAlong(half, 30).silent(15 * 60).driveTo(must(half[half.length - 1]), 5).driveAlong(p.path.slice(1), 30).tip();
      return scenario(p, ['terminal_offline'], d, null);
    }
    case 'suspected_tampering': {
      const p = rural();
      const d = new Drive(start, p.site.loadingPoint, interval).wait(20).driveTo(offsetMetres(...p.site.loadingPoint, 300, 0), 20);
      d.jump(offsetMetres(...d.position, 20_000, 0)).driveTo(offsetMetres(...p.site.loadingPoint, 600, 0), 20);
      return scenario(p, ['suspected_tampering'], d, null);
    }
  }
}

export function isScenarioName(value: string): value is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(value);
}

/** The route's vertices up to its middle (by distance), ending at the middle: where a truck is halfway. */
function firstHalf(path: readonly LonLat[]): LonLat[] {
  let total = 0;
  for (let i = 1; i < path.length; i++) total += distanceM(must(path[i - 1]), must(path[i]));
  const out: LonLat[] = [];
  let run = 0;
  for (let i = 1; i < path.length; i++) {
    const a = must(path[i - 1]);
    const b = must(path[i]);
    const step = distanceM(a, b);
    if (run + step >= total / 2) {
      const f = step > 0 ? (total / 2 - run) / step : 0;
      out.push([a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f]);
      return out;
    }
    out.push(b);
    run += step;
  }
  return out;
}

/** A point `metres` to the left of the route's first segment, seen from its start. */
function besideRoute(path: readonly LonLat[], metres: number): LonLat {
  const [a, b] = [must(path[0]), path[1] ?? must(path[0])];
  const east = (b[0] - a[0]) * Math.cos((a[1] * Math.PI) / 180);
  const north = b[1] - a[1];
  const norm = Math.hypot(east, north) || 1;
  return offsetMetres(a[0], a[1], (-north / norm) * metres, (east / norm) * metres);
}
