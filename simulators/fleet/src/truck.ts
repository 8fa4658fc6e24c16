import { minuteOfDay, type CoverState, type LoadState, type TelemetryFix } from '@muckwatch/contracts';
import type { LonLat } from '@muckwatch/linzi';
import type { Random } from './random.js';
import { insideRing, offsetMetres, RoutePath, type SpeedZoneRing } from './route-path.js';

/** What a truck is doing. */
export type TruckPhase =
  | 'queueing' // at the site, engine idling, waiting for the excavator
  | 'break' // parked at the site, ignition off
  | 'loading' // at the site, cover open, load rising bucket by bucket
  | 'sealing' // cover closing after loading
  | 'outbound' // loaded, driving the route to the disposal site
  | 'opening' // at the disposal site, cover opening
  | 'tipping' // body raised, load running out
  | 'closing' // body down, cover closing
  | 'inbound'; // empty, driving the route back

export type TimestampStyle = 'iso-offset' | 'epoch-ms';

/**
 * A driver's bad habit (demo scenario mix): on some of its loaded trips the truck breaks one rule
 * the way such trucks do — too fast, overloaded, cover open, a detour off the approved route, or
 * tipping by the roadside instead of at the disposal site.
 */
export const TRUCK_HABITS = ['speeding', 'overloading', 'unsealed', 'detour', 'dumping'] as const;
export type TruckHabit = (typeof TRUCK_HABITS)[number];

/** A daily window the truck may run in (local office time), from the approval's schedules. */
export interface RunWindow {
  start: string;
  end: string;
  crossesMidnight: boolean;
}

export interface TruckSpec {
  terminalId: string;
  truckId: string | null;
  plate: string | null;
  ratedLoadT: number;
  route: RoutePath;
  /** Where the truck loads (start of the route) and tips (end). */
  loadingPoint: LonLat;
  tippingPoint: LonLat;
  timestampStyle: TimestampStyle;
  /** The approval's daily windows; empty: any time. The driver departs only inside one. */
  windows?: readonly RunWindow[];
  /** The driver's habit, or none (most drivers). */
  habit?: TruckHabit | null;
  /** Posted limits the driver keeps (unless speeding is its habit). */
  speedZones?: readonly SpeedZoneRing[];
}

/** Share of a habitual driver's loaded trips on which the habit shows. */
const HABIT_TRIP_PROBABILITY = 0.7;
/** A loaded trip takes at most this long from leaving the site: the driver departs only with this much window left. */
const TRIP_NEEDS_MIN = 60;

const KMH = 1 / 3.6;
const MAX_SPEED_MS = 50 * KMH;
const ACCELERATION = 0.7; // m/s²
const DECELERATION = 1.5; // m/s²
const PLANNING_DECELERATION = 1.0; // m/s², what the driver plans with
const SITE_SPEED_MS = 15 * KMH; // first and last 80 m: inside the site, through the gate
const SPEED_LIMIT_KMH = 60;
const BREAK_PROBABILITY = 0.15;
const RED_LIGHT_PROBABILITY = 0.35;

interface BendPlan {
  atM: number;
  turnDeg: number;
  /** Seconds to wait at the bend (a red light), 0 when it is green. */
  waitSec: number;
}

/** One truck's behaviour, advanced in one-second steps. Pure: all randomness comes from `random`. */
/** What the platform's control commands put in force (智能管控, apps/api/src/commands): the terminal obeys. */
export interface TruckControls {
  /** Locked: the truck brakes to a stop and does not set off. */
  locked: boolean;
  /** Capped: never faster than this (km/h). */
  speedCapKmh: number | null;
  /** Lift inhibited: the body is not raised (the truck waits at the site with its cover open). */
  liftInhibited: boolean;
}

