import { describe, expect, it } from 'vitest';
import { loadAtJinmao, ROUTE, run } from './linzi-fixture.js';

// The terminal lost the network at the site and uploads its buffered fixes an hour later, 500 at
// a time. The trip had a short cut and an open cover in it: they still happened.
describe('a backlog uploaded an hour late', () => {
  const drive = (delayMs: number) =>
    loadAtJinmao('T-0001')
      .arriving(delayMs)
      .set({ cover: 'open' })
      .driveTo(ROUTE[1]!, 36)
      .set({ cover: 'closed' })
      .driveAlong([[118.305, 36.806], [118.32, 36.806], [118.325, 36.81]], 36)
      .driveAlong(ROUTE.slice(2), 36)
      .tip();

  const live = run(drive(1_000).fixes);
  const late = run(drive(3_600_000).fixes);

  it('produces the same trips and violations as live data would have', () => {
    const shape = (o: typeof live) => ({
      trips: o.trips.map((t) => ({ ...t, reportedLate: null })),
      violations: o.violations.map((v) => ({ ...v, reportedLate: null })),
    });
    expect(live.violations.map((v) => v.type).sort()).toEqual(['off_route', 'unsealed_transport']);
    expect(shape(late)).toEqual(shape(live));
  });

  it('marks them reported late, and the live ones not', () => {
    expect(late.violations.every((v) => v.reportedLate)).toBe(true);
    expect(late.trips.every((t) => t.reportedLate)).toBe(true);
    expect(live.violations.some((v) => v.reportedLate)).toBe(false);
  });

  it('keeps the fix times: the episodes happened an hour before they were known', () => {
    const episode = late.violations.find((v) => v.type === 'off_route')!;
    expect(episode.start).toEqual(live.violations.find((v) => v.type === 'off_route')!.start);
  });
});
