import { describe, expect, it } from 'vitest';
import { replayFixes } from '../truck-compliance.js';
import { linziFacts, loadAtJinmao, ROUTE, run } from './linzi-fixture.js';

// A loaded truck leaves 金茂府, parks in a yard behind the route with the load still on, and its
// terminal keeps reporting from there: no tipping, ever. After 6 hours the trip is abandoned.
describe('a trip that never ends', () => {
  const parking: [number, number] = [118.31, 36.8095];
  const track = loadAtJinmao().driveAlong([ROUTE[1]!, parking], 36).set({ ignition: false });
  for (let h = 0; h < 8; h++) track.wait(600).silent(3000);

  it('is abandoned by the first fix more than six hours after its start, ending where the truck last was', () => {
    const { trips } = run(track.fixes);
    expect(trips).toHaveLength(1);
    expect(trips[0]!.status).toBe('abandoned');
    expect(trips[0]!.end!.lon).toBeCloseTo(parking[0], 6);
    expect(trips[0]!.reasons[0]!.code).toBe('no-end');
  });

  it('is abandoned by tick when the terminal has gone quiet, with the same result', () => {
    const facts = linziFacts();
    const firstHour = track.fixes.filter((f) => f.fixTimeMs < track.fixes[0]!.fixTimeMs + 3_600_000);
    const { engine } = replayFixes('T-0001', firstHour, facts);
    const start = engine.trip!.start.atMs;
    expect(engine.tick(start + 5 * 3_600_000, facts)).toEqual([]);
    const [ended] = engine.tick(start + 6 * 3_600_000 + 1, facts);
    expect(ended).toMatchObject({ kind: 'trip.ended', trip: { status: 'abandoned' } });
    expect(engine.trip).toBeNull();
  });

  it('takes its timeout from the rules', () => {
    const { trips } = run(track.fixes, undefined, { abandonTripAfterMs: 12 * 3_600_000 });
    expect(trips[0]!.status).toBe('open');
  });
});

// The same rule must not misfire on a backlog: a truck in a dead zone buffers its fixes for seven
// hours; tick abandons its trip; then the buffered fixes arrive and show it tipped at 南部消纳场
// two hours in.
describe('a trip abandoned by tick while its terminal was buffering', () => {
  const track = loadAtJinmao('T-0002').driveTo(ROUTE[1]!, 30);
  const liveUntil = track.fixes.length;
  track.driveAlong(ROUTE.slice(2), 10).wait(3600).tip();

  it('resumes when the backlog shows the trip going on, and closes it as if nothing happened', () => {
    const facts = linziFacts();
    const { engine } = replayFixes('T-0002', track.fixes.slice(0, liveUntil), facts);
    const startedAt = engine.trip!.start.atMs;
    const abandoned = engine.tick(startedAt + 7 * 3_600_000, facts);
    expect(abandoned.map((e) => e.kind)).toContain('trip.ended');
    const backlog = track.fixes.slice(liveUntil).flatMap((f) => engine.apply({ ...f, receivedAtMs: startedAt + 7 * 3_600_000 }, facts).events);
    expect(backlog[0]).toMatchObject({ kind: 'trip.started', trip: { status: 'open', start: { atMs: startedAt } } });
    const uninterrupted = run(track.fixes, facts);
    // The same state but for when the fixes were received (the backlog came hours later).
    expect({ ...engine.state, lastReceivedAtMs: null }).toEqual({ ...uninterrupted.engine.state, lastReceivedAtMs: null });
    const ended = backlog.filter((e) => e.kind === 'trip.ended');
    expect(ended.map((e) => e.kind === 'trip.ended' && e.trip.status)).toEqual(['closed']);
  });
});
