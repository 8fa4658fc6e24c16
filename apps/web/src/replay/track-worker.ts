import { decodeTrack, type DecodedTrack, type EncodedTrack } from '@muckwatch/contracts';
import { colourRuns, type ColourMode } from './replay-view.js';
import { timelineSeries, type TimelineSeries } from './timeline-series.js';

/**
 * Parses and decodes a track or fixes answer off the main thread, and prepares what the page draws
 * from it: the runs of one colour for each colour mode, the bounds, and (for the overview) the
 * timeline's series cut down to the chart's width. Typed columns come back transferred, not copied.
 * Everything here is linear in the fixes; on the main thread a month's overview of ~2·10^4 fixes cost
 * the page a long task (the chart's and the map's per-fix objects), here it costs nothing visible.
 */
export interface TrackWorkerRequest {
  id: number;
  text: string;
  /** Pixels the timeline spans: builds `timeline` when set. */
  chartWidth: number | null;
}

/** The runs of one colour: fix indices as (first, last) pairs (runs share their boundary fix), and each run's colour. */
export interface ColourRuns {
  ends: Uint32Array;
  colours: string[];
}

/** What the map and the chart draw of a track, prepared in the worker. */
export interface TrackDrawing {
  /** south, west, north, east; null for no fixes */
  bounds: [number, number, number, number] | null;
  runs: Record<ColourMode, ColourRuns>;
  timeline: TimelineSeries | null;
}

export interface TrackWorkerAnswer {
  id: number;
  /** The answer without its track, as the API sent it. */
  meta: Record<string, unknown>;
  t: Float64Array;
  lat: Float64Array;
  lon: Float64Array;
  speed: Float32Array;
  loadT: Float32Array;
  state: Uint16Array;
  drawing: TrackDrawing;
}

function runsOf(mode: ColourMode, track: DecodedTrack): ColourRuns {
  const runs = colourRuns(mode, track.speed, track.state);
  const ends = new Uint32Array(runs.length * 2);
  runs.forEach(([from, to], i) => {
    ends[2 * i] = from;
    ends[2 * i + 1] = to;
  });
  return { ends, colours: runs.map((r) => r[2]) };
}

function boundsOf(track: DecodedTrack): [number, number, number, number] | null {
  if (track.count === 0) return null;
  let [south, west, north, east] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < track.count; i += 1) {
    south = Math.min(south, track.lat[i]!);
    north = Math.max(north, track.lat[i]!);
    west = Math.min(west, track.lon[i]!);
    east = Math.max(east, track.lon[i]!);
  }
  return [south, west, north, east];
}

const scope = self as unknown as Worker;

scope.onmessage = (event: MessageEvent<TrackWorkerRequest>) => {
  const { id, text, chartWidth } = event.data;
  try {
    const { track, ...meta } = JSON.parse(text) as { track: EncodedTrack } & Record<string, unknown>;
    const d = decodeTrack(track);
    const timeline = chartWidth ? timelineSeries(d, chartWidth) : null;
    const drawing: TrackDrawing = { bounds: boundsOf(d), runs: { speed: runsOf('speed', d), load: runsOf('load', d) }, timeline };
    const answer: TrackWorkerAnswer = { id, meta, t: d.t, lat: d.lat, lon: d.lon, speed: d.speed, loadT: d.loadT, state: d.state, drawing };
    const series = timeline ? [timeline.speed, timeline.load, timeline.ignition, timeline.cover, timeline.body].flatMap((c) => [c.t.buffer, c.v.buffer]) : [];
    scope.postMessage(answer, [d.t.buffer, d.lat.buffer, d.lon.buffer, d.speed.buffer, d.loadT.buffer, d.state.buffer, drawing.runs.speed.ends.buffer, drawing.runs.load.ends.buffer, ...series]);
  } catch (error) {
    scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
