import { describe, expect, it } from 'vitest';
import { JINMAO, linziFacts, local } from '../../compliance/scenarios/linzi-fixture.js';
import { controlDecision, controlWishes } from '../control-rules.js';
import { switches } from './switches.js';

// 鲁CA1234 leaves 金茂府 with its cover open: capped at 30 km/h; the driver closes it: released.
describe('a truck with its cover open is capped', () => {
  const facts = linziFacts();
  const fix = (cover: string | undefined) => ({ terminalId: 'T-0001', atMs: local('2026-06-01T23:00:00'), lon: JINMAO[0], lat: JINMAO[1], cover });
  const speed = (cover: string | undefined, s = switches()) => controlWishes(fix(cover), facts, s).find((w) => w.family === 'speed');

  it('open or partly open: the cap of the settings', () => {
    expect(speed('open')).toMatchObject({ policy: 'speed_cap_cover_open', restrict: true, speedKmh: 30 });
    expect(speed('partial')).toMatchObject({ restrict: true, speedKmh: 30 });
    expect(speed('open', { ...switches(), coverOpenSpeedKmh: 20 })).toMatchObject({ speedKmh: 20 });
  });

  it('closed: released; a faulty or absent sensor: no opinion', () => {
    expect(speed('closed')).toMatchObject({ restrict: false });
    expect(speed('fault')).toBeUndefined();
    expect(speed(undefined)).toBeUndefined();
  });

  it('switched off: nothing', () => {
    expect(speed('open', switches('speed_cap_cover_open'))).toBeUndefined();
  });

  it('a terminal no registered truck carries is capped as well (the cover is on the truck it rides)', () => {
    expect(controlWishes({ ...fix('open'), terminalId: 'T-unknown' }, facts, switches()).map((w) => w.family)).toEqual(['speed']);
  });

  it('a new cap value is sent again; the same cap is not', () => {
    const wish = speed('open')!;
    expect(controlDecision(null, wish, false)).toBe('issue');
    expect(controlDecision({ policy: 'speed_cap_cover_open', speedKmh: 30 }, wish, false)).toBeNull();
    expect(controlDecision({ policy: 'speed_cap_cover_open', speedKmh: 40 }, wish, false)).toBe('issue');
    expect(controlDecision({ policy: 'speed_cap_cover_open', speedKmh: 30 }, speed('closed')!, false)).toBe('release');
  });
});
