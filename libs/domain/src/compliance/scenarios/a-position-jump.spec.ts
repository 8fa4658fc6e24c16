import { describe, expect, it } from 'vitest';
import { loadAtJinmao, ROUTE, run } from './linzi-fixture.js';

// Suspected tampering: ten seconds after a fix at the first corner, a fix 30 km south (a GPS
// spoofer switched on and off); then the truck carries on from the corner as if nothing happened.
describe('a position jump no truck can drive', () => {
  const track = loadAtJinmao().driveTo(ROUTE[1]!, 36).glitch({ lat: 36.54, speedKmh: 36 }).driveAlong(ROUTE.slice(2), 36).tip();
  const { violations, trips } = run(track.fixes);

  it('raises suspected tampering as an instant between the last trusted fix and the jump', () => {
    expect(violations.map((v) => v.type)).toEqual(['suspected_tampering']);
    const [jump] = violations;
    expect(jump!.evidence.map((p) => p.lat)).toEqual([ROUTE[1]![1], 36.54]);
    expect(jump!.peak).toBeGreaterThan(10_000);
    expect(jump!.parameters).toEqual({ maxPlausibleSpeedKmh: 200 });
    expect(jump!.end).not.toBeNull();
  });

  it('never uses the jumped fix as a position: the next fix is no jump back, the trip still closes, the distance is the road', () => {
    expect(trips[0]!.status).toBe('closed');
    expect(trips[0]!.distanceM).toBeLessThan(5_900);
  });
});