export class TruckSimulation {
  phase: TruckPhase = 'queueing';
  readonly controls: TruckControls = { locked: false, speedCapKmh: null, liftInhibited: false };
  private phaseLeftSec: number;
  private path: RoutePath;
  private distanceM = 0;
  private speedMs = 0;
  private cruiseFactor = 1;
  private bends: BendPlan[] = [];
  private waitLeftSec = 0;
  loadT = 0;
  private targetLoadT = 0;
  private nextBucketSec = 0;
  private tippingRateTps = 0;
  private ignition = true;
  private cover: CoverState = 'closed';
  private body: 'down' | 'raised' = 'down';
  private mileageM: number;
  private headingDeg: number;
  private seq = 0;
  private satellites: number;
  private noiseEastM = 0;
  private noiseNorthM = 0;
  /** Parking spot relative to the loading point, and tipping spot relative to the tipping point. */
  private readonly parkingOffset: [number, number];
  private tippingOffset: [number, number];
  /** The truck's habit on the road: its cruising speed. */
  private readonly cruiseMs: number;
  private readonly reversedRoute: RoutePath;
  /** Simulated time (epoch ms) of the current second; set by the fleet before advancing. */
  clockMs = 0;
  /** This trip's misbehaviour, if the habit shows on it. */
  private tripHabit: TruckHabit | null = null;
  private habitTrips = 0;
  /** Detour: lateral offset (m) at the middle of the route; dumping: where along the route it tips. */
  private detourM = 0;
  private dumpAtM = 0;
  /** Where the truck tipped by the roadside, while it does. */
  private dumpPoint: [number, number] | null = null;

  constructor(
    readonly spec: TruckSpec,
    private readonly random: Random,
  ) {
    this.path = spec.route;
    this.reversedRoute = spec.route.reversed();
    this.phaseLeftSec = random.range(30, 300);
    this.mileageM = random.range(20_000, 180_000) * 1000;
    this.satellites = random.int(9, 14);
    this.cruiseMs = random.range(32, 45) * KMH;
    this.parkingOffset = [random.range(-20, 20), random.range(-20, 20)];
    this.tippingOffset = [0, 0];
    this.headingDeg = random.int(0, 359);
  }

  /** Advances the truck by `seconds` whole seconds. */
  advance(seconds: number): void {
    for (let s = 0; s < seconds; s++) {
      this.step();
      this.clockMs += 1000;
    }
  }

  /** Whether the truck is carrying a load away from its site or at the disposal site. */
  get underway(): boolean {
    return this.phase === 'outbound' || this.phase === 'opening' || this.phase === 'tipping' || this.phase === 'closing';
  }

  /**
   * Advances until the truck is empty or at its site (at most `maxSeconds`): the fleet starts this
   * way, so the platform sees every loaded trip from its site, and no truck appears loaded out of
   * nowhere (which the platform rightly calls unlicensed transport).
   */
  settle(maxSeconds = 4 * 3600): void {
    for (let s = 0; s < maxSeconds && this.underway; s++) this.advance(1);
  }

  /**
   * A habitual driver starts the demo at the loading point with most of a load aboard, so its habit
   * shows within minutes of the start instead of after a whole cycle.
   */
  startNearlyLoaded(): void {
    if ((this.spec.habit ?? null) === null || !(this.phase === 'queueing' || this.phase === 'break' || this.phase === 'loading')) return;
    this.startLoading();
    this.loadT = this.targetLoadT * this.random.range(0.6, 0.8);
    this.nextBucketSec = this.random.range(5, 30);
  }

  /** Minutes until the approval's windows allow a trip to start, 0 when one may start now. */
  private minutesUntilDeparture(): number {
    const windows = this.spec.windows ?? [];
    // A driver with a bad habit keeps no hours either.
    if (windows.length === 0 || (this.spec.habit ?? null) !== null) return 0;
    const now = minuteOfDay(this.clockMs);
    let best = 24 * 60;
    for (const w of windows) {
      const start = minutes(w.start);
      let end = minutes(w.end);
      if (w.crossesMidnight || end <= start) end += 24 * 60;
      for (const shift of [-24 * 60, 0]) {
        const [a, b] = [start + shift, end + shift - TRIP_NEEDS_MIN];
        if (now >= a && now <= b) return 0;
        if (a > now) best = Math.min(best, a - now);
      }
      best = Math.min(best, start + 24 * 60 - now);
    }
    return best;
  }

  private step(): void {
    switch (this.phase) {
      case 'queueing':
      case 'break':
        if (--this.phaseLeftSec <= 0) {
          const wait = this.minutesUntilDeparture();
          // Outside the approval's hours the driver parks, ignition off, until they open.
          if (wait > 0) this.enter('break', wait * 60 + this.random.range(60, 20 * 60));
          else this.startLoading();
        }
        break;
      case 'loading':
        if (--this.nextBucketSec <= 0) {
          this.loadT = Math.min(this.targetLoadT, this.loadT + this.random.range(1.4, 2.6));
          this.nextBucketSec = this.random.range(35, 70);
        }
        if (this.loadT >= this.targetLoadT) this.enter('sealing', this.random.range(20, 40));
        break;
      case 'sealing':
        if (--this.phaseLeftSec <= 0 && !this.controls.locked) this.startDriving('outbound');
        break;
      case 'opening':
        if (--this.phaseLeftSec <= 0 && !this.controls.liftInhibited) {
          this.enter('tipping', this.random.range(120, 180));
          this.tippingRateTps = this.loadT / (this.phaseLeftSec - 15);
        }
        break;
      case 'tipping':
        this.loadT = Math.max(0, this.loadT - this.tippingRateTps);
        if (--this.phaseLeftSec <= 0) {
          this.loadT = 0;
          this.enter('closing', this.random.range(20, 40));
        }
        break;
      case 'closing':
        if (--this.phaseLeftSec <= 0 && !this.controls.locked) this.startDriving('inbound');
        break;
      case 'outbound':
      case 'inbound':
        this.drive();
        break;
    }
    this.applyPhaseStates();
  }

