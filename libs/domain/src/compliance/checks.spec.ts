import { describe, expect, it } from 'vitest';
import {
  checkLicence,
  classifyTipping,
  corridorVerdict,
  loadedFromSensor,
  lowestLimit,
  overloadBreach,
  overspeedBreach,
  tamperingBreach,
  timeWindowBreach,
  unsealedBreach,
} from './checks.js';
import type { ComplianceFix } from './model.js';
import { DEFAULT_COMPLIANCE_RULES as rules } from './rules.js';
import { linziSnapshot, local } from './scenarios/linzi-fixture.js';

// Each rule alone: one fix, the facts, a verdict with its reasons and parameters.
const registry = linziSnapshot();
const truck = registry.trucks[0]!;
const approval = registry.approvals[0]!;
const route = registry.routes[0]!;
const site = { ...registry.constructionSites[0]!, kind: 'construction-site' as const };
const fix = (over: Partial<ComplianceFix> = {}): ComplianceFix => ({
  terminalId: 'T-0001',
  fixTimeMs: local('2026-11-26T23:00:00'),
  receivedAtMs: local('2026-11-26T23:00:01'),
  lat: 36.81,
  lon: 118.32,
  speedKmh: 36,
  ...over,
});

describe('each rule alone', () => {
  it('load: tonnes first, then the load state, unknown without a working sensor', () => {
    expect(loadedFromSensor(fix({ loadT: 18, load: 'empty' }), rules)).toBe(true);
    expect(loadedFromSensor(fix({ loadT: 1 }), rules)).toBe(false);
    expect(loadedFromSensor(fix({ load: 'half' }), rules)).toBe(true);
    expect(loadedFromSensor(fix({ loadT: 18, sensors: { load: 'offline' } }), rules)).toBeNull();
    expect(loadedFromSensor(fix(), rules)).toBeNull();
  });

  it('unsealed: open or partial cover, loaded and moving, a working cover sensor', () => {
    expect(unsealedBreach(fix({ cover: 'open' }), true, rules)?.reasons[0]!.code).toBe('cover-open');
    expect(unsealedBreach(fix({ cover: 'partial' }), true, rules)).not.toBeNull();
    expect(unsealedBreach(fix({ cover: 'open' }), false, rules)).toBeNull();
    expect(unsealedBreach(fix({ cover: 'open', speedKmh: 2 }), true, rules)).toBeNull();
    expect(unsealedBreach(fix({ cover: 'open', sensors: { cover: 'short' } }), true, rules)).toBeNull();
  });

  it('corridor: inside, in the tolerance band, outside', () => {
    expect(corridorVerdict(118.32, 36.81, [route], rules)?.where).toBe('inside');
    expect(corridorVerdict(118.32, 36.81 - 130 / 111_195, [route], rules)?.where).toBe('margin');
    const out = corridorVerdict(118.32, 36.81 - 400 / 111_195, [route], rules);
    expect(out).toMatchObject({ where: 'outside', nearestRouteId: 'route-jinmao-south' });
    expect(out?.distanceM).toBeCloseTo(300, 0);
    expect(corridorVerdict(118.32, 36.81, [], rules)).toBeNull();
  });

  it('time window: judged in Shanghai time, stopped trucks are not running', () => {
    const night = registry.timeWindows;
    expect(timeWindowBreach(fix(), night, rules)).toBeNull();
    expect(timeWindowBreach(fix({ fixTimeMs: local('2026-11-27T12:00:00') }), night, rules)?.reasons[0]!.detail).toContain('2026-11-27 12:00');
    expect(timeWindowBreach(fix({ fixTimeMs: local('2026-11-27T12:00:00'), speedKmh: 0 }), night, rules)).toBeNull();
  });

  it('speed: the lowest applicable limit wins', () => {
    expect(lowestLimit([{ id: 'a', limitKmh: 60 }, { id: 'b', limitKmh: 40 }], [], false, rules)).toEqual({ limitKmh: 40, source: 'zone:b' });
    expect(lowestLimit([{ id: 'a', limitKmh: 60 }], [{ ...route, speedLimitKmh: 30 }], true, rules)).toEqual({ limitKmh: 30, source: 'route:route-jinmao-south' });
    expect(lowestLimit([], [{ ...route, speedLimitKmh: 30 }], false, rules)).toBeNull();
    expect(overspeedBreach(fix({ speedKmh: 45 }), { limitKmh: 40, source: 'zone:b' }, rules)).toBeNull();
    expect(overspeedBreach(fix({ speedKmh: 46 }), { limitKmh: 40, source: 'zone:b' }, rules)?.measure).toBe(46);
  });

  it('overload: rated load plus tolerance, or the terminal’s own overload state', () => {
    expect(overloadBreach(fix({ loadT: 21 }), truck, rules)).toBeNull();
    expect(overloadBreach(fix({ loadT: 21.1 }), truck, rules)?.measure).toBe(21.1);
    expect(overloadBreach(fix({ load: 'overload' }), truck, rules)?.reasons[0]!.code).toBe('terminal-reports-overload');
    expect(overloadBreach(fix({ loadT: 30 }), { ...truck, ratedLoadT: null }, rules)).toBeNull();
  });

  it('licence: approval valid that day, truck listed, permit valid', () => {
    const at = local('2026-11-26T23:00:00');
    expect(checkLicence(site, [approval], truck, at)).toEqual({ approval, problems: [] });
    expect(checkLicence(site, [approval], truck, local('2027-01-01T01:00:00')).problems.map((p) => p.code)).toEqual(['no-valid-approval']);
    expect(checkLicence(site, [approval], { ...truck, id: 'other' }, at).problems.map((p) => p.code)).toEqual(['truck-not-on-approval']);
    expect(checkLicence(site, [approval], { ...truck, permitNo: null }, at).problems.map((p) => p.code)).toEqual(['no-permit']);
    expect(checkLicence(null, [], truck, at).problems.map((p) => p.code)).toEqual(['unknown-origin']);
    // 2026-12-31 23:30 in Linzi is still 2026 (15:30 UTC): the approval holds.
    expect(checkLicence(site, [approval], truck, local('2026-12-31T23:30:00')).problems).toEqual([]);
  });

  it('tipping: designated, another licensed site, a banned site, nowhere', () => {
    const [south, east, brickworks] = registry.disposalSites as [typeof registry.disposalSites[0], typeof registry.disposalSites[0], typeof registry.disposalSites[0]];
    expect(classifyTipping([south], [approval])).toMatchObject({ tripStatus: 'closed', violation: null });
    expect(classifyTipping([east], [approval]).violation?.type).toBe('undesignated_disposal');
    expect(classifyTipping([east], [])).toMatchObject({ tripStatus: 'unclosed', violation: null });
    expect(classifyTipping([east], [], true)).toMatchObject({ tripStatus: 'closed', violation: null });
    expect(classifyTipping([brickworks], [approval]).violation?.type).toBe('closed_disposal_site');
    expect(classifyTipping([], [approval]).violation?.type).toBe('illegal_dumping');
  });

  it('tampering: an implied speed above the plausible maximum', () => {
    const previous = { atMs: local('2026-11-26T22:59:50'), lon: 118.32, lat: 36.81 };
    expect(tamperingBreach(previous, fix({ lon: 118.3205 }), rules)).toBeNull();
    expect(tamperingBreach(previous, fix({ lat: 36.9 }), rules)?.measure).toBeGreaterThan(3_000);
  });
});
