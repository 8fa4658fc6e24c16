import Flatbush from 'flatbush';
import { OrderedSet } from 'js-sdsl';

type Position = [number, number];

interface Segment {
  ax: number;
  ay: number;
  bx: number;
  by: number;
  /** Position in the list of all segments (a stable tie-break). */
  id: number;
  ring: number;
  /** Index of the segment in its ring, and of the ring's last segment. */
  index: number;
  last: number;
}

/**
 * Where two segments cross (the lines' intersection within both segments, ends included), or null;
 * parallel and collinear segments never cross here (PostGIS's validity check sees overlaps).
 * The same arithmetic as turf's `kinks`, so a crossing is reported at the same place.
 */
function crossing(s: Segment, t: Segment): Position | null {
  const denominator = (t.by - t.ay) * (s.bx - s.ax) - (t.bx - t.ax) * (s.by - s.ay);
  if (denominator === 0) return null;
  const a0 = s.ay - t.ay;
  const b0 = s.ax - t.ax;
  const a = ((t.bx - t.ax) * a0 - (t.by - t.ay) * b0) / denominator;
  const b = ((s.bx - s.ax) * a0 - (s.by - s.ay) * b0) / denominator;
  if (a < 0 || a > 1 || b < 0 || b > 1) return null;
  return [s.ax + a * (s.bx - s.ax), s.ay + a * (s.by - s.ay)];
}

/** Neighbours along one closed ring share an end by construction: that is not a crossing. */
function neighbours(s: Segment, t: Segment): boolean {
  if (s.ring !== t.ring) return false;
  return Math.abs(s.index - t.index) === 1 || (s.index === 0 && t.index === s.last) || (t.index === 0 && s.index === s.last);
}

/**
 * The first crossing between segments of a polygon's closed rings — two segments of one ring that
 * are not neighbours, or any two segments of different rings — or null when there is none.
 *
 * Segments' bounding boxes go into an R-tree (flatbush), so each segment is tested only against
 * the segments whose boxes overlap its own: about n log n for a real outline instead of the n²
 * pairs of testing every segment against every other. "First" is the crossing of the lowest pair
 * (segment i, segment j > i) in ring order, and the search stops there: a ring crossing itself
 * everywhere (a star) is answered as quickly as one crossing once.
 *
 * Boxes can overlap without crossings (a comb of long parallel diagonals: every box overlaps every
 * other, ~n²/2 pairs), so the R-tree search has a budget of pair tests; past it, a sweep line
 * (Shamos–Hoey, `sweepCrossing`) answers in O(n log n) whatever the shape.
 */
export function firstCrossing(rings: readonly (readonly (readonly number[])[])[]): Position | null {
  const segments = segmentsOf(rings);
  if (segments.length < 2) return null;
  let budget = PAIR_TESTS_PER_SEGMENT * segments.length;
  const tree = new Flatbush(segments.length);
  for (const s of segments) tree.add(Math.min(s.ax, s.bx), Math.min(s.ay, s.by), Math.max(s.ax, s.bx), Math.max(s.ay, s.by));
  tree.finish();

  for (const [i, s] of segments.entries()) {
    const candidates = tree.search(Math.min(s.ax, s.bx), Math.min(s.ay, s.by), Math.max(s.ax, s.bx), Math.max(s.ay, s.by), (j) => j > i);
    budget -= candidates.length;
    if (budget < 0) return sweepCrossing(segments);
    candidates.sort((x, y) => x - y);
    for (const j of candidates) {
      const t = segments[j];
      if (t === undefined || neighbours(s, t)) continue;
      const at = crossing(s, t);
      if (at) return at;
    }
  }
  return null;
}

/** R-tree pair tests allowed per segment before the sweep line takes over (real outlines: < 10). */
const PAIR_TESTS_PER_SEGMENT = 64;

function segmentsOf(rings: readonly (readonly (readonly number[])[])[]): Segment[] {
  const segments: Segment[] = [];
  for (const [ring, positions] of rings.entries()) {
    const last = positions.length - 2;
    positions.forEach(([ax = 0, ay = 0], index) => {
      const [bx = 0, by = 0] = positions[index + 1] ?? [];
      if (index <= last) segments.push({ ax, ay, bx, by, id: segments.length, ring, index, last });
    });
  }
  return segments;
}

