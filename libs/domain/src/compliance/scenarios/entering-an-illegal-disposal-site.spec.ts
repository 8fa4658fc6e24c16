import { describe, expect, it } from 'vitest';
import { BRICKWORKS, loadAtJinmao, run } from './linzi-fixture.js';

// The old brickworks west of town (西郊废弃砖厂) is registered as an illegal dump. A loaded truck
// drives in, tips, and drives out.
describe('a loaded truck enters an illegal disposal site and tips there', () => {
  const track = loadAtJinmao().driveAlong([[118.3, 36.81], BRICKWORKS], 30).tip(60).driveTo([118.31, 36.8], 30);
  const { trips, violations } = run(track.fixes, undefined, { offRouteToleranceM: 1e9 }); // leaving the corridor: its own scenario

  it('raises one closed/illegal-site episode from entering to leaving, with the tipping among its reasons', () => {
    const episodes = violations.filter((v) => v.type === 'closed_disposal_site');
    expect(episodes).toHaveLength(1);
    expect(episodes[0]).toMatchObject({ subjectId: 'yard-brickworks', severity: 'critical' });
    expect(episodes[0]!.reasons.map((r) => r.code)).toEqual(['entered-illegal-site', 'tipped-at-illegal-site']);
    expect(episodes[0]!.end).not.toBeNull();
  });

  it('is not reported as illegal dumping a second time', () => {
    expect(violations.filter((v) => v.type === 'illegal_dumping')).toEqual([]);
  });

  it('ends the trip unclosed at the brickworks', () => {
    expect(trips[0]).toMatchObject({ status: 'unclosed', destinationId: 'yard-brickworks' });
  });
});
