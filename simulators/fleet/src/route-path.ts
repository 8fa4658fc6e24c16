import type { LonLat } from '@muckwatch/linzi';

const EARTH_RADIUS_M = 6_371_008.8;
const toRad = Math.PI / 180;

export interface PathPoint {
  lon: number;
  lat: number;
  /** Bearing of the segment, degrees clockwise from north, [0, 360). */
  bearingDeg: number;
}

/** A polyline measured once, so that positions along it are cheap to look up. */
export class RoutePath {
  readonly lengthM: number;
  /** Distance from the start of each vertex. */
  private readonly cumulative: number[];
  private readonly bearings: number[];
  /** Distance of each bend (turn > 30°) from the start, and its turn in degrees. */
  readonly bends: Array<{ atM: number; turnDeg: number }>;
  /** Bearing from the first point to the last. */
  readonly overallBearingDeg: number;

  constructor(readonly points: readonly LonLat[]) {
    this.cumulative = [0];
    this.bearings = [];
    for (let i = 1; i < points.length; i++) {
      this.cumulative.push(this.cumulative[i - 1]! + distanceM(points[i - 1]!, points[i]!));
      this.bearings.push(bearingDeg(points[i - 1]!, points[i]!));
    }
    this.lengthM = this.cumulative[this.cumulative.length - 1]!;
    this.overallBearingDeg = points.length > 1 ? bearingDeg(points[0]!, points[points.length - 1]!) : 0;
    this.bends = [];
    for (let i = 1; i < this.bearings.length; i++) {
      const turn = Math.abs(((this.bearings[i]! - this.bearings[i - 1]! + 540) % 360) - 180);
      if (turn > 30) this.bends.push({ atM: this.cumulative[i]!, turnDeg: turn });
    }
  }

  reversed(): RoutePath {
    return new RoutePath([...this.points].reverse());
  }

  at(distance: number): PathPoint {
    const d = Math.min(Math.max(distance, 0), this.lengthM);
    let i = 1;
    while (i < this.cumulative.length - 1 && this.cumulative[i]! < d) i++;
    const start = this.cumulative[i - 1]!;
    const span = this.cumulative[i]! - start;
    const f = span > 0 ? (d - start) / span : 0;
    const a = this.points[i - 1]!;
    const b = this.points[i]!;
    return { lon: a[0] + (b[0] - a[0]) * f, lat: a[1] + (b[1] - a[1]) * f, bearingDeg: this.bearings[i - 1] ?? 0 };
  }

  /** The next bend at or after `distance`, or null. */
  nextBend(distance: number): { atM: number; turnDeg: number } | null {
    return this.bends.find((bend) => bend.atM >= distance) ?? null;
  }
}

export function distanceM(a: LonLat, b: LonLat): number {
  const dLat = (b[1] - a[1]) * toRad;
  const dLon = (b[0] - a[0]) * toRad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * toRad) * Math.cos(b[1] * toRad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function bearingDeg(a: LonLat, b: LonLat): number {
  const y = Math.sin((b[0] - a[0]) * toRad) * Math.cos(b[1] * toRad);
  const x = Math.cos(a[1] * toRad) * Math.sin(b[1] * toRad) - Math.sin(a[1] * toRad) * Math.cos(b[1] * toRad) * Math.cos((b[0] - a[0]) * toRad);
  return ((Math.atan2(y, x) / toRad) + 360) % 360;
}

/** Moves a point by east/north metres. */
export function offsetMetres(lon: number, lat: number, eastM: number, northM: number): LonLat {
  return [lon + eastM / (111_320 * Math.cos(lat * toRad)), lat + northM / 111_320];
}

/** A posted speed limit over a polygon (its outer ring, [lon, lat]). */
export interface SpeedZoneRing {
  ring: ReadonlyArray<readonly [number, number]>;
  limitKmh: number;
}

/** Point in polygon ring (even-odd rule). */
export function insideRing(lon: number, lat: number, ring: ReadonlyArray<readonly [number, number]>): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
