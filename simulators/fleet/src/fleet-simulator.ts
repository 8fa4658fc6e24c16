import type { CommandDownlink, TelemetryFix } from '@muckwatch/contracts';
import { demoRegistry, type DemoRegistry } from '@muckwatch/linzi';
import { Random } from './random.js';
import { insideRing, RoutePath, type SpeedZoneRing } from './route-path.js';
import { TRUCK_HABITS, TruckSimulation, type TimestampStyle, type TruckHabit, type TruckPhase, type TruckSpec } from './truck.js';

export interface FleetSimulatorOptions {
  /** Fully determines the output together with the other options. Default 1. */
  seed?: number;
  /** Number of trucks, default 50 (the demo registry's). Beyond the registry, extra terminals
   * '013805330051'… reuse its routes round-robin; the platform will not know them. */
  trucks?: number;
  /** Seconds between two fixes of one terminal, default 10. */
  intervalSec?: number;
  registry?: DemoRegistry;
  /** Simulated time of the start, epoch ms. Each truck's first fix falls within one interval after it. */
  startTimeMs: number;
  /** Simulate only these terminals (e.g. one terminal's backlog). */
  terminalIds?: readonly string[];
  /**
   * Share of drivers with a bad habit (0–1; default 0, a law-abiding fleet): each gets one of
   * TRUCK_HABITS in turn and shows it on most of its loaded trips. `npm start` uses 0.15.
   */
  misbehavingShare?: number;
}

export interface SimulatedFix {
  terminalId: string;
  truckId: string | null;
  /** Fix time, epoch ms (the same instant as `fix.ts`). */
  timeMs: number;
  fix: TelemetryFix;
}

export interface SimulatedTruck {
  terminalId: string;
  truckId: string | null;
  plate: string | null;
  timestampStyle: TimestampStyle;
}

interface TruckSlot {
  info: SimulatedTruck;
  sim: TruckSimulation;
  /** Simulated time the truck has been advanced to. */
  clockMs: number;
  nextFixMs: number;
}

const MAX_WARM_UP_SEC = 2 * 3600;

/**
 * The fleet's behaviour without any I/O: given the options, `advanceTo(t)` returns, in time
 * order, every fix whose time is at most `t` and that was not returned before. Trucks start in
 * different phases of their cycle (a per-truck warm-up before the start), and each terminal
 * reports on its own whole-second phase within the interval.
 */
export class FleetSimulator {
  readonly intervalSec: number;
  readonly trucks: readonly SimulatedTruck[];
  private readonly slots: TruckSlot[];
  private clock: number;

  constructor(options: FleetSimulatorOptions) {
    const registry = options.registry ?? demoRegistry;
    const seed = options.seed ?? 1;
    const count = options.trucks ?? registry.trucks.length;
    this.intervalSec = options.intervalSec ?? 10;
    if (!Number.isInteger(this.intervalSec) || this.intervalSec < 1) throw new Error(`intervalSec must be a whole number ≥ 1, got ${this.intervalSec}`);
    if (!Number.isInteger(count) || count < 1 || count > 9999) throw new Error(`trucks must be 1…9999, got ${count}`);
    const alignedStart = Math.ceil(options.startTimeMs / 1000) * 1000;
    this.clock = options.startTimeMs;
    this.slots = [];
    const share = options.misbehavingShare ?? 0;
    if (!(share >= 0 && share <= 1)) throw new Error(`misbehavingShare must be 0…1, got ${share}`);
    const habits = new Random(seed, 1_000_003);
    let habitual = 0;
    let speedersOwed = 0;
    for (let index = 0; index < count; index++) {
      const base = truckSpec(registry, index);
      let habit: TruckHabit | null = null;
      if (share > 0 && habits.next() < share) {
        // Speeding shows only where a limit is posted: a speeder needs a route through a speed zone.
        const limited = crossesSpeedZone(base.route, registry);
        if (speedersOwed > 0 && limited) {
          habit = 'speeding';
          speedersOwed--;
        } else {
          habit = TRUCK_HABITS[habitual++ % TRUCK_HABITS.length]!;
          if (habit === 'speeding' && !limited) {
            speedersOwed++;
            habit = TRUCK_HABITS[habitual++ % TRUCK_HABITS.length]!;
          }
        }
      }
      const spec = { ...base, habit };
      if (options.terminalIds && !options.terminalIds.includes(spec.terminalId)) continue;
      const random = new Random(seed, index);
      const sim = new TruckSimulation(spec, random);
      const warmUpSec = random.int(0, MAX_WARM_UP_SEC);
      const phaseSec = random.int(0, this.intervalSec - 1);
      const firstFixMs = alignedStart + phaseSec * 1000;
      // Warm up before the start, then let any truck under way finish its trip: the platform's
      // first sight of a truck is empty, parked or at its site.
      sim.clockMs = firstFixMs - this.intervalSec * 1000 - warmUpSec * 1000;
      sim.advance(warmUpSec);
      const settleFrom = sim.clockMs;
      sim.settle();
      sim.startNearlyLoaded();
      sim.clockMs = settleFrom;
      this.slots.push({
        info: { terminalId: spec.terminalId, truckId: spec.truckId, plate: spec.plate, timestampStyle: spec.timestampStyle },
        sim,
        clockMs: firstFixMs - this.intervalSec * 1000,
        nextFixMs: firstFixMs,
      });
    }
    if (this.slots.length === 0) throw new Error(`no such terminal in the simulated fleet: ${options.terminalIds?.join(', ')}`);
    this.trucks = this.slots.map((slot) => slot.info);
  }

