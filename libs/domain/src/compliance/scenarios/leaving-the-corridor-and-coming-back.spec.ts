import { describe, expect, it } from 'vitest';
import { loadAtJinmao, offset, ROUTE, run } from './linzi-fixture.js';

// 偏离路线: at the first corner the driver takes a short cut through 南王村, 400 m south of the
// approved road, and rejoins it two kilometres on.
describe('a loaded truck leaves its corridor for a short cut and comes back', () => {
  const corner = ROUTE[1]!;
  const detour = [offset(corner, 300, -400), offset(corner, 1700, -400)];
  const rejoin = offset(corner, 2000, 0);
  const track = loadAtJinmao().driveTo(corner, 36).driveAlong([...detour, rejoin], 36).driveAlong(ROUTE.slice(2), 36).tip();
  const { violations, trips } = run(track.fixes);

  it('raises one off-route episode, not one per fix', () => {
    expect(violations.map((v) => v.type)).toEqual(['off_route']);
  });

  it('ends the episode when the truck is back inside the corridor, before it tips', () => {
    const [episode] = violations;
    expect(episode!.end).not.toBeNull();
    expect(episode!.end!.atMs).toBeLessThan(trips[0]!.end!.atMs - 3 * 60_000);
    expect(episode!.end!.lon).toBeLessThan(rejoin[0] + 0.001);
  });

  it('records how far out it went and the rule that applied', () => {
    const [episode] = violations;
    expect(episode!.peak).toBeGreaterThan(250);
    expect(episode!.peak).toBeLessThan(320);
    expect(episode!.subjectId).toBe('route-jinmao-south');
    expect(episode!.parameters).toMatchObject({ offRouteToleranceM: 50, offRouteMinFixes: 3, corridorWidthM: 200 });
  });

  it('still closes the trip at the designated site', () => {
    expect(trips[0]!.status).toBe('closed');
  });
});
