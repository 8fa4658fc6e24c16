import { describe, expect, it } from 'vitest';
import { loadAtJinmao, offset, ROUTE, run, Track, type LonLat } from './linzi-fixture.js';

// T-7777 is fitted to a truck nobody registered. Every trip it makes lacks a registered truck for
// the same reason it is unregistered: one root cause, so one case, which notes the trips.
describe('a terminal bound to no truck runs two trips', () => {
  const track = loadAtJinmao('T-7777').driveAlong(ROUTE.slice(1), 36).tip().driveAlong([...ROUTE].reverse(), 40).load(300).driveAlong(ROUTE.slice(1), 36).tip();
  const { trips, violations, events } = run(track.fixes);

  it('raises unregistered terminal once and no unlicensed transport', () => {
    expect(trips).toHaveLength(2);
    expect(violations.map((v) => v.type)).toEqual(['unregistered_terminal']);
  });

  it('notes the trips on that case, counting them, the latest named', () => {
    const [unregistered] = violations;
    expect(unregistered!.reasons.map((r) => r.code)).toEqual(['terminal-not-bound', 'trip-without-registered-truck']);
    expect(unregistered!.reasons[1]!.params).toMatchObject({ trips: 2, origin: '金茂府工地' });
    expect(events.filter((e) => e.kind === 'violation.updated' && e.violation.type === 'unregistered_terminal')).toHaveLength(2);
  });

  it('still closes each trip at the yard 金茂府’s approval designates', () => {
    expect(trips.map((t) => t.status)).toEqual(['closed', 'closed']);
    expect(trips[0]!.reasons[1]!.params).toMatchObject({ truck: 'T-7777' });
  });

  it('a load from somewhere unregistered keeps its own case: the unknown origin is another cause', () => {
    const field: LonLat = [118.29, 36.84];
    const fromField = new Track('T-7777', '2026-11-26T22:00:00', field).wait(60).loaded(18).wait(60).driveTo(offset(field, 1000, 0), 36);
    const outcome = run(fromField.fixes);
    expect(outcome.violations.map((v) => v.type).sort()).toEqual(['unlicensed_transport', 'unregistered_terminal']);
    expect(outcome.violations.find((v) => v.type === 'unlicensed_transport')!.reasons.map((r) => r.code)).toEqual(['unknown-origin']);
  });
});