  private enter(phase: TruckPhase, seconds: number): void {
    this.phase = phase;
    this.phaseLeftSec = Math.round(seconds);
  }

  private startLoading(): void {
    this.phase = 'loading';
    const habit = this.spec.habit ?? null;
    // The habit shows on the first loaded trip (so the demo shows it soon), then on most.
    this.tripHabit = habit !== null && (this.habitTrips++ === 0 || this.random.chance(HABIT_TRIP_PROBABILITY)) ? habit : null;
    this.targetLoadT = this.spec.ratedLoadT * (this.tripHabit === 'overloading' ? this.random.range(1.15, 1.3) : this.random.range(0.8, 0.95));
    this.nextBucketSec = this.random.range(40, 90);
  }

  private startDriving(phase: 'outbound' | 'inbound'): void {
    this.phase = phase;
    this.path = phase === 'outbound' ? this.spec.route : this.reversedRoute;
    this.distanceM = 0;
    this.speedMs = 0;
    this.waitLeftSec = 0;
    this.bends = this.path.bends.map((bend) => ({
      atM: bend.atM,
      turnDeg: bend.turnDeg,
      waitSec: this.random.chance(RED_LIGHT_PROBABILITY) ? this.random.range(15, 60) : 0,
    }));
    if (phase === 'outbound') {
      this.tippingOffset = [this.random.range(-40, 40), this.random.range(-40, 40)];
      this.detourM = this.tripHabit === 'detour' ? this.random.range(450, 800) * (this.random.chance(0.5) ? 1 : -1) : 0;
      this.dumpAtM = this.tripHabit === 'dumping' ? this.path.lengthM * this.random.range(0.35, 0.65) : 0;
    } else {
      // Back from a roadside tip: the way home starts where it tipped, not at the disposal site.
      if (this.dumpPoint !== null) this.distanceM = Math.max(0, this.path.lengthM - this.dumpAtM);
      this.dumpPoint = null;
      this.tripHabit = null;
      this.detourM = 0;
    }
  }

  private arrive(): void {
    this.speedMs = 0;
    this.distanceM = this.path.lengthM;
    if (this.phase === 'outbound') {
      this.enter('opening', this.random.range(15, 30));
    } else if (this.random.chance(BREAK_PROBABILITY)) {
      this.enter('break', this.random.range(20 * 60, 60 * 60));
    } else {
      this.enter('queueing', this.random.range(60, 8 * 60));
    }
  }

