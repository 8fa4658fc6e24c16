import { describe, expect, it } from 'vitest';
import { EAST_YARD, linziFacts, loadAtJinmao, ROUTE, run } from './linzi-fixture.js';

// 鲁CC9012 is on no approval and has no 准运证, yet it carries 金茂府's muck to 南部消纳场, the yard
// 金茂府's approval designates. Two facts, two records: the transport is unlicensed (a case), and
// the load reached the right yard (a closed trip).
describe('a truck missing from the approval, without a permit, tips where the origin’s approval sends the waste', () => {
  const facts = () => linziFacts((s) => Object.assign(s.trucks.find((t) => t.id === 'truck-3')!, { permitNo: null }));

  it('closes the trip at 南部消纳场 against 金茂府’s approval, saying the truck is not on it', () => {
    const { trips } = run(loadAtJinmao('T-0003').driveAlong(ROUTE.slice(1), 36).tip().fixes, facts());
    expect(trips).toHaveLength(1);
    expect(trips[0]).toMatchObject({ status: 'closed', destinationId: 'yard-south', approvalId: null, originId: 'site-jinmao' });
    expect(trips[0]!.reasons.map((r) => r.code)).toEqual(['tipped-at-designated-site', 'closed-under-origin-approval']);
    expect(trips[0]!.reasons[1]).toMatchObject({
      detail: '鲁CC9012 is not listed on 临渣核〔2026〕017号; the load went where it sends the waste of 金茂府工地',
      params: { truck: '鲁CC9012', approval: '临渣核〔2026〕017号', site: '金茂府工地' },
    });
  });

  it('keeps the licence breach as its own unlicensed-transport case, for the whole trip', () => {
    const { trips, violations } = run(loadAtJinmao('T-0003').driveAlong(ROUTE.slice(1), 36).tip().fixes, facts());
    expect(violations.map((v) => v.type)).toEqual(['unlicensed_transport']);
    expect(violations[0]!.reasons.map((r) => r.code)).toEqual(['truck-not-on-approval', 'no-permit']);
    expect(violations[0]!.end).toEqual(trips[0]!.end);
  });

  it('tipping at a licensed yard the approval does not designate is still undesignated disposal', () => {
    const track = loadAtJinmao('T-0003').driveAlong([[118.3, 36.81], [118.34, 36.81], EAST_YARD], 36).tip();
    const { trips, violations } = run(track.fixes, facts());
    expect(violations.map((v) => v.type).sort()).toEqual(['undesignated_disposal', 'unlicensed_transport']);
    const undesignated = violations.find((v) => v.type === 'undesignated_disposal')!;
    expect(undesignated.subjectId).toBe('yard-east');
    expect(undesignated.reasons[0]).toMatchObject({ code: 'not-designated', params: { site: '东部消纳场', approval: '临渣核〔2026〕017号' } });
    expect(trips[0]).toMatchObject({ status: 'unclosed', destinationId: 'yard-east' });
  });
});
