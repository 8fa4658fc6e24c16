import { describe, expect, it } from 'vitest';
import { loadAtJinmao, ROUTE, run } from './linzi-fixture.js';

// 时段违规: the approval allows night runs only (22:00–06:00). A trip started at 05:55 runs past
// 06:00; another runs at noon; on 2 December a heavy-pollution alert closes the night entirely.
describe('running loaded outside the approval’s time window', () => {
  it('raises an episode from 06:00 to the trip’s end when a dawn trip overruns', () => {
    const track = loadAtJinmao('T-0001', '2026-11-27T05:50:00').driveAlong(ROUTE.slice(1), 36).tip();
    const { violations } = run(track.fixes);
    expect(violations.map((v) => v.type)).toEqual(['outside_time_window']);
    const start = new Date(violations[0]!.start.atMs + 8 * 3_600_000).toISOString().slice(11, 16);
    expect(start).toBe('06:00');
    expect(violations[0]!.end).not.toBeNull();
    expect(violations[0]!.reasons[0]!.detail).toContain('夜间 22:00–06:00');
  });

  it('raises one episode for a noon trip, with the two-minute grace as its parameter', () => {
    const track = loadAtJinmao('T-0001', '2026-11-27T12:00:00').driveAlong(ROUTE.slice(1), 36).tip();
    const { violations } = run(track.fixes);
    expect(violations.map((v) => v.type)).toEqual(['outside_time_window']);
    expect(violations[0]!.parameters).toMatchObject({ timeWindowGraceMs: 120_000, timeWindowIds: 'window-night' });
  });

  it('honours the dated exception: the night of the pollution alert is closed, and says why', () => {
    const track = loadAtJinmao('T-0001', '2026-12-02T22:00:00').driveAlong(ROUTE.slice(1), 36).tip();
    const { violations } = run(track.fixes);
    expect(violations.map((v) => v.type)).toEqual(['outside_time_window']);
    expect(violations[0]!.reasons.map((r) => r.code)).toEqual(['outside-windows', 'exception-closed']);
    expect(violations[0]!.reasons[1]!.detail).toContain('重污染天气预警');
  });

  it('leaves a normal night trip alone', () => {
    const track = loadAtJinmao('T-0001', '2026-12-01T22:00:00').driveAlong(ROUTE.slice(1), 36).tip();
    expect(run(track.fixes).violations).toEqual([]);
  });
});
