import { unpackReplayMarks, type PackedReplayMarks, type ReplayExportFormat, type ReplayMarks, type TruckRecord } from '@muckwatch/contracts';
import { apiFetch, errorFrom, getJson, withQuery } from '../api/http.js';
import { downloadWithAuth } from '../violations/case-api.js';

/** The replay API (libs/contracts/src/api/replay.ts lists every endpoint). */
const base = (truck: string): string => `/api/v1/replay/${encodeURIComponent(truck)}`;
const period = (fromMs: number, toMs: number) => ({ from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() });

/**
 * The body of a track or fixes answer as text: read off the network without blocking, and parsed
 * and decoded in the worker (track-worker.ts), never on the main thread.
 */
async function text(path: string, signal?: AbortSignal): Promise<string> {
  const response = await apiFetch(path, { headers: { Accept: 'application/json' }, ...(signal ? { signal } : {}) });
  if (!response.ok) throw await errorFrom('GET', path, response);
  return response.text();
}

export const fetchTrackText = (truck: string, fromMs: number, toMs: number, zoom: number, signal?: AbortSignal): Promise<string> =>
  text(withQuery(`${base(truck)}/track`, { ...period(fromMs, toMs), zoom }), signal);

export const fetchFixesText = (truck: string, fromMs: number, toMs: number, limit: number, signal?: AbortSignal): Promise<string> =>
  text(withQuery(`${base(truck)}/fixes`, { ...period(fromMs, toMs), limit }), signal);

/** The marks, read packed (a month's are ~1/10 the bytes to fetch and parse) and unpacked. */
export const fetchMarks = async (truck: string, fromMs: number, toMs: number, minStopMinutes: number, signal?: AbortSignal): Promise<ReplayMarks> =>
  unpackReplayMarks(await getJson<PackedReplayMarks>(withQuery(`${base(truck)}/marks`, { ...period(fromMs, toMs), minStopMinutes, format: 'packed' }), signal));

export const downloadTrack = (truck: string, format: ReplayExportFormat, fromMs: number, toMs: number): Promise<void> =>
  downloadWithAuth(withQuery(`${base(truck)}/export.${format}`, period(fromMs, toMs)), `track.${format}`);

/** The registry's trucks the picker searches by plate. */
export const fetchTrucks = (signal?: AbortSignal): Promise<TruckRecord[]> => getJson<TruckRecord[]>('/api/v1/trucks', signal);
