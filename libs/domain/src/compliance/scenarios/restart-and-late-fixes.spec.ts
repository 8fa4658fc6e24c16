import { describe, expect, it } from 'vitest';
import { replayFixes, supersededBy, TruckCompliance } from '../truck-compliance.js';
import type { ComplianceEvent } from '../model.js';
import { linziFacts, loadAtJinmao, offset, ROUTE, run, summarise } from './linzi-fixture.js';

// The API restarts while a truck is mid-trip and mid-episode (off its corridor with the cover
// open). Its state comes back either from the last checkpoint or by replaying stored fixes.
describe('state survives a restart', () => {
  const facts = linziFacts();
  const corner = ROUTE[1]!;
  const track = loadAtJinmao()
    .driveTo(corner, 36)
    .set({ cover: 'open' })
    .driveAlong([offset(corner, 300, -400), offset(corner, 1700, -400)], 36)
    .set({ cover: 'closed' })
    .driveAlong([offset(corner, 2000, 0), ...ROUTE.slice(2)], 36)
    .tip();
  const fixes = track.fixes;
  const crash = fixes.findIndex((f) => f.lon > offset(corner, 1000, 0)[0]);
  const uninterrupted = run(fixes, facts);

  it('is plain JSON: a checkpoint taken mid-episode restores an engine that finishes the same way', () => {
    const { engine } = replayFixes('T-0001', fixes.slice(0, crash), facts);
    expect(engine.trip?.status).toBe('open');
    expect(engine.openEpisodes().map((v) => v.type).sort()).toEqual(['off_route', 'unsealed_transport']);
    const checkpoint = JSON.parse(JSON.stringify(engine.state)) as unknown as TruckCompliance['state'];
    const restored = new TruckCompliance(checkpoint);
    const after: ComplianceEvent[] = [];
    for (const fix of fixes.slice(crash)) after.push(...restored.apply(fix, facts).events);
    const before = replayFixes('T-0001', fixes.slice(0, crash), facts).events;
    expect(summarise([...before, ...after])).toEqual(summarise(uninterrupted.events));
    expect(restored.state).toEqual(uninterrupted.engine.state);
  });

  it('replaying the stored fixes from nothing gives an identical state at every point', () => {
    const live = new TruckCompliance('T-0001');
    for (const [i, fix] of fixes.entries()) {
      live.apply(fix, facts);
      if (i % 25 === 0) expect(replayFixes('T-0001', fixes.slice(0, i + 1), facts).engine.state).toEqual(live.state);
    }
  });
});

describe('a fix older than the state’s last fix', () => {
  const facts = linziFacts();
  const track = loadAtJinmao().driveTo(ROUTE[1]!, 36).set({ cover: 'open' }).driveTo([118.33, 36.81], 36).set({ cover: 'closed' }).driveAlong(ROUTE.slice(2), 36).tip();
  const fixes = track.fixes;
  const lateOne = fixes.findIndex((f) => f.cover === 'open') + 3;
  const withoutIt = fixes.filter((_, i) => i !== lateOne);

  it('is refused as out-of-order, and a duplicate as duplicate', () => {
    const { engine } = replayFixes('T-0001', withoutIt, facts);
    expect(engine.apply(fixes[lateOne]!, facts)).toEqual({ outcome: 'out-of-order', events: [] });
    expect(engine.apply(fixes[fixes.length - 1]!, facts)).toEqual({ outcome: 'duplicate', events: [] });
  });

  it('is taken in by replaying from a checkpoint before it: same episodes as if it had come in order, with the same ids', () => {
    const checkpointAt = lateOne - 10;
    const checkpoint = replayFixes('T-0001', withoutIt.slice(0, checkpointAt), facts).engine.state;
    expect(checkpoint.lastFixTimeMs).toBeLessThan(fixes[lateOne]!.fixTimeMs);
    const stored = [...withoutIt, { ...fixes[lateOne]!, receivedAtMs: fixes[lateOne]!.fixTimeMs + 3_600_000 }];
    const rebuilt = replayFixes(checkpoint, stored.filter((f) => f.fixTimeMs > checkpoint.lastFixTimeMs!), facts);
    const inOrder = replayFixes('T-0001', fixes, facts);
    expect(rebuilt.engine.state.trip).toEqual(inOrder.engine.state.trip);
    expect(summarise(rebuilt.events).violations.map((v) => v.id)).toEqual(summarise(inOrder.events).violations.map((v) => v.id));
  });
});

describe('late fixes that fill a silence', () => {
  // Eleven minutes of fixes mid-trip reached the platform after the ones that followed them (two
  // connections, one slow): at first it looked like an offline terminal.
  const facts = linziFacts();
  const track = loadAtJinmao().driveAlong(ROUTE.slice(1), 20).tip();
  const fixes = track.fixes;
  const gapFrom = 40;
  const gapTo = gapFrom + 65;
  const seenFirst = [...fixes.slice(0, gapFrom), ...fixes.slice(gapTo)];

  it('supersede the offline episode they disprove', () => {
    const first = replayFixes('T-0001', seenFirst, facts);
    const stored = summarise(first.events);
    expect(stored.violations.map((v) => v.type)).toEqual(['terminal_offline']);

    const checkpoint = replayFixes('T-0001', fixes.slice(0, gapFrom - 5), facts).engine.state;
    const rebuilt = replayFixes(checkpoint, fixes.filter((f) => f.fixTimeMs > checkpoint.lastFixTimeMs!), facts);
    const since = [...stored.trips, ...stored.violations].filter((x) => x.start.atMs > checkpoint.lastFixTimeMs!).map((x) => x.id);
    expect(supersededBy(rebuilt.events, since)).toEqual([stored.violations[0]!.id]);
    expect(summarise(rebuilt.events).violations).toEqual([]);
  });
});
