import { markRaw } from 'vue';
import type { DecodedTrack } from '@muckwatch/contracts';
import type { TrackDrawing, TrackWorkerAnswer } from './track-worker.js';

export interface DecodedAnswer<M> {
  meta: M;
  track: DecodedTrack;
  drawing: TrackDrawing;
}

/**
 * One worker per page, decoding answers in order; `dispose` ends it. `chartWidth` asks for the
 * timeline's series too. The answer is marked raw: Vue never walks its columns.
 */
export function createTrackDecoder(): { decode<M>(text: string, chartWidth?: number): Promise<DecodedAnswer<M>>; dispose(): void } {
  const worker = new Worker(new URL('./track-worker.ts', import.meta.url), { type: 'module' });
  const pending = new Map<number, { resolve: (a: TrackWorkerAnswer) => void; reject: (e: Error) => void }>();
  let next = 1;
  worker.onmessage = (event: MessageEvent<TrackWorkerAnswer & { error?: string }>) => {
    const waiting = pending.get(event.data.id);
    if (!waiting) return;
    pending.delete(event.data.id);
    if (event.data.error !== undefined) waiting.reject(new Error(event.data.error));
    else waiting.resolve(event.data);
  };
  return {
    async decode<M>(text: string, chartWidth?: number): Promise<DecodedAnswer<M>> {
      const id = next++;
      const answer = await new Promise<TrackWorkerAnswer>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, text, chartWidth: chartWidth ?? null });
      });
      const { t, lat, lon, speed, loadT, state } = answer;
      return { meta: answer.meta as M, track: markRaw({ count: t.length, t, lat, lon, speed, loadT, state }), drawing: markRaw(answer.drawing) };
    },
    dispose() {
      worker.terminate();
      for (const { reject } of pending.values()) reject(new Error('disposed'));
      pending.clear();
    },
  };
}
