import { describe, expect, it } from 'vitest';
import { advance, baseRate, violationReplayLink, colourRuns, overviewZoom, positionAt, readReplayQuery, SPEED_BANDS } from './replay-view.js';
import { packReplayState } from '@muckwatch/contracts';

const now = Date.parse('2026-11-26T03:00:00Z');

describe('replay query', () => {
  it('defaults to today so far in Asia/Shanghai', () => {
    expect(readReplayQuery({}, now)).toEqual({ truck: null, fromMs: Date.parse('2026-11-25T16:00:00Z'), toMs: now, atMs: null });
  });

  it('reads the shared URL, keeping at inside the period', () => {
    const q = { truck: ' 鲁C12345 ', from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z', at: '2026-11-01T08:00:00+08:00' };
    expect(readReplayQuery(q, now)).toEqual({ truck: '鲁C12345', fromMs: Date.parse(q.from), toMs: Date.parse(q.to), atMs: Date.parse('2026-11-01T00:00:00Z') });
    expect(readReplayQuery({ ...q, at: '2026-12-01T00:00:00Z' }, now).atMs).toBeNull();
  });

  it('cuts a period longer than a month and swaps a reversed one', () => {
    const long = readReplayQuery({ from: '2026-01-01T00:00:00Z', to: '2026-06-01T00:00:00Z' }, now);
    expect(long.toMs - long.fromMs).toBe(31 * 86_400_000);
    const reversed = readReplayQuery({ from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' }, now);
    expect(reversed.fromMs).toBeLessThan(reversed.toMs);
    expect(readReplayQuery({ from: 'garbage' }, now).fromMs).toBe(Date.parse('2026-11-25T16:00:00Z'));
  });
});

describe('replay drawing and playback', () => {
  it('chooses a zoom from the view', () => {
    expect(overviewZoom(0.5, 1000)).toBe(11);
    expect(overviewZoom(0, 1000)).toBe(12);
  });

  it('joins fixes of one colour into runs', () => {
    const s = packReplayState({ load: 'full', cover: 'closed', body: 'down', ignition: true, valid: true });
    const e = packReplayState({ load: 'empty', cover: 'closed', body: 'down', ignition: true, valid: true });
    expect(colourRuns('speed', [0, 0, 30, 30, 30], [s, s, s, s, s])).toEqual([[0, 2, SPEED_BANDS[0]!.colour], [2, 4, SPEED_BANDS[2]!.colour]]);
    expect(colourRuns('load', [0, 0, 30], [e, s, s]).length).toBe(2);
  });

  it('plays a day in about four minutes at 1× and never past the end', () => {
    expect(baseRate(86_400_000)).toBe(360);
    expect(advance(0, 1000, 64, 86_400_000, 86_400_000)).toBe(64 * 360_000);
    expect(advance(0, 10_000_000, 64, 86_400_000, 10_000_000)).toBe(10_000_000);
  });

  it('interpolates between fixes', () => {
    expect(positionAt([0, 10], [0, 1], [0, 2], 0, 5)).toEqual([0.5, 1]);
    expect(positionAt([0, 10], [0, 1], [0, 2], 1, 50)).toEqual([1, 2]);
  });
});

describe('a violation\'s replay', () => {
  it('opens its terminal half an hour either side, at its start', () => {
    const link = violationReplayLink({ terminalId: 'T1', start: { at: '2026-11-01T08:00:00.000Z' }, end: { at: '2026-11-01T08:10:00.000Z' } });
    const q = new URLSearchParams(link.split('?')[1]);
    expect([q.get('truck'), q.get('from'), q.get('to'), q.get('at')]).toEqual(['T1', '2026-11-01T07:30:00.000Z', '2026-11-01T08:40:00.000Z', '2026-11-01T08:00:00.000Z']);
  });
});
