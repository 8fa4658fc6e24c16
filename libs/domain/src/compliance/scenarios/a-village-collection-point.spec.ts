import { describe, expect, it } from 'vitest';
import { EAST_YARD, run, Track, VILLAGE_POINT } from './linzi-fixture.js';

// 日产日清: the town sends 鲁CA1234 to clear 南王村's collection point. No disposal approval
// covers a collection point; the trip is closed at any licensed disposal site.
describe('a truck clears a village collection point', () => {
  const track = new Track('T-0001', '2026-11-27T09:00:00', VILLAGE_POINT).wait(20).load(600, 12).driveTo(EAST_YARD, 30).tip();
  const { trips, violations } = run(track.fixes);

  it('makes one closed trip from the collection point to 东部消纳场, under no approval', () => {
    expect(trips).toHaveLength(1);
    expect(trips[0]).toMatchObject({ originId: 'point-nanwang', originKind: 'collection-point', approvalId: null, destinationId: 'yard-east', status: 'closed' });
  });

  it('raises nothing: no approval or time window applies, the permit is valid', () => {
    expect(violations).toEqual([]);
  });

  it('is illegal dumping all the same when the load goes into a ditch', () => {
    const ditch = new Track('T-0001', '2026-11-27T09:00:00', VILLAGE_POINT).wait(20).load(600, 12).driveTo([118.36, 36.82], 30).tip();
    const outcome = run(ditch.fixes);
    expect(outcome.violations.map((v) => v.type)).toEqual(['illegal_dumping']);
    expect(outcome.trips[0]!.status).toBe('unclosed');
  });
});
