import type { CoverState, LoadState, TelemetryFix } from '@muckwatch/contracts';
import type { LonLat } from '@muckwatch/linzi';
import type { Random } from './random.js';
import { offsetMetres, RoutePath } from './route-path.js';

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
}

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
export class TruckSimulation {
  phase: TruckPhase = 'queueing';
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
    for (let s = 0; s < seconds; s++) this.step();
  }

  private step(): void {
    switch (this.phase) {
      case 'queueing':
      case 'break':
        if (--this.phaseLeftSec <= 0) this.startLoading();
        break;
      case 'loading':
        if (--this.nextBucketSec <= 0) {
          this.loadT = Math.min(this.targetLoadT, this.loadT + this.random.range(1.4, 2.6));
          this.nextBucketSec = this.random.range(35, 70);
        }
        if (this.loadT >= this.targetLoadT) this.enter('sealing', this.random.range(20, 40));
        break;
      case 'sealing':
        if (--this.phaseLeftSec <= 0) this.startDriving('outbound');
        break;
      case 'opening':
        if (--this.phaseLeftSec <= 0) {
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
        if (--this.phaseLeftSec <= 0) this.startDriving('inbound');
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
    this.targetLoadT = this.spec.ratedLoadT * this.random.range(0.8, 0.95);
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
    if (phase === 'outbound') this.tippingOffset = [this.random.range(-40, 40), this.random.range(-40, 40)];
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
    if (this.waitLeftSec > 0) {
      this.waitLeftSec--;
      return;
    }
    // slowly wandering cruising speed (traffic), mean-reverting to 1
    this.cruiseFactor += 0.02 * (1 - this.cruiseFactor) + 0.01 * this.random.normal();
    this.cruiseFactor = Math.min(1.12, Math.max(0.75, this.cruiseFactor));
    const loaded = this.phase === 'outbound';
    let target = Math.min(MAX_SPEED_MS, this.cruiseMs * this.cruiseFactor * (loaded ? 0.92 : 1.05));

    const remaining = this.path.lengthM - this.distanceM;
    if (this.distanceM < 80 || remaining < 80) target = Math.min(target, SITE_SPEED_MS);
    target = Math.min(target, Math.sqrt(2 * PLANNING_DECELERATION * Math.max(0, remaining - 3)));

    while (this.bends.length > 0 && this.bends[0]!.atM < this.distanceM - 1) this.bends.shift();
    const bend = this.bends[0];
    if (bend) {
      const ahead = bend.atM - this.distanceM;
      const bendSpeed = bend.waitSec > 0 ? 0 : (bend.turnDeg > 60 ? 12 : 18) * KMH;
      target = Math.min(target, Math.sqrt(bendSpeed ** 2 + 2 * PLANNING_DECELERATION * Math.max(0, ahead - 4)));
      if (bend.waitSec > 0 && ahead < 10 && this.speedMs < 0.5) {
        this.speedMs = 0;
        this.waitLeftSec = Math.round(bend.waitSec);
        bend.waitSec = 0;
        return;
      }
    }

    const change = Math.min(ACCELERATION, Math.max(-DECELERATION, target - this.speedMs));
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
      const [lon, lat] = offsetMetres(
        point.lon,
        point.lat,
        startOffset[0] * fadeStart + endOffset[0] * fadeEnd,
        startOffset[1] * fadeStart + endOffset[1] * fadeEnd,
      );
      return { lon, lat, bearingDeg: point.bearingDeg };
    }
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
    loadT = Math.min(this.spec.ratedLoadT * 0.98, Math.max(0, loadT));
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
      control: { locked: false, speedLimitKmh: SPEED_LIMIT_KMH, liftBlocked: false },
    };
  }
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
