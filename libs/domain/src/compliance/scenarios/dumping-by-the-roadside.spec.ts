import { describe, expect, it } from 'vitest';
import { loadAtJinmao, run } from './linzi-fixture.js';

// Halfway along the route the driver stops on 齐兴路 and raises the body: 违规倾倒.
describe('a loaded truck tips by the roadside, outside every disposal site', () => {
  const roadside: [number, number] = [118.32, 36.81];
  const track = loadAtJinmao().driveAlong([[118.3, 36.81], roadside], 36).tip(120).driveTo([118.3, 36.81], 36);
  const { trips, violations } = run(track.fixes);

  it('raises one illegal-dumping episode while the body is up, where it happened', () => {
    expect(violations.map((v) => v.type)).toEqual(['illegal_dumping']);
    const [dumping] = violations;
    expect(dumping).toMatchObject({ severity: 'critical', truckId: 'truck-1', approvalId: 'approval-jinmao', townCode: '370305001', subjectId: null });
    expect(dumping!.start.lon).toBeCloseTo(roadside[0], 6);
    // From the first to the last fix with the body up (twelve fixes, 10 s apart).
    expect(dumping!.end!.atMs - dumping!.start.atMs).toBe(110_000);
    expect(dumping!.reasons.map((r) => r.code)).toEqual(['outside-disposal-sites', 'lift-raised']);
    expect(dumping!.tripId).toBe(trips[0]!.id);
  });

  it('ends the trip there, unclosed', () => {
    expect(trips).toHaveLength(1);
    expect(trips[0]).toMatchObject({ status: 'unclosed', destinationId: null });
    expect(trips[0]!.reasons[0]!.code).toBe('tipped-outside-sites');
  });

  it('keeps the track segment as evidence', () => {
    expect(violations[0]!.evidence.length).toBeGreaterThanOrEqual(12);
  });
});