  private drive(): void {
    if (this.controls.locked) {
      // Locked on the road: brakes to a stop where it is, and stays there.
      const moved = Math.min(Math.max(0, this.speedMs - DECELERATION), this.path.lengthM - this.distanceM);
      this.speedMs = moved;
      this.distanceM += moved;
      this.mileageM += moved;
      return;
    }
    if (this.waitLeftSec > 0) {
      this.waitLeftSec--;
      return;
    }
    // slowly wandering cruising speed (traffic), mean-reverting to 1
    this.cruiseFactor += 0.02 * (1 - this.cruiseFactor) + 0.01 * this.random.normal();
    this.cruiseFactor = Math.min(1.12, Math.max(0.75, this.cruiseFactor));
    const loaded = this.phase === 'outbound';
    let target = Math.min(MAX_SPEED_MS, this.cruiseMs * this.cruiseFactor * (loaded ? 0.92 : 1.05));
    // The speeder runs at 65–75 km/h once out of the site, where the limit is 30–50, and brakes late.
    const speeding = loaded && this.tripHabit === 'speeding';
    if (speeding && this.distanceM > 150) target = (65 + (10 * (this.cruiseFactor - 0.75)) / 0.37) * KMH;
    const planning = speeding ? 2.5 : PLANNING_DECELERATION;
    // Everyone else keeps the posted limit, a little below it, from 40 m before the sign.
    if (!speeding) {
      for (const probe of [this.path.at(this.distanceM), this.path.at(this.distanceM + 40)]) {
        for (const zone of this.spec.speedZones ?? []) {
          if (insideRing(probe.lon, probe.lat, zone.ring)) target = Math.min(target, (zone.limitKmh - 4) * KMH);
        }
      }
    }
    // The roadside tipper stops halfway.
    if (loaded && this.tripHabit === 'dumping') {
      const toDump = this.dumpAtM - this.distanceM;
      target = Math.min(target, Math.sqrt(2 * PLANNING_DECELERATION * Math.max(0, toDump - 3)));
      if (toDump < 6 && this.speedMs < 1) {
        this.speedMs = 0;
        const here = this.path.at(this.distanceM);
        this.dumpPoint = [here.lon, here.lat];
        this.enter('opening', this.random.range(15, 30));
        return;
      }
    }

    if (this.controls.speedCapKmh !== null) target = Math.min(target, (this.controls.speedCapKmh - 2) * KMH);
    const remaining = this.path.lengthM - this.distanceM;
    if (this.distanceM < 80 || remaining < 80) target = Math.min(target, SITE_SPEED_MS);
    target = Math.min(target, Math.sqrt(2 * PLANNING_DECELERATION * Math.max(0, remaining - 3)));

    while (this.bends.length > 0 && this.bends[0]!.atM < this.distanceM - 1) this.bends.shift();
    const bend = this.bends[0];
    if (bend) {
      const ahead = bend.atM - this.distanceM;
      const bendSpeed = bend.waitSec > 0 ? 0 : (bend.turnDeg > 60 ? 12 : 18) * KMH * (speeding ? 1.5 : 1);
      target = Math.min(target, Math.sqrt(bendSpeed ** 2 + 2 * planning * Math.max(0, ahead - 4)));
      if (bend.waitSec > 0 && ahead < 10 && this.speedMs < 0.5) {
        this.speedMs = 0;
        this.waitLeftSec = Math.round(bend.waitSec);
        bend.waitSec = 0;
        return;
      }
    }

    const change = Math.min(speeding ? 2 * ACCELERATION : ACCELERATION, Math.max(speeding ? -3 : -DECELERATION, target - this.speedMs));
    this.speedMs = Math.max(0, this.speedMs + change);
    if (remaining < 6 && this.speedMs < 1) {
      this.mileageM += remaining;
      this.arrive();
      return;
    }
    // never stand still on the open road for lack of a target (e.g. just before a green bend)
    if (this.speedMs < 0.3 && !(bend && bend.waitSec > 0)) this.speedMs = 0.5;
    const moved = Math.min(this.speedMs, remaining);
    this.distanceM += moved;
    this.mileageM += moved;
  }

  private applyPhaseStates(): void {
    this.ignition = this.phase !== 'break';
    this.body = this.phase === 'tipping' ? 'raised' : 'down';
    switch (this.phase) {
      case 'loading':
      case 'tipping':
        this.cover = 'open';
        break;
      case 'sealing':
      case 'opening':
      case 'closing':
        this.cover = 'partial';
        break;
      case 'outbound':
        // The unsealed driver leaves the cover open for the middle of the trip.
        this.cover = this.tripHabit === 'unsealed' && this.distanceM > 300 && this.distanceM < this.path.lengthM * 0.8 ? 'open' : 'closed';
        break;
      default:
        this.cover = 'closed';
    }
  }

  private isDriving(): boolean {
    return this.phase === 'outbound' || this.phase === 'inbound';
  }

