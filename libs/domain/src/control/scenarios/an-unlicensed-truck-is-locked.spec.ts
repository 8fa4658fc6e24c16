import { describe, expect, it } from 'vitest';
import { JINMAO, linziFacts, local } from '../../compliance/scenarios/linzi-fixture.js';
import { controlDecision, controlWishes } from '../control-rules.js';
import { switches } from './switches.js';

// 鲁CB5678's 准运证 ran out in October; 鲁CC9012 is on no approval; 鲁CA1234 has both.
describe('an unlicensed truck is locked', () => {
  const facts = linziFacts();
  const lock = (terminalId: string, day = '2026-11-15T09:00:00') =>
    controlWishes({ terminalId, atMs: local(day), lon: JINMAO[0], lat: JINMAO[1] }, facts, switches('lift_outside_disposal', 'speed_cap_cover_open'))[0];

  it('an expired permit or no approval: locked, with the reason', () => {
    expect(lock('T-0002')).toMatchObject({ policy: 'lock_unlicensed', restrict: true, reason: 'transport permit 准运-鲁CB5678 not valid on 2026-11-15' });
    expect(lock('T-0003')).toMatchObject({ restrict: true, reason: 'no approval valid on 2026-11-15 lists 鲁CC9012' });
  });

  it('both valid: unlocked; the same truck before its permit ran out: unlocked', () => {
    expect(lock('T-0001')).toMatchObject({ restrict: false });
    expect(lock('T-0002', '2026-10-31T23:59:00')).toMatchObject({ restrict: false });
  });

  it('a lock a dispatcher set by hand is left alone, and a policy releases only its own', () => {
    const wish = lock('T-0002')!;
    expect(controlDecision(null, wish, true)).toBeNull();
    expect(controlDecision(null, wish, false)).toBe('issue');
    expect(controlDecision({ policy: 'lock_unlicensed' }, wish, false)).toBeNull();
    expect(controlDecision(null, lock('T-0001')!, false)).toBeNull();
    expect(controlDecision({ policy: 'lock_unlicensed' }, lock('T-0001')!, false)).toBe('release');
  });
});
