import { describe, expect, it } from 'vitest';
import { EAST_YARD, loadAtJinmao, run } from './linzi-fixture.js';

// 东部消纳场 is licensed, but the approval designates 南部消纳场: the load went to the wrong yard.
describe('a truck tips at a licensed disposal site its approval does not designate', () => {
  const track = loadAtJinmao().driveAlong([[118.3, 36.81], [118.34, 36.81], EAST_YARD], 36).tip(60);
  const { trips, violations } = run(track.fixes, undefined, { offRouteToleranceM: 1e9 }); // the detour also leaves the corridor: its own scenario

  it('raises undesignated disposal, naming the site', () => {
    const episode = violations.find((v) => v.type === 'undesignated_disposal');
    expect(episode).toMatchObject({ subjectId: 'yard-east', severity: 'medium', townCode: '370305102' });
    expect(episode!.reasons[0]!.detail).toContain('临渣核〔2026〕017号');
  });

  it('is not illegal dumping', () => {
    expect(violations.some((v) => v.type === 'illegal_dumping')).toBe(false);
  });

  it('ends the trip unclosed at 东部消纳场', () => {
    expect(trips[0]).toMatchObject({ status: 'unclosed', destinationId: 'yard-east', destinationName: '东部消纳场' });
  });
});
