import { describe, expect, it } from 'vitest';
import { loadAtJinmao, offset, ROUTE, run, Track } from './linzi-fixture.js';

// 无证运输 / 黑渣土车: the trip itself is the violation when no valid approval and permit cover it.
describe('unlicensed transport', () => {
  it('a truck not listed on the approval: one episode for the whole trip, which runs under no approval (and still closes at the designated site)', () => {
    const track = loadAtJinmao('T-0003').driveAlong(ROUTE.slice(1), 36).tip();
    const { violations, trips } = run(track.fixes);
    expect(violations.map((v) => v.type)).toEqual(['unlicensed_transport']);
    expect(violations[0]!.reasons.map((r) => r.code)).toEqual(['truck-not-on-approval']);
    expect(violations[0]!.reasons[0]!.detail).toBe('鲁CC9012 is not listed on 临渣核〔2026〕017号');
    expect(violations[0]!.start.atMs).toBe(trips[0]!.start.atMs);
    expect(violations[0]!.end).toEqual(trips[0]!.end);
    expect(trips[0]).toMatchObject({ approvalId: null, status: 'closed', destinationId: 'yard-south', plate: '鲁CC9012' });
  });

  it('a truck whose transport permit expired in October', () => {
    const track = loadAtJinmao('T-0002').driveAlong(ROUTE.slice(1), 36).tip();
    const { violations, trips } = run(track.fixes);
    expect(violations.map((v) => v.type)).toEqual(['unlicensed_transport']);
    expect(violations[0]!.reasons.map((r) => r.code)).toEqual(['permit-invalid']);
    expect(trips[0]).toMatchObject({ approvalId: 'approval-jinmao', status: 'closed' });
  });

  it('a site whose approval ran out last year', () => {
    const site: [number, number] = [118.4, 36.83];
    const track = new Track('T-0001', '2026-11-26T22:00:00', site).wait(20).load(300).driveTo(offset(site, 0, -1500), 36);
    const { violations, trips } = run(track.fixes);
    expect(violations.map((v) => v.type)).toEqual(['unlicensed_transport']);
    expect(violations[0]!.reasons[0]!.code).toBe('no-valid-approval');
    expect(violations[0]!.reasons[0]!.detail).toContain('临渣核〔2025〕102号 (2025-01-01…2025-12-31)');
    expect(violations[0]!.townCode).toBe('370305102');
    expect(trips[0]).toMatchObject({ originId: 'site-expired', status: 'open' });
    expect(violations[0]!.end).toBeNull();
  });

  it('a truck that loads somewhere no site is registered', () => {
    const field: [number, number] = [118.29, 36.84];
    const track = new Track('T-0001', '2026-11-26T22:00:00', field).wait(60).loaded(18).wait(60).driveTo(offset(field, 1000, 0), 36);
    const { violations, trips } = run(track.fixes);
    expect(violations[0]!.reasons.map((r) => r.code)).toEqual(['unknown-origin']);
    expect(trips[0]).toMatchObject({ originId: null, originKind: null });
  });

  it('a terminal the registry does not know: one case, unregistered terminal, from its first fix; its trip is a note on it', () => {
    const track = loadAtJinmao('T-9999').driveAlong(ROUTE.slice(1), 36).tip();
    const { violations } = run(track.fixes);
    expect(violations.map((v) => v.type)).toEqual(['unregistered_terminal']);
    const [unregistered] = violations;
    expect(unregistered).toMatchObject({ truckId: null, plate: null, end: null, severity: 'high' });
    expect(unregistered!.start.atMs).toBe(track.fixes[0]!.fixTimeMs);
    expect(unregistered!.reasons.map((r) => r.code)).toEqual(['terminal-not-bound', 'trip-without-registered-truck']);
    expect(unregistered!.reasons[1]!.params).toEqual({ trips: 1, origin: '金茂府工地', startedAt: '2026-11-26 22:05' });
  });
});
