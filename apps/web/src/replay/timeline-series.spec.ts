import { describe, expect, it } from 'vitest';
import { packReplayState, type DecodedTrack } from '@muckwatch/contracts';
import { m4, stepChanges, timelineSeries } from './timeline-series.js';

const MIN = 60_000;

describe('M4 downsampling of the speed line', () => {
  it('leaves a series the chart can show whole untouched', () => {
    const out = m4([0, 1, 2], [5, 6, 7], 0, 2, 10);
    expect([...out.t]).toEqual([0, 1, 2]);
    expect([...out.v]).toEqual([5, 6, 7]);
  });

  it('keeps each bucket’s first, lowest, highest and last point in time order, so a one-fix spike survives', () => {
    // A day at a fix a minute (1,440 points) into 24 buckets of an hour: a flat 30 km/h with one spike to 80.
    const t = Array.from({ length: 1440 }, (_, i) => i * MIN);
    const v = t.map((_, i) => (i === 700 ? 80 : i === 703 ? 10 : 30));
    const out = m4(t, v, 0, 1439 * MIN, 24);
    expect(out.t.length).toBeLessThanOrEqual(4 * 24);
    expect(Math.max(...out.v)).toBe(80);
    expect(Math.min(...out.v)).toBe(10);
    // The spike's hour (minute 660–719): first, highest, lowest, last.
    const hour = [...out.t].map((at, i) => [at / MIN, out.v[i]]).filter(([m]) => m! >= 660 && m! < 720);
    expect(hour).toEqual([[660, 30], [700, 80], [703, 10], [719, 30]]);
    for (let i = 1; i < out.t.length; i += 1) expect(out.t[i]!).toBeGreaterThan(out.t[i - 1]!);
  });

  it('keeps a gap in reporting as one NaN, so the line breaks there', () => {
    const t = Array.from({ length: 400 }, (_, i) => i * MIN);
    const v = t.map((_, i) => (i >= 100 && i < 200 ? Number.NaN : 20));
    const out = m4(t, v, 0, 399 * MIN, 10);
    const gaps = [...out.v].filter((x) => Number.isNaN(x));
    expect(gaps).toHaveLength(1);
    expect(out.t[[...out.v].findIndex((x) => Number.isNaN(x))]).toBe(100 * MIN);
  });
});

describe('step lines at their changes', () => {
  it('keeps the first point, every change and the last', () => {
    const out = stepChanges([0, 1, 2, 3, 4, 5], [0, 0, 0.7, 0.7, 0, 0]);
    expect([...out.t]).toEqual([0, 2, 4, 5]);
    expect([...out.v]).toEqual([0, 0.7, 0, 0]);
  });

  it('treats consecutive unreported loads as no change', () => {
    const out = stepChanges([0, 1, 2, 3], [Number.NaN, Number.NaN, 12.5, 12.5]);
    expect([...out.t]).toEqual([0, 2, 3]);
  });
});

describe('a month’s timeline', () => {
  it('keeps every state change of the bands however many fixes there are', () => {
    // 30 days at a fix a minute, the body raised for the same minute of every hour.
    const n = 30 * 1440;
    const raised = packReplayState({ load: 'full', cover: 'closed', body: 'raised', ignition: true, valid: true });
    const down = packReplayState({ load: 'full', cover: 'closed', body: 'down', ignition: true, valid: true });
    const track: DecodedTrack = {
      count: n,
      t: Float64Array.from({ length: n }, (_, i) => i * MIN),
      lat: new Float64Array(n),
      lon: new Float64Array(n),
      speed: Float32Array.from({ length: n }, (_, i) => (i % 7) * 10),
      loadT: Float32Array.from({ length: n }, () => 12.3),
      state: Uint16Array.from({ length: n }, (_, i) => (i % 60 === 30 ? raised : down)),
    };
    const series = timelineSeries(track, 1000);
    expect(series.speed.t.length).toBeLessThanOrEqual(4000);
    expect(Math.max(...series.speed.v)).toBe(60);
    // Raised and lowered once an hour: two changes an hour, plus the first and last fix.
    expect(series.body.t.length).toBe(30 * 24 * 2 + 2);
    expect(series.ignition.t.length).toBe(2);
    // One load all month, read as tonnes with one decimal (not 12.300000190734863).
    expect([...series.load.v]).toEqual([12.3, 12.3]);
  });
});
