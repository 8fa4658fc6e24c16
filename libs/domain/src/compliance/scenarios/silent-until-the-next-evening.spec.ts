import { describe, expect, it } from 'vitest';
import type { ViolationEpisode, ViolationType } from '../model.js';
import { BRICKWORKS, loadAtJinmao, ROUTE, run, type Track } from './linzi-fixture.js';

// A truck breaks a rule, then reports nothing until the next evening, from somewhere else. The
// episode is what its fixes showed: it ends at its last supporting fix, before the silence, and the
// next day's fix is no part of its evidence (the silence is its own episode, terminal offline).
const NEXT_EVENING_S = 20 * 3600;

function silentThenElsewhere(track: Track): { lastBefore: number; outcome: ReturnType<typeof run> } {
  const lastBefore = track.now;
  track.silent(NEXT_EVENING_S).set({ cover: 'closed', body: 'down' }).empty().driveTo([118.33, 36.83], 20);
  return { lastBefore, outcome: run(track.fixes) };
}

function episode(violations: ViolationEpisode[], type: ViolationType): ViolationEpisode {
  const found = violations.find((v) => v.type === type);
  if (!found) throw new Error(`no ${type} episode among ${violations.map((v) => v.type).join(', ')}`);
  return found;
}

describe('a loaded truck enters a closed disposal site, then is silent until the next evening', () => {
  const { lastBefore, outcome } = silentThenElsewhere(loadAtJinmao().driveAlong([[118.3, 36.81], BRICKWORKS], 30).wait(30));

  it('ends the closed-site episode at its last fix inside the site', () => {
    const closedSite = episode(outcome.violations, 'closed_disposal_site');
    expect(closedSite.end!.atMs).toBe(lastBefore);
    expect(closedSite.evidence.every((p) => p.atMs <= lastBefore)).toBe(true);
  });

  it('records the silence as terminal offline, from the last fix to the next', () => {
    const offline = episode(outcome.violations, 'terminal_offline');
    expect(offline.start.atMs).toBe(lastBefore);
    expect(offline.end!.atMs - lastBefore).toBe(NEXT_EVENING_S * 1000 + 10_000);
  });
});

describe('every rule that runs over fixes stops at the silence', () => {
  const cases: Array<[ViolationType, () => Track]> = [
    ['off_route', () => loadAtJinmao().driveAlong([[118.3, 36.81], [118.28, 36.79]], 36)],
    ['unsealed_transport', () => loadAtJinmao().set({ cover: 'open' }).driveAlong([ROUTE[1]!], 36)],
    ['overspeed', () => loadAtJinmao().driveTo([118.3, 36.81], 36).driveTo([118.322, 36.81], 70)],
    ['overload', () => loadAtJinmao().loaded(26).driveAlong([ROUTE[1]!], 36)],
    ['illegal_dumping', () => loadAtJinmao().driveAlong([[118.3, 36.81], [118.32, 36.81]], 36).set({ body: 'raised' }).wait(60)],
    ['outside_time_window', () => loadAtJinmao('T-0001', '2026-11-27T07:00:00').driveAlong(ROUTE.slice(1, 3), 36)],
  ];

  it.each(cases)('%s ends at its last fix before the silence, without the next day’s fix', (type, drive) => {
    const { lastBefore, outcome } = silentThenElsewhere(drive());
    const found = episode(outcome.violations, type);
    expect(found.end!.atMs).toBe(lastBefore);
    expect(found.evidence.every((p) => p.atMs <= lastBefore)).toBe(true);
  });

  it('every closed episode, of every type, ends at its newest evidence', () => {
    for (const [, drive] of cases) {
      for (const v of silentThenElsewhere(drive()).outcome.violations.filter((e) => e.end)) {
        expect(v.end!.atMs, v.id).toBe(v.evidence[v.evidence.length - 1]!.atMs);
      }
    }
  });
});
