import { unpackReplayState, type DecodedTrack } from '@muckwatch/contracts';

/**
 * The sensor timeline's series, cut down to what the chart can show (built in the track worker): a
 * month's overview has tens of thousands of fixes, the chart is about a thousand pixels wide, and
 * handing ECharts every fix as a `[time, value]` pair cost the page a long task.
 */

/** One series as parallel columns: epoch ms, and the value (NaN: not reported, a gap in the line). */
export interface TimelineColumns {
  t: Float64Array;
  v: Float64Array;
}

/** Speed and load as lines, ignition, cover and body as bands (`base`, or `base + 0.7` while the state holds). */
export interface TimelineSeries {
  speed: TimelineColumns;
  load: TimelineColumns;
  ignition: TimelineColumns;
  cover: TimelineColumns;
  body: TimelineColumns;
}

const same = (a: number, b: number): boolean => a === b || (Number.isNaN(a) && Number.isNaN(b));

/**
 * M4 downsampling: per bucket of time (one per pixel), the first, smallest, largest and last point,
 * in time order. A line through them covers the same pixels as a line through every point, so peaks
 * and dips survive (LTTB would pick one point a bucket and can drop a short spike). A run of NaN
 * (not reported) is kept as one NaN point, so the gap stays a gap.
 */
export function m4(t: ArrayLike<number>, v: ArrayLike<number>, fromMs: number, toMs: number, buckets: number): TimelineColumns {
  const n = Math.min(t.length, v.length);
  if (n <= 4 * buckets) return { t: Float64Array.from({ length: n }, (_, i) => t[i]!), v: Float64Array.from({ length: n }, (_, i) => v[i]!) };
  const outT: number[] = [];
  const outV: number[] = [];
  const width = Math.max(1, (toMs - fromMs) / buckets);
  let bucket = Number.NaN;
  let first = -1;
  let min = -1;
  let max = -1;
  let last = -1;
  const flush = (): void => {
    if (first < 0) return;
    // The four indices in time order, each once.
    const picks = [first, min, max, last].sort((a, b) => a - b);
    for (let k = 0; k < picks.length; k += 1) {
      if (k > 0 && picks[k] === picks[k - 1]) continue;
      outT.push(t[picks[k]!]!);
      outV.push(v[picks[k]!]!);
    }
    first = -1;
  };
  for (let i = 0; i < n; i += 1) {
    const value = v[i]!;
    if (Number.isNaN(value)) {
      flush();
      bucket = Number.NaN;
      if (outV.length === 0 || !Number.isNaN(outV[outV.length - 1]!)) {
        outT.push(t[i]!);
        outV.push(value);
      }
      continue;
    }
    const b = Math.floor((t[i]! - fromMs) / width);
    if (b !== bucket) {
      flush();
      bucket = b;
      first = min = max = last = i;
      continue;
    }
    last = i;
    if (value < v[min]!) min = i;
    if (value > v[max]!) max = i;
  }
  flush();
  return { t: Float64Array.from(outT), v: Float64Array.from(outV) };
}

/** The points where a step line changes value, with the first and the last: the line drawn is the same. */
export function stepChanges(t: ArrayLike<number>, v: ArrayLike<number>): TimelineColumns {
  const n = Math.min(t.length, v.length);
  const keep: number[] = [];
  for (let i = 0; i < n; i += 1) {
    if (i === 0 || i === n - 1 || !same(v[i]!, v[i - 1]!)) keep.push(i);
  }
  return { t: Float64Array.from(keep, (i) => t[i]!), v: Float64Array.from(keep, (i) => v[i]!) };
}

/**
 * The timeline of a track for a chart `buckets` pixels wide: speed by M4, load at its changes (then
 * M4 when it changes more often than the chart can show), and every change of the three bands.
 */
export function timelineSeries(track: DecodedTrack, buckets: number): TimelineSeries {
  const n = track.count;
  const fromMs = n ? track.t[0]! : 0;
  const toMs = n ? track.t[n - 1]! : 0;
  const ignition = new Float64Array(n);
  const cover = new Float64Array(n);
  const body = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    const s = unpackReplayState(track.state[i]!);
    ignition[i] = s.ignition ? 4.7 : 4;
    cover[i] = s.cover === 'closed' ? 2.7 : 2;
    body[i] = s.body === 'raised' ? 0.7 : 0;
  }
  // Tenths of a tonne, as the API sent them (the Float32 column reads 12.3 as 12.300000190734863).
  const load = stepChanges(track.t, Float64Array.from(track.loadT, (x) => Math.round(x * 10) / 10));
  return {
    speed: m4(track.t, track.speed, fromMs, toMs, buckets),
    load: m4(load.t, load.v, fromMs, toMs, buckets),
    ignition: stepChanges(track.t, ignition),
    cover: stepChanges(track.t, cover),
    body: stepChanges(track.t, body),
  };
}
