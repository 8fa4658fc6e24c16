import Flatbush from 'flatbush';

type Position = [number, number];

interface Segment {
  ax: number;
  ay: number;
  bx: number;
  by: number;
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
 */
export function firstCrossing(rings: readonly (readonly (readonly number[])[])[]): Position | null {
  const segments: Segment[] = [];
  for (const [ring, positions] of rings.entries()) {
    const last = positions.length - 2;
    positions.forEach(([ax = 0, ay = 0], index) => {
      const [bx = 0, by = 0] = positions[index + 1] ?? [];
      if (index <= last) segments.push({ ax, ay, bx, by, ring, index, last });
    });
  }
  if (segments.length < 2) return null;
  const tree = new Flatbush(segments.length);
  for (const s of segments) tree.add(Math.min(s.ax, s.bx), Math.min(s.ay, s.by), Math.max(s.ax, s.bx), Math.max(s.ay, s.by));
  tree.finish();

  for (const [i, s] of segments.entries()) {
    const candidates = tree.search(Math.min(s.ax, s.bx), Math.min(s.ay, s.by), Math.max(s.ax, s.bx), Math.max(s.ay, s.by), (j) => j > i);
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