  /** Where the truck is now, without GPS noise. */
  position(): { lon: number; lat: number; bearingDeg: number | null } {
    if (this.isDriving()) {
      const point = this.path.at(this.distanceM);
      const remaining = this.path.lengthM - this.distanceM;
      const [startOffset, endOffset] = this.phase === 'outbound' ? [this.parkingOffset, this.tippingOffset] : [this.tippingOffset, this.parkingOffset];
      const fadeStart = Math.max(0, 1 - this.distanceM / 60);
      const fadeEnd = Math.max(0, 1 - remaining / 60);
      // A detour leaves the route at a quarter of its length and rejoins it at three quarters,
      // swinging out at 45° (never faster than the truck drives, so it is no GPS jump).
      const [from, to] = [this.path.lengthM * 0.25, this.path.lengthM * 0.75];
      const out = this.detourM === 0 || this.phase !== 'outbound' ? 0 : Math.max(0, Math.min(Math.abs(this.detourM), this.distanceM - from, to - this.distanceM));
      const swing = Math.sign(this.detourM) * out;
      // At right angles to the route's overall direction (a segment's bearing would flip at each bend).
      const across = ((this.path.overallBearingDeg + 90) * Math.PI) / 180;
      const [lon, lat] = offsetMetres(
        point.lon,
        point.lat,
        startOffset[0] * fadeStart + endOffset[0] * fadeEnd + swing * Math.sin(across),
        startOffset[1] * fadeStart + endOffset[1] * fadeEnd + swing * Math.cos(across),
      );
      return { lon, lat, bearingDeg: point.bearingDeg };
    }
    if (this.dumpPoint !== null) return { lon: this.dumpPoint[0], lat: this.dumpPoint[1], bearingDeg: null };
    const atDisposal = this.phase === 'opening' || this.phase === 'tipping' || this.phase === 'closing';
    const [base, offset] = atDisposal ? [this.spec.tippingPoint, this.tippingOffset] : [this.spec.loadingPoint, this.parkingOffset];
    const [lon, lat] = offsetMetres(base[0], base[1], offset[0], offset[1]);
    return { lon, lat, bearingDeg: null };
  }

  /** The fix the terminal reports at `timeMs` (advances the GPS noise and the message counter). */
  fix(timeMs: number): TelemetryFix {
    const random = this.random;
    const { lon, lat, bearingDeg } = this.position();
    this.noiseEastM = 0.8 * this.noiseEastM + 1.2 * random.normal();
    this.noiseNorthM = 0.8 * this.noiseNorthM + 1.2 * random.normal();
    const [noisyLon, noisyLat] = offsetMetres(lon, lat, this.noiseEastM, this.noiseNorthM);
    const moving = this.isDriving() && this.speedMs > 0.3;
    if (moving && bearingDeg !== null) this.headingDeg = bearingDeg + 1.5 * random.normal();
    this.headingDeg = ((this.headingDeg % 360) + 360) % 360;
    if (random.chance(0.15)) this.satellites = Math.min(16, Math.max(8, this.satellites + (random.chance(0.5) ? 1 : -1)));
    const hdop = Math.min(2, Math.max(0.7, 0.7 + ((16 - this.satellites) / 8) * 1.1 + 0.05 * random.normal()));
    const speedKmh = moving ? Math.max(0, this.speedMs * 3.6 + 0.6 * random.normal()) : 0;
    let loadT = this.loadT;
    if (loadT > 0.5 && moving) loadT += 0.15 * random.normal();
    loadT = Math.min(this.spec.ratedLoadT * (this.tripHabit === 'overloading' ? 1.4 : 0.98), Math.max(0, loadT));
    this.seq++;
    return {
      ts: this.spec.timestampStyle === 'epoch-ms' ? timeMs : isoWithOffset(timeMs),
      lat: round(noisyLat, 6),
      lon: round(noisyLon, 6),
      speedKmh: round(speedKmh, 1),
      headingDeg: Math.round(this.headingDeg) % 360,
      altitudeM: round(Math.min(150, Math.max(15, 45 + (36.82 - lat) * 250)) + 0.8 * random.normal(), 1),
      satellites: this.satellites,
      hdop: round(hdop, 1),
      valid: true,
      ignition: this.ignition,
      mileageKm: round(this.mileageM / 1000, 1),
      seq: this.seq,
      cover: this.cover,
      body: this.body,
      load: loadState(loadT, this.spec.ratedLoadT),
      loadT: round(loadT, 1),
      sensors: { cover: 'ok', lift: 'ok', load: 'ok' },
      control: { locked: this.controls.locked, speedLimitKmh: this.controls.speedCapKmh ?? SPEED_LIMIT_KMH, liftBlocked: this.controls.liftInhibited },
    };
  }
}

function minutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

export function loadState(loadT: number, ratedLoadT: number): LoadState {
  if (loadT < 0.5) return 'empty';
  if (loadT > ratedLoadT) return 'overload';
  return loadT < 0.6 * ratedLoadT ? 'half' : 'full';
}

/** '2026-05-01T08:00:10+08:00': the local (Asia/Shanghai) time some terminals send. */
export function isoWithOffset(timeMs: number): string {
  const local = new Date(timeMs + 8 * 3_600_000).toISOString();
  const millis = timeMs % 1000 === 0 ? '' : local.slice(19, 23);
  return `${local.slice(0, 19)}${millis}+08:00`;
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
