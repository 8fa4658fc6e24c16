import { describe, expect, it } from 'vitest';
import { loadAtJinmao, local, ROUTE, run } from './linzi-fixture.js';

// A loaded truck leaves 金茂府 at about 22:10, runs the approved route at 36 km/h with the cover
// shut, and tips at 南部消纳场, the site its approval designates.
describe('a clean night trip from 金茂府 to 南部消纳场', () => {
  const track = loadAtJinmao('T-0001', '2026-11-26T22:05:00').driveAlong(ROUTE.slice(1), 36).tip(90).driveTo([118.34, 36.803], 20);
  const { trips, violations } = run(track.fixes);

  it('makes one closed trip under the approval, from the site to the designated disposal site', () => {
    expect(trips).toHaveLength(1);
    const [trip] = trips;
    expect(trip).toMatchObject({
      status: 'closed',
      truckId: 'truck-1',
      plate: '鲁CA1234',
      approvalId: 'approval-jinmao',
      approvalNumber: '临渣核〔2026〕017号',
      originId: 'site-jinmao',
      originKind: 'construction-site',
      destinationId: 'yard-south',
      destinationName: '南部消纳场',
      townCode: '370305001',
      reportedLate: false,
    });
    expect(trip!.reasons[0]!.code).toBe('tipped-at-designated-site');
  });

  it('starts when the truck leaves the site and ends when the body goes up', () => {
    const [trip] = trips;
    expect(trip!.start.atMs).toBeGreaterThan(local('2026-11-26T22:10:00'));
    expect(trip!.start.atMs).toBeLessThan(local('2026-11-26T22:11:00'));
    expect(trip!.end!.atMs - trip!.start.atMs).toBeGreaterThan(9 * 60_000);
  });

  it('measures the distance driven (about 5.6 km of route)', () => {
    expect(trips[0]!.distanceM).toBeGreaterThan(5_400);
    expect(trips[0]!.distanceM).toBeLessThan(5_900);
  });

  it('raises no violation', () => {
    expect(violations).toEqual([]);
  });
});
