import { describe, expect, it } from 'vitest';
import { loadAtJinmao, ROUTE, run } from './linzi-fixture.js';

// 超速: the stretch of 齐兴路 between 118.315 and 118.325 is a 40 km/h zone.
describe('overspeed in the 40 km/h city zone', () => {
  it('raises one episode for a kilometre at 60 km/h, with the limit, its source and the top speed', () => {
    const track = loadAtJinmao().driveAlong([ROUTE[1]!, [118.312, 36.81]], 36).driveTo([118.328, 36.81], 60).driveAlong(ROUTE.slice(2), 36).tip();
    const { violations } = run(track.fixes);
    expect(violations.map((v) => v.type)).toEqual(['overspeed']);
    expect(violations[0]).toMatchObject({ subjectId: 'zone:zone-city', peak: 60, townCode: '370305001' });
    expect(violations[0]!.parameters).toMatchObject({ limitKmh: 40, overspeedToleranceKmh: 5, overspeedMinDurationMs: 30_000 });
  });

  it('ignores a burst shorter than the minimum duration', () => {
    const track = loadAtJinmao().driveAlong([ROUTE[1]!, [118.318, 36.81]], 36).driveTo([118.3195, 36.81], 55).driveAlong(ROUTE.slice(2), 36).tip();
    expect(run(track.fixes).violations).toEqual([]);
  });

  it('ignores 60 km/h outside the zone when no default limit is configured, and raises it with one', () => {
    const track = loadAtJinmao().driveTo(ROUTE[1]!, 60).driveAlong(ROUTE.slice(2), 36).tip();
    expect(run(track.fixes).violations).toEqual([]);
    const { violations } = run(track.fixes, undefined, { defaultSpeedLimitKmh: 50 });
    expect(violations.map((v) => [v.type, v.subjectId])).toEqual([['overspeed', 'default']]);
  });
});
