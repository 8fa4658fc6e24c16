import { describe, expect, it } from 'vitest';
import { loadAtJinmao, ROUTE, run } from './linzi-fixture.js';

// 超载: 鲁CA1234 is rated 20 t; 5 % tolerance lets 21 t pass.
describe('a truck loaded above its rated load', () => {
  it('raises overload at 26 t, from the loading site to the tipping', () => {
    const track = loadAtJinmao().loaded(26).driveAlong(ROUTE.slice(1), 36).tip();
    const { violations } = run(track.fixes);
    expect(violations.map((v) => v.type)).toEqual(['overload']);
    expect(violations[0]).toMatchObject({ peak: 26, parameters: { ratedLoadT: 20, overloadTolerance: 0.05 } });
    expect(violations[0]!.reasons[0]!.detail).toBe('26 t on a truck rated 20 t (limit 21 t)');
    expect(violations[0]!.end).not.toBeNull();
  });

  it('lets 20.8 t pass within the tolerance', () => {
    const track = loadAtJinmao().loaded(20.8).driveAlong(ROUTE.slice(1), 36).tip();
    expect(run(track.fixes).violations).toEqual([]);
  });

  it('ignores a single jolt of the load cell', () => {
    const track = loadAtJinmao().driveTo([118.3, 36.815], 36).loaded(24).driveTo([118.3, 36.8149], 36).loaded(18).driveAlong(ROUTE.slice(1), 36).tip();
    expect(run(track.fixes).violations).toEqual([]);
  });
});
