import { describe, expect, it } from 'vitest';
import { loadAtJinmao, ROUTE, run } from './linzi-fixture.js';

// 未密闭: the tarp stays open as the loaded truck drives off; spillage on the road.
describe('a loaded truck drives with its cover open', () => {
  it('raises unsealed transport after the grace period, from the first open fix to the last one before the cover shuts', () => {
    const track = loadAtJinmao().set({ cover: 'open' }).driveAlong([ROUTE[1]!], 36);
    const shutAt = track.now;
    track.set({ cover: 'closed' }).driveAlong(ROUTE.slice(2), 36).tip();
    const { violations } = run(track.fixes);
    expect(violations.map((v) => v.type)).toEqual(['unsealed_transport']);
    const [episode] = violations;
    expect(episode!.end!.atMs).toBe(shutAt);
    expect(episode!.evidence.every((p) => p.atMs <= shutAt)).toBe(true);
    expect(episode!.end!.atMs - episode!.start.atMs).toBeGreaterThan(60_000);
    expect(episode!.parameters).toMatchObject({ unsealedGraceMs: 60_000 });
    expect(episode!.reasons[0]!.code).toBe('cover-open');
  });

  it('forgives a cover still closing in the first 40 seconds', () => {
    const track = loadAtJinmao().set({ cover: 'partial' }).driveTo([118.3, 36.8175], 30).set({ cover: 'closed' }).driveAlong(ROUTE.slice(1), 36).tip();
    expect(run(track.fixes).violations).toEqual([]);
  });

  it('does not count an open cover on the way back empty', () => {
    const track = loadAtJinmao().driveAlong(ROUTE.slice(1), 36).tip().set({ cover: 'open' }).driveAlong([...ROUTE].reverse(), 40);
    expect(run(track.fixes).violations).toEqual([]);
  });
});