  /** Simulated time reached so far. */
  get clockMs(): number {
    return this.clock;
  }

  /** Time of the next fix any truck will report. */
  get nextFixMs(): number {
    return Math.min(...this.slots.map((slot) => slot.nextFixMs));
  }

  /** Every fix with a time ≤ `timeMs` not returned yet, ordered by time, then by terminal. */
  advanceTo(timeMs: number): SimulatedFix[] {
    if (timeMs < this.clock) return [];
    const out: SimulatedFix[] = [];
    for (const slot of this.slots) {
      while (slot.nextFixMs <= timeMs) {
        slot.sim.advance(Math.round((slot.nextFixMs - slot.clockMs) / 1000));
        slot.clockMs = slot.nextFixMs;
        out.push({ terminalId: slot.info.terminalId, truckId: slot.info.truckId, timeMs: slot.nextFixMs, fix: slot.sim.fix(slot.nextFixMs) });
        slot.nextFixMs += this.intervalSec * 1000;
      }
    }
    this.clock = timeMs;
    return out.sort((a, b) => a.timeMs - b.timeMs || (a.terminalId < b.terminalId ? -1 : 1));
  }

  /**
   * A control command from the platform (a CommandDownlink on the truck's commands topic): the
   * truck obeys it from its next second on. Returns the answer its terminal gives.
   */
  obey(terminalId: string, command: Pick<CommandDownlink, 'kind' | 'params'>): 'acknowledged' | 'unsupported' {
    const slot = this.slots.find((s) => s.info.terminalId === terminalId);
    if (!slot) return 'unsupported';
    const controls = slot.sim.controls;
    switch (command.kind) {
      case 'lock':
        controls.locked = true;
        break;
      case 'unlock':
        controls.locked = false;
        break;
      case 'speed_cap':
        if (command.params.speedKmh === undefined) return 'unsupported';
        controls.speedCapKmh = command.params.speedKmh;
        break;
      case 'speed_release':
        controls.speedCapKmh = null;
        break;
      case 'lift_inhibit':
        controls.liftInhibited = true;
        break;
      case 'lift_release':
        controls.liftInhibited = false;
        break;
      case 'display_text':
        break;
    }
    return 'acknowledged';
  }

  /** What each truck is doing now (for logs and tests). */
  phases(): Array<{ terminalId: string; phase: TruckPhase }> {
    return this.slots.map((slot) => ({ terminalId: slot.info.terminalId, phase: slot.sim.phase }));
  }
}

/** Builds truck `index` of the fleet from the registry (extras beyond it reuse its trucks' routes). */
export function truckSpec(registry: DemoRegistry, index: number): TruckSpec {
  const base = registry.trucks[index % registry.trucks.length]!;
  const inRegistry = index < registry.trucks.length;
  const site = registry.constructionSites.find((s) => s.id === base.homeSiteId);
  if (!site) throw new Error(`truck ${base.key}: home site ${base.homeSiteId} not in the registry`);
  const route = registry.routes.find((r) => r.id === site.approval.routeIds[0]);
  if (!route) throw new Error(`site ${site.key}: no route`);
  const disposal = registry.disposalSites.find((d) => d.id === route.disposalSiteId);
  if (!disposal) throw new Error(`route ${route.key}: disposal site ${route.disposalSiteId} not in the registry`);
  return {
    terminalId: inRegistry ? base.terminalId : `01380533${String(index + 1).padStart(4, '0')}`,
    truckId: inRegistry ? base.id : null,
    plate: inRegistry ? base.plate : null,
    ratedLoadT: base.ratedLoadT,
    route: new RoutePath(route.path),
    speedZones: speedZonesOf(registry),
    windows: site.approval.timeWindowIds.flatMap((id) => registry.timeWindows.find((w) => w.id === id)?.weekly ?? []),
    loadingPoint: site.loadingPoint,
    tippingPoint: disposal.tippingPoint,
    timestampStyle: index % 2 === 0 ? 'iso-offset' : 'epoch-ms',
  };
}

/** The registry's polygon speed zones, as the drivers know them. */
function speedZonesOf(registry: DemoRegistry): SpeedZoneRing[] {
  return registry.speedZones.flatMap((z) => (z.geometry.type === 'Polygon' ? [{ ring: z.geometry.coordinates[0] as Array<[number, number]>, limitKmh: z.limitKmh }] : []));
}

/** Whether the route runs through one of the registry's polygon speed zones (sampled every 50 m). */
function crossesSpeedZone(route: RoutePath, registry: DemoRegistry): boolean {
  const zones = speedZonesOf(registry);
  for (let d = 0; d <= route.lengthM; d += 50) {
    const { lon, lat } = route.at(d);
    if (zones.some((z) => insideRing(lon, lat, z.ring))) return true;
  }
  return false;
}

