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

// A loaded truck that drives off with its tarp open and then stands, cover still open, for hours:
// the standing fixes neither raise nor end the pending run ('hold'); its evidence stays bounded.
describe('a pending run held open for hours', () => {
  const track = (standS: number) =>
    loadAtJinmao().set({ cover: 'open' }).driveAlong([ROUTE[1]!], 36).wait(standS).driveAlong(ROUTE.slice(2), 36).set({ cover: 'closed' }).driveAlong([ROUTE[3]!], 36);
  const rules = { unsealedGraceMs: 2 * 3_600_000, maxEvidencePoints: 50 };

  it('keeps at most maxEvidencePoints of evidence while pending, and the episode still starts at the first open fix', () => {
    const standing = loadAtJinmao().set({ cover: 'open' }).driveAlong([ROUTE[1]!], 36).wait(3 * 3_600);
    const held = run(standing.fixes, undefined, rules);
    const pending = held.engine.state.pending.unsealed_transport;
    expect(pending).toBeDefined();
    expect(pending!.evidence.length).toBeLessThanOrEqual(50);
    // Uncapped, every standing fix would be there.
    expect(run(standing.fixes, undefined, { ...rules, maxEvidencePoints: 5_000 }).engine.state.pending.unsealed_transport!.evidence.length).toBeGreaterThan(1_000);

    const long = run(track(3 * 3_600).fixes, undefined, rules).violations;
    expect(long.map((v) => v.type)).toEqual(['unsealed_transport']);
    expect(long[0]!.evidence.length).toBeLessThanOrEqual(50);
    expect(long[0]!.evidenceThinned).toBe(true);
    // The same start as when the truck had stood for longer than the grace without anything to thin.
    const short = run(track(2 * 3_600 + 60).fixes, undefined, { ...rules, maxEvidencePoints: 5_000 }).violations;
    expect(long[0]!.start).toEqual(short[0]!.start);
  });
});
