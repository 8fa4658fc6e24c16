import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FrameJobs } from './frame-jobs.js';

/** Animation frames run by hand: `frame()` runs the callbacks requested before it, as a browser's frame does. */
let pending: Array<() => void> = [];
const frame = (): void => {
  const callbacks = pending;
  pending = [];
  for (const callback of callbacks) callback();
};

beforeEach(() => {
  pending = [];
  globalThis.requestAnimationFrame = (callback: FrameRequestCallback): number => pending.push(() => callback(0));
  globalThis.cancelAnimationFrame = (): void => undefined;
});
afterEach(() => {
  delete (globalThis as { requestAnimationFrame?: unknown }).requestAnimationFrame;
  delete (globalThis as { cancelAnimationFrame?: unknown }).cancelAnimationFrame;
});

/** A job of `steps` steps that writes down each step it takes. */
const job = (name: string, steps: number, log: string[]) => {
  let done = 0;
  return (): boolean => {
    done += 1;
    log.push(`${name}${done}`);
    return done < steps;
  };
};

describe('FrameJobs', () => {
  it('runs one step a frame, the jobs taking turns in the order first scheduled', () => {
    const jobs = new FrameJobs();
    const log: string[] = [];
    jobs.schedule('track', job('t', 3, log));
    jobs.schedule('marks', job('m', 2, log));
    expect(log).toEqual([]);
    for (let i = 0; i < 6; i += 1) frame();
    expect(log).toEqual(['t1', 'm1', 't2', 'm2', 't3']);
    expect(pending).toEqual([]);
  });

  it('leaves frames to others, then goes on', () => {
    const jobs = new FrameJobs();
    const log: string[] = [];
    jobs.schedule('track', job('t', 3, log));
    frame();
    jobs.leaveFrames(2);
    frame();
    frame();
    expect(log).toEqual(['t1']);
    frame();
    expect(log).toEqual(['t1', 't2']);
  });

  it('a job scheduled again replaces the one pending, and a cancelled job takes no more steps', () => {
    const jobs = new FrameJobs();
    const log: string[] = [];
    jobs.schedule('track', job('old', 5, log));
    frame();
    jobs.schedule('track', job('new', 2, log));
    jobs.schedule('marks', job('m', 5, log));
    frame();
    jobs.cancel('marks');
    for (let i = 0; i < 4; i += 1) frame();
    expect(log).toEqual(['old1', 'new1', 'new2']);
  });

  it('a disposed queue runs nothing', () => {
    const jobs = new FrameJobs();
    const log: string[] = [];
    jobs.schedule('track', job('t', 3, log));
    jobs.dispose();
    frame();
    expect(log).toEqual([]);
  });
});
