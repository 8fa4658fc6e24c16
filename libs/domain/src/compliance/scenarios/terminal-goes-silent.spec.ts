import { describe, expect, it } from 'vitest';
import { replayFixes, TruckCompliance } from '../truck-compliance.js';
import { linziFacts, loadAtJinmao, ROUTE, run } from './linzi-fixture.js';

// 终端离线: mid-trip, the terminal stops reporting for 25 minutes (unplugged, or a dead zone).
describe('a terminal goes silent in the middle of a trip', () => {
  const before = loadAtJinmao().driveTo(ROUTE[1]!, 36);
  const silentFrom = before.now;
  const track = before.silent(25 * 60).driveAlong(ROUTE.slice(2), 36).tip();

  it('raises one offline episode covering the silence, from the last fix to the next', () => {
    const { violations } = run(track.fixes);
    expect(violations.map((v) => v.type)).toEqual(['terminal_offline']);
    expect(violations[0]!.start.atMs).toBe(silentFrom);
    expect(violations[0]!.end!.atMs).toBe(silentFrom + 25 * 60_000 + 10_000);
    expect(violations[0]!.parameters).toEqual({ offlineAfterMs: 600_000 });
  });

  it('raises nothing when a parked truck with the ignition off is quiet all night', () => {
    const parked = loadAtJinmao().driveAlong(ROUTE.slice(1), 36).tip().driveTo([118.34, 36.803], 10).set({ ignition: false }).wait(10).silent(8 * 3600).wait(10);
    expect(run(parked.fixes).violations).toEqual([]);
  });

  it('live: tick raises it provisionally once the threshold passes, and the next fix closes it', () => {
    const facts = linziFacts();
    const cut = track.fixes.findIndex((f) => f.fixTimeMs > silentFrom);
    const { engine } = replayFixes('T-0001', track.fixes.slice(0, cut), facts);
    expect(engine.tick(silentFrom + 5 * 60_000, facts)).toEqual([]);
    const raised = engine.tick(silentFrom + 11 * 60_000, facts);
    expect(raised.map((e) => [e.kind, 'violation' in e ? e.violation.type : null])).toEqual([['violation.opened', 'terminal_offline']]);
    const next = engine.apply(track.fixes[cut]!, facts).events;
    expect(next.map((e) => e.kind)).toContain('violation.closed');
  });

  it('live: not while its fixes are still arriving — an upload of the minutes before the silence is not a silence yet', () => {
    const facts = linziFacts();
    const cut = track.fixes.findIndex((f) => f.fixTimeMs > silentFrom);
    // The fixes up to the silence arrive only now, eleven minutes after the last of them (a
    // backlog, or through another instance): tick waits until they have stopped arriving.
    const now = silentFrom + 11 * 60_000;
    const { engine } = replayFixes('T-0001', track.fixes.slice(0, cut).map((f) => ({ ...f, receivedAtMs: now })), facts);
    expect(engine.tick(now + 2_000, facts)).toEqual([]);
    expect(engine.tick(now + 30_000, facts)).toEqual([]);
    const raised = engine.tick(now + 31_000, facts);
    expect(raised.map((e) => [e.kind, 'violation' in e ? e.violation.type : null])).toEqual([['violation.opened', 'terminal_offline']]);
    expect(raised[0]!.kind === 'violation.opened' && raised[0]!.violation.start.atMs).toBe(silentFrom);
  });

  it('live: a provisional episode is retracted when the terminal’s buffered fixes show it was recording', () => {
    const facts = linziFacts();
    const steady = loadAtJinmao().driveAlong(ROUTE.slice(1), 36);
    const cut = 60;
    const engine = new TruckCompliance('T-0001');
    for (const fix of steady.fixes.slice(0, cut)) engine.apply(fix, facts);
    engine.tick(steady.fixes[cut - 1]!.fixTimeMs + 11 * 60_000, facts);
    const backfill = engine.apply(steady.fixes[cut]!, facts).events;
    expect(backfill.map((e) => e.kind)).toEqual(['violation.retracted']);
  });
});
