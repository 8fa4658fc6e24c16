import Flatbush from 'flatbush';

type Position = [number, number];

/**
 * Where two segments cross (the lines' intersection within both segments, ends included), or null;
 * parallel and collinear segments never cross here (PostGIS's validity check sees overlaps).
 * The same arithmetic as turf's `kinks`, so a crossing is reported at the same place.
 */
function crossing(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): Position | null {
  const denominator = (dy - cy) * (bx - ax) - (dx - cx) * (by - ay);
  if (denominator === 0) return null;
  const a0 = ay - cy;
  const b0 = ax - cx;
  const a = ((dx - cx) * a0 - (dy - cy) * b0) / denominator;
  const b = ((bx - ax) * a0 - (by - ay) * b0) / denominator;
  if (a < 0 || a > 1 || b < 0 || b > 1) return null;
  return [ax + a * (bx - ax), ay + a * (by - ay)];
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
  let n = 0;
  for (const ring of rings) n += Math.max(ring.length - 1, 0);
  if (n < 2) return null;
  const coords = new Float64Array(n * 4);
  const ringOf = new Int32Array(n);
  const indexInRing = new Int32Array(n);
  const ringLength = new Int32Array(rings.length);
  const tree = new Flatbush(n);
  let s = 0;
  for (const [r, ring] of rings.entries()) {
    ringLength[r] = ring.length - 1;
    for (let i = 0; i + 1 < ring.length; i++, s++) {
      const [ax, ay] = ring[i] as [number, number];
      const [bx, by] = ring[i + 1] as [number, number];
      coords.set([ax, ay, bx, by], s * 4);
      ringOf[s] = r;
      indexInRing[s] = i;
      tree.add(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by));
    }
  }
  tree.finish();

  /** Neighbours along one closed ring share an end by construction: that is not a crossing. */
  const neighbours = (i: number, j: number): boolean => {
    if (ringOf[i] !== ringOf[j]) return false;
    const last = ringLength[ringOf[i]!]! - 1;
    const p = indexInRing[i]!;
    const q = indexInRing[j]!;
    return Math.abs(p - q) === 1 || (p === 0 && q === last) || (q === 0 && p === last);
  };

  for (let i = 0; i < n; i++) {
    const o = i * 4;
    const ax = coords[o]!;
    const ay = coords[o + 1]!;
    const bx = coords[o + 2]!;
    const by = coords[o + 3]!;
    const candidates = tree.search(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by), (j) => j > i && !neighbours(i, j));
    candidates.sort((x, y) => x - y);
    for (const j of candidates) {
      const q = j * 4;
      const at = crossing(ax, ay, bx, by, coords[q]!, coords[q + 1]!, coords[q + 2]!, coords[q + 3]!);
      if (at) return at;
    }
  }
  return null;
}
