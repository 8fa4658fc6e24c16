import { decodeTrack, type EncodedTrack } from '@muckwatch/contracts';

/**
 * Parses and decodes a track or fixes answer off the main thread: the page posts the response text
 * and gets typed columns back, transferred (not copied). A month's overview of ~10^4 fixes or a window
 * of 20,000 never costs the page a long task.
 */
export interface TrackWorkerRequest {
  id: number;
  text: string;
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
}

const scope = self as unknown as Worker;

scope.onmessage = (event: MessageEvent<TrackWorkerRequest>) => {
  const { id, text } = event.data;
  try {
    const { track, ...meta } = JSON.parse(text) as { track: EncodedTrack } & Record<string, unknown>;
    const d = decodeTrack(track);
    const answer: TrackWorkerAnswer = { id, meta, t: d.t, lat: d.lat, lon: d.lon, speed: d.speed, loadT: d.loadT, state: d.state };
    scope.postMessage(answer, [d.t.buffer, d.lat.buffer, d.lon.buffer, d.speed.buffer, d.loadT.buffer, d.state.buffer]);
  } catch (error) {
    scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
