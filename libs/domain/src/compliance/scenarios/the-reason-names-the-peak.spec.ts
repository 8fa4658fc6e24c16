import { describe, expect, it } from 'vitest';
import type { ViolationEpisode, ViolationType } from '../model.js';
import { loadAtJinmao, ROUTE, run } from './linzi-fixture.js';

// A case states its worst value twice: as the peak, and in the reason's sentence and params. The
// driver who strays 800 m and then 2 km is "2 km outside" in both, at close as at every update.
function closed(type: ViolationType, fixes: Parameters<typeof run>[0]): { episode: ViolationEpisode; updates: ViolationEpisode[] } {
  const { events } = run(fixes);
  const mine = events.flatMap((e) => (e.kind !== 'trip.started' && e.kind !== 'trip.ended' && e.violation.type === type ? [e] : []));
  const last = mine[mine.length - 1];
  if (last?.kind !== 'violation.closed') throw new Error(`no closed ${type} episode`);
  return { episode: last.violation, updates: mine.filter((e) => e.kind === 'violation.updated').map((e) => e.violation) };
}

describe('the reason states the peak', () => {
  it('off route: the distance in the reason grows with the peak, to kilometres', () => {
    const track = loadAtJinmao().driveAlong([[118.3, 36.81], [118.28, 36.79], [118.3, 36.81]], 36).driveAlong(ROUTE.slice(2), 36).tip();
    const { episode, updates } = closed('off_route', track.fixes);
    expect(episode.peak!).toBeGreaterThan(2000);
    expect(episode.reasons[0]!.params!['distanceM']).toBe(Math.round(episode.peak!));
    expect(episode.reasons[0]!.detail).toMatch(new RegExp(`^${Math.round(episode.peak!)} m outside`));
    for (const u of updates) expect(u.reasons[0]!.params!['distanceM']).toBe(Math.round(u.peak!));
  });

  it('overspeed: the speed in the reason is the top speed', () => {
    const track = loadAtJinmao().driveTo([118.3, 36.81], 36).driveTo([118.318, 36.81], 50).driveTo([118.324, 36.81], 75).driveAlong(ROUTE.slice(2), 36).tip();
    const { episode } = closed('overspeed', track.fixes);
    expect(episode.peak).toBe(75);
    expect(episode.reasons[0]!.params).toMatchObject({ speedKmh: 75, limitKmh: 40 });
    expect(episode.reasons[0]!.detail).toMatch(/^75 km\/h/);
  });

  it('overload: the load in the reason is the heaviest', () => {
    const track = loadAtJinmao().loaded(23).driveTo([118.3, 36.81], 36).loaded(26.5).driveAlong(ROUTE.slice(2), 36).tip();
    const { episode } = closed('overload', track.fixes);
    expect(episode.peak).toBe(26.5);
    expect(episode.reasons.map((r) => r.code)).toEqual(['above-rated-load']);
    expect(episode.reasons[0]!.params).toMatchObject({ loadT: 26.5, ratedT: 20 });
    expect(episode.reasons[0]!.detail).toMatch(/^26.5 t/);
  });
});
