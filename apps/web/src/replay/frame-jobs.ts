import type { InjectionKey } from 'vue';

/** One step of a job: returns true while there is more to do. */
export type FrameStep = () => boolean;

/**
 * The replay page's work spread over animation frames, one step a frame for the whole page: the
 * track's chunks, the marks' chunks, the timeline's charts. A browser runs every animation-frame
 * callback of a frame in one task, so chunks that each took a frame of their own still made one long
 * task whenever they met in the same frame (a track chunk, a chunk of marks and ECharts drawing the
 * timeline: 150–180 ms on the development machine). Jobs take turns, in the order they were first
 * scheduled; a frame can be left to work outside the queue (ECharts draws a chart in the frame after
 * its option is set: `leaveFrames`).
 */
export class FrameJobs {
  private readonly jobs = new Map<string, FrameStep>();
  private frame = 0;
  private idle = 0;

  /** Runs `step` in coming frames until it returns false; replaces a job of the same name still pending. */
  schedule(name: string, step: FrameStep): void {
    this.jobs.delete(name);
    this.jobs.set(name, step);
    this.request();
  }

  cancel(name: string): void {
    this.jobs.delete(name);
  }

  /** The next `frames` frames run no job: they are another's (a chart drawing itself). */
  leaveFrames(frames: number): void {
    this.idle = Math.max(this.idle, frames);
    this.request();
  }

  dispose(): void {
    this.jobs.clear();
    cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  private request(): void {
    this.frame ||= requestAnimationFrame(this.run);
  }

  private readonly run = (): void => {
    this.frame = 0;
    if (this.idle > 0) {
      this.idle -= 1;
      this.request();
      return;
    }
    const first = this.jobs.entries().next();
    if (first.done) return;
    const [name, step] = first.value;
    // Taken off before it runs: a step may schedule its own job again (or another).
    this.jobs.delete(name);
    if (step() && !this.jobs.has(name)) this.jobs.set(name, step);
    if (this.jobs.size > 0 || this.idle > 0) this.request();
  };
}

/** The page's queue, provided by ReplayPage to its map layer and its timeline. */
export const FRAME_JOBS: InjectionKey<FrameJobs> = Symbol('replay frame jobs');
