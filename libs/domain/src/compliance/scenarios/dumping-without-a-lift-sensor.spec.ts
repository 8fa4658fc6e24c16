import { describe, expect, it } from 'vitest';
import { loadAtJinmao, run } from './linzi-fixture.js';

// An older truck has no lift (举升) sensor: its terminal reports no body state. It stops on the
// verge of 齐兴路, inside the route's corridor, and its load cell drops from 18 t to nothing: that is a tipping too.
describe('a truck without a lift sensor stops and its load drops outside any disposal site', () => {
  const verge: [number, number] = [118.32, 36.8095];
  const track = loadAtJinmao().set({ body: undefined }).driveAlong([[118.3, 36.81], [118.32, 36.81], verge], 36).wait(60).empty().wait(60).driveTo([118.32, 36.81], 30);
  const { trips, violations } = run(track.fixes);

  it('raises illegal dumping at the stop, as an instant with the load drop as its reason', () => {
    expect(violations.map((v) => v.type)).toEqual(['illegal_dumping']);
    expect(violations[0]!.reasons.map((r) => r.code)).toEqual(['outside-disposal-sites', 'load-drop']);
    expect(violations[0]!.end!.atMs).toBe(violations[0]!.start.atMs);
    expect(violations[0]!.parameters).toMatchObject({ liftSensor: false });
  });

  it('ends the trip unclosed', () => {
    expect(trips.map((t) => t.status)).toEqual(['unclosed']);
  });
});
