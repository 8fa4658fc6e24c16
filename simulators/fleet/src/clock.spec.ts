import { describe, expect, it } from 'vitest';
import { defaultStartTimeMs, SimClock } from './clock.js';
import { FleetSimulator } from './fleet-simulator.js';

const WALL = Date.parse('2026-05-01T08:00:00Z');

describe('SimClock', () => {
  it('runs in real time at speedup 1, starting now', () => {
    const clock = new SimClock({ startTimeMs: defaultStartTimeMs(WALL, 1), wallStartMs: WALL, speedup: 1 });
    expect(clock.at(WALL)).toBe(WALL);
    expect(clock.at(WALL + 61_000)).toBe(WALL + 61_000);
  });

  it('with a speedup starts an hour back, runs faster, and then holds to the wall clock', () => {
    const clock = new SimClock({ startTimeMs: defaultStartTimeMs(WALL, 60), wallStartMs: WALL, speedup: 60 });
    expect(clock.at(WALL)).toBe(WALL - 3_600_000);
    expect(clock.at(WALL + 30_000)).toBe(WALL - 1_800_000);
    expect(clock.caughtUp(WALL + 30_000)).toBe(false);
    // 3600 s / (60 − 1) ≈ 61 s of wall time to catch up
    expect(clock.at(WALL + 62_000)).toBe(WALL + 62_000);
    expect(clock.caughtUp(WALL + 62_000)).toBe(true);
    expect(clock.at(WALL + 3_600_000)).toBe(WALL + 3_600_000);
  });

  it('never runs ahead of the wall clock, whatever the speedup and start', () => {
    for (const speedup of [1, 2, 10, 60, 3600]) {
      for (const start of [WALL - 86_400_000, WALL - 60_000, WALL, WALL + 600_000]) {
        const clock = new SimClock({ startTimeMs: start, wallStartMs: WALL, speedup });
        for (let wall = WALL; wall < WALL + 7_200_000; wall += 9_973) expect(clock.at(wall)).toBeLessThanOrEqual(wall);
      }
    }
  });

  it('refuses a speedup below 1', () => {
    expect(() => new SimClock({ startTimeMs: WALL, wallStartMs: WALL, speedup: 0.5 })).toThrow(/speedup/);
  });

  it('driving the simulator, never yields a fix dated after the wall clock', () => {
    const clock = new SimClock({ startTimeMs: defaultStartTimeMs(WALL, 120), wallStartMs: WALL, speedup: 120 });
    const simulator = new FleetSimulator({ seed: 3, trucks: 20, startTimeMs: clock.startTimeMs });
    let count = 0;
    for (let wall = WALL; wall <= WALL + 120_000; wall += 250) {
      for (const fix of simulator.advanceTo(clock.at(wall))) {
        expect(fix.timeMs).toBeLessThanOrEqual(wall);
        count++;
      }
    }
    // an hour of catch-up plus about a minute in real time: 20 trucks × ~372 fixes
    expect(count).toBeGreaterThan(20 * 360);
  });
});
