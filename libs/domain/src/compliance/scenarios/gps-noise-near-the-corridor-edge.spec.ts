import { describe, expect, it } from 'vitest';
import { offset } from './linzi-fixture.js';
import { loadAtJinmao, ROUTE, run } from './linzi-fixture.js';

// Between tall buildings the terminal's fixes scatter: the truck keeps to the road, but fixes
// land up to 140 m from the line (40 m beyond the 100 m half-width), and once a single wild fix
// 300 m off. None of this is driving off the route.
describe('GPS noise near the edge of the corridor', () => {
  const noisy = loadAtJinmao().driveTo(ROUTE[1]!, 36);
  const base = noisy.position;
  const wobble = [130, -140, 90, 135, -120, 300, -60, 140, -135, 20];
  for (const [i, southM] of wobble.entries()) noisy.driveTo(offset(base, 100 * (i + 1), -Math.abs(southM)), 36);
  noisy.driveAlong(ROUTE.slice(2), 36).tip();

  it('raises no off-route episode', () => {
    expect(run(noisy.fixes).violations).toEqual([]);
  });

  it('would raise one with the tolerance band taken away and no fix-count hysteresis', () => {
    const { violations } = run(noisy.fixes, undefined, { offRouteToleranceM: 0, offRouteMinFixes: 1, offRouteMinDurationMs: 0 });
    expect(violations.some((v) => v.type === 'off_route')).toBe(true);
  });
});