/** Twice the signed area of (a, b, c): > 0 when c is left of the line a→b. */
function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

/** A segment with its ends in sweep order: left = lexicographically smaller (x, then y). */
interface Swept {
  s: Segment;
  lx: number;
  ly: number;
  rx: number;
  ry: number;
}

function leftFirst(ax: number, ay: number, bx: number, by: number): boolean {
  return ax < bx || (ax === bx && ay <= by);
}

/**
 * Order of two segments on the sweep line, both crossing it: the one that starts later is placed
 * by where its left end (or, on the other's line, its right end) lies against the other's line.
 * Consistent while no two segments in the line cross, which holds up to the first crossing.
 */
function sweepOrder(p: Swept, q: Swept): number {
  if (p === q) return 0;
  if (!leftFirst(p.lx, p.ly, q.lx, q.ly) || (p.lx === q.lx && p.ly === q.ly && p.s.id > q.s.id)) {
    let o = orient(q.lx, q.ly, q.rx, q.ry, p.lx, p.ly);
    if (o === 0) o = orient(q.lx, q.ly, q.rx, q.ry, p.rx, p.ry);
    if (o !== 0) return o > 0 ? 1 : -1;
    return p.s.id - q.s.id;
  }
  return -sweepOrder(q, p);
}

/**
 * Shamos–Hoey: sweeps the segments' ends from left to right keeping the segments on the sweep line
 * in order (a red-black tree, js-sdsl), and tests only segments that become neighbours on it. The
 * leftmost crossing is between two such neighbours, so it is found after O(n log n) work, and the
 * sweep stops there. Ring neighbours meet at their shared position by construction: not a crossing.
 */
export function sweepCrossing(segments: readonly Segment[]): Position | null {
  // A repeated position (a zero-length segment) crosses nothing, as in `crossing`, and has no
  // place on the sweep line.
  const proper = segments.filter((s) => s.ax !== s.bx || s.ay !== s.by);
  const swept: Swept[] = proper.map((s) =>
    leftFirst(s.ax, s.ay, s.bx, s.by) ? { s, lx: s.ax, ly: s.ay, rx: s.bx, ry: s.by } : { s, lx: s.bx, ly: s.by, rx: s.ax, ry: s.ay },
  );
  // Events: 2·i = left end of swept[i], 2·i + 1 = its right end; at one position, left ends first.
  const events = Array.from({ length: swept.length * 2 }, (_, e) => e);
  const at = (e: number): [number, number] => {
    const w = swept[e >> 1]!;
    return e & 1 ? [w.rx, w.ry] : [w.lx, w.ly];
  };
  events.sort((e, f) => {
    const [ex, ey] = at(e);
    const [fx, fy] = at(f);
    return ex - fx || ey - fy || (e & 1) - (f & 1) || e - f;
  });
  const line = new OrderedSet<Swept>([], sweepOrder);
  const test = (p: Swept | undefined, q: Swept | undefined): Position | null =>
    p && q && !neighbours(p.s, q.s) ? crossing(p.s, q.s) : null;
  /** The segments just below and just above one on the sweep line. */
  const around = (w: Swept): { it: ReturnType<typeof line.find>; below?: Swept; above?: Swept } => {
    const it = line.find(w);
    if (it.equals(line.end())) return { it };
    const below = it.equals(line.begin()) ? undefined : it.copy().pre().pointer;
    const next = it.copy().next();
    return { it, below, above: next.equals(line.end()) ? undefined : next.pointer };
  };
  for (const e of events) {
    const w = swept[e >> 1]!;
    if ((e & 1) === 0) {
      line.insert(w);
      const { below, above } = around(w);
      const found = test(w, below) ?? test(w, above);
      if (found) return found;
    } else {
      const { it, below, above } = around(w);
      const found = test(below, above);
      if (found) return found;
      if (!it.equals(line.end())) line.eraseElementByIterator(it);
    }
  }
  return null;
}
