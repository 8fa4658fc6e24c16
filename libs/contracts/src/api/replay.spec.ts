import { describe, expect, it } from 'vitest';
import { decodeTrack, encodeTrack, fixIndexAt, packReplayState, replayLink, unpackReplayState, type EncodedTrack, type ReplayFixInput } from './replay.js';

const fix = (i: number, over: Partial<ReplayFixInput> = {}): ReplayFixInput => ({
  timeMs: Date.UTC(2026, 10, 1) + i * 10_000,
  lat: 36.8 + i * 0.0001,
  lon: 118.3 - i * 0.00013,
  speedKmh: 30.4,
  loadT: 12.34,
  load: 'full',
  cover: 'closed',
  body: 'down',
  ignition: true,
  valid: true,
  ...over,
});

describe('replay track encoding', () => {
  it('round-trips times, positions to ~1 m, speeds, loads and states', () => {
    const fixes = [fix(0), fix(1, { loadT: null, load: null, ignition: null, body: 'raised' }), fix(2, { cover: 'open', valid: false, speedKmh: 0 })];
    const decoded = decodeTrack(JSON.parse(JSON.stringify(encodeTrack(fixes))) as EncodedTrack);
    expect(decoded.count).toBe(3);
    fixes.forEach((f, i) => {
      expect(decoded.t[i]).toBe(f.timeMs);
      expect(decoded.lat[i]).toBeCloseTo(f.lat, 5);
      expect(decoded.lon[i]).toBeCloseTo(f.lon, 5);
      expect(decoded.speed[i]).toBe(Math.round(f.speedKmh));
      if (f.loadT === null) expect(decoded.loadT[i]).toBeNaN();
      else expect(decoded.loadT[i]).toBeCloseTo(f.loadT, 1);
      expect(unpackReplayState(decoded.state[i]!)).toEqual({ load: f.load, cover: f.cover, body: f.body, ignition: f.ignition, valid: f.valid });
    });
  });

  it('deltas stay small for a track at 10 s', () => {
    const encoded = encodeTrack(Array.from({ length: 100 }, (_, i) => fix(i)));
    expect(encoded.t.slice(1).every((d) => d === 10_000)).toBe(true);
    expect(encoded.lat.slice(1).every((d) => Math.abs(d) <= 11)).toBe(true);
  });

  it('refuses columns of different lengths', () => {
    const encoded = encodeTrack([fix(0), fix(1)]);
    encoded.lat.pop();
    expect(() => decodeTrack(encoded)).toThrow(RangeError);
  });

  it('packs every state apart', () => {
    const a = packReplayState({ load: 'overload', cover: 'fault', body: 'fault', ignition: false, valid: true });
    expect(unpackReplayState(a)).toEqual({ load: 'overload', cover: 'fault', body: 'fault', ignition: false, valid: true });
    expect(unpackReplayState(0)).toEqual({ load: null, cover: null, body: null, ignition: null, valid: false });
  });

  it('finds the fix at a moment by binary search', () => {
    const t = [10, 20, 30, 40];
    expect(fixIndexAt(t, 5)).toBe(0);
    expect(fixIndexAt(t, 20)).toBe(1);
    expect(fixIndexAt(t, 29)).toBe(1);
    expect(fixIndexAt(t, 99)).toBe(3);
    expect(fixIndexAt([], 5)).toBe(0);
  });

  it('builds the shared replay URL', () => {
    expect(replayLink('鲁C·12345', '2026-11-01T00:00:00.000Z', new Date('2026-11-02T00:00:00.000Z'), '2026-11-01T08:00:00.000Z')).toBe(
      '/replay?truck=%E9%B2%81C%C2%B712345&from=2026-11-01T00%3A00%3A00.000Z&to=2026-11-02T00%3A00%3A00.000Z&at=2026-11-01T08%3A00%3A00.000Z',
    );
  });
});
