import { describe, expect, it } from 'vitest';
import { EAST_YARD, JINMAO, SOUTH_YARD, linziFacts, local } from '../../compliance/scenarios/linzi-fixture.js';
import { controlWishes } from '../control-rules.js';
import { switches } from './switches.js';

// 鲁CA1234 runs under 临渣核〔2026〕017号, which designates 南部消纳场 only. Its lift is inhibited
// everywhere else — at the roadside and at 东部消纳场 (designated only by an approval that ran
// out in 2025) — and released inside 南部消纳场.
describe('a truck outside its designated disposal site may not tip', () => {
  const facts = linziFacts();
  const at = (where: [number, number], body = 'down', terminalId = 'T-0001') =>
    controlWishes({ terminalId, atMs: local('2026-06-01T23:00:00'), lon: where[0], lat: where[1], body }, facts, switches('speed_cap_cover_open', 'lock_unlicensed'));

  it('inhibited on the road and at another yard, with the raised body in the reason', () => {
    expect(at(JINMAO)).toEqual([expect.objectContaining({ policy: 'lift_outside_disposal', restrict: true, reason: 'outside the designated disposal sites' })]);
    expect(at(EAST_YARD, 'raised')).toEqual([expect.objectContaining({ restrict: true, reason: 'outside the designated disposal sites; body raised' })]);
  });

  it('released inside its designated site', () => {
    expect(at(SOUTH_YARD, 'raised')).toEqual([expect.objectContaining({ restrict: false, reason: 'inside designated disposal site 南部消纳场' })]);
  });

  it('a truck on no valid approval has no site to tip at', () => {
    expect(at(SOUTH_YARD, 'down', 'T-0003')).toEqual([expect.objectContaining({ restrict: true, reason: 'no valid approval designates a disposal site' })]);
  });

  it('a terminal no registered truck carries: no opinion', () => {
    expect(at(JINMAO, 'raised', 'T-unknown')).toEqual([]);
  });
});
