import type { LineString, Polygon, Position } from 'geojson';

const EARTH_RADIUS_M = 6_371_008.8;
const toRad = (deg: number): number => (deg * Math.PI) / 180;
const toDeg = (rad: number): number => (rad * 180) / Math.PI;

/**
 * The corridor of a route for drawing: every point within `widthM / 2` of the line, as a polygon
 * ring with round ends and joins. A local equirectangular projection around the line's first
 * point is plenty at district scale (tens of kilometres).
 */
export function corridorPolygon(line: LineString, widthM: number, arcSteps = 8): Polygon | null {
  const points = line.coordinates;
  if (points.length < 2 || !(widthM > 0)) return null;
  const lat0 = toRad(points[0]![1]!);
  const lon0 = points[0]![0]!;
  const kx = EARTH_RADIUS_M * Math.cos(lat0);
  const project = (p: Position): [number, number] => [toRad(p[0]! - lon0) * kx, toRad(p[1]!) * EARTH_RADIUS_M];
  const unproject = ([x, y]: [number, number]): Position => [round7(lon0 + toDeg(x / kx)), round7(toDeg(y / EARTH_RADIUS_M))];

  const xy = dedupe(points.map(project));
  if (xy.length < 2) return null;
  const r = widthM / 2;

  // Walk the left side forwards and the right side backwards, with round caps and joins: the
  // outline of the union of segments' rectangles and vertices' discs (fine for non-looping lines).
  const forward = sideOutline(xy, r, arcSteps);
  const backward = sideOutline([...xy].reverse(), r, arcSteps);
  const ring = [...forward, ...backward].map(unproject);
  ring.push([...ring[0]!]);
  return { type: 'Polygon', coordinates: [ring] };
}

function round7(n: number): number {
  return Math.round(n * 1e7) / 1e7;
}

function dedupe(xy: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const p of xy) {
    const last = out[out.length - 1];
    if (!last || Math.hypot(p[0] - last[0], p[1] - last[1]) > 1e-6) out.push(p);
  }
  return out;
}

/** Left offset of a polyline with round joins on convex turns, ending with a half-circle cap. */
function sideOutline(xy: [number, number][], r: number, arcSteps: number): [number, number][] {
  const out: [number, number][] = [];
  const normal = (a: [number, number], b: [number, number]): number => Math.atan2(b[1] - a[1], b[0] - a[0]) + Math.PI / 2;
  const at = (c: [number, number], angle: number): [number, number] => [c[0] + r * Math.cos(angle), c[1] + r * Math.sin(angle)];
  let skipStart = false;
  for (let i = 0; i < xy.length - 1; i++) {
    const a = xy[i]!;
    const b = xy[i + 1]!;
    const n = normal(a, b);
    if (!skipStart) out.push(at(a, n));
    skipStart = false;
    out.push(at(b, n));
    const c = xy[i + 2];
    if (!c) continue;
    let delta = normal(b, c) - n;
    while (delta > Math.PI) delta -= 2 * Math.PI;
    while (delta < -Math.PI) delta += 2 * Math.PI;
    if (delta < 0) {
      // Convex on this side: a round join from this segment's normal to the next one's.
      const steps = Math.max(1, Math.ceil((Math.abs(delta) / Math.PI) * arcSteps));
      for (let s = 1; s < steps; s++) out.push(at(b, n + (delta * s) / steps));
    } else if (delta > 1e-9) {
      // Concave: the two offset lines meet inside the turn; that meeting point replaces both ends.
      const meet = intersect(at(a, n), at(b, n), at(b, n + delta), at(c, n + delta));
      if (meet) {
        out[out.length - 1] = meet;
        skipStart = true;
      }
    }
  }
  // Cap at the end: half circle from the left normal round to the right.
  const last = xy[xy.length - 1]!;
  const n = normal(xy[xy.length - 2]!, last);
  for (let s = 1; s < arcSteps * 2; s++) out.push(at(last, n - (Math.PI * s) / (arcSteps * 2)));
  return out;
}

/** Where the lines through p1–p2 and p3–p4 cross; null when parallel. */
function intersect(p1: [number, number], p2: [number, number], p3: [number, number], p4: [number, number]): [number, number] | null {
  const d = (p1[0] - p2[0]) * (p3[1] - p4[1]) - (p1[1] - p2[1]) * (p3[0] - p4[0]);
  if (Math.abs(d) < 1e-12) return null;
  const t = ((p1[0] - p3[0]) * (p3[1] - p4[1]) - (p1[1] - p3[1]) * (p3[0] - p4[0])) / d;
  return [p1[0] + t * (p2[0] - p1[0]), p1[1] + t * (p2[1] - p1[1])];
}
