import { describe, expect, it } from 'vitest';
import { DEFAULT_FIX_QUALITY_POLICY } from '@muckwatch/domain';
import { interpretTelemetry } from './telemetry-message.js';

const receivedAtMs = Date.UTC(2026, 10, 26, 12);
const fixAt = (minutesAgo: number, lon: number, extra: Record<string, unknown> = {}) => ({
  ts: receivedAtMs - minutesAgo * 60_000,
  lat: 36.82,
  lon,
  speedKmh: 30,
  headingDeg: 90,
  ...extra,
});
const interpret = (payload: unknown, lastTrusted: { fixTimeMs: number; lat: number; lon: number } | null = null) =>
  interpretTelemetry({
    topic: 'muckwatch/v1/terminals/t1/telemetry',
    terminalId: 't1',
    payload: JSON.stringify(payload),
    receivedAtMs,
    lastTrusted,
    policy: DEFAULT_FIX_QUALITY_POLICY,
  });

describe('a terminal uploads its backlog after an hour without coverage', () => {
  it('judges each fix against its own neighbours in time, not against the newer live fix', () => {
    const live = { fixTimeMs: receivedAtMs - 60_000, lat: 36.82, lon: 118.5 };
    // Out of order, 1 km apart a minute each: plausible among themselves, 15+ km from the live fix.
    const result = interpret([fixAt(58, 118.302), fixAt(60, 118.3), fixAt(56, 118.304)], live);
    expect(result.positions.map((p) => [p.fixTimeMs, p.quality])).toEqual([
      [receivedAtMs - 60 * 60_000, []],
      [receivedAtMs - 58 * 60_000, []],
      [receivedAtMs - 56 * 60_000, []],
    ]);
    expect(result.lastTrusted).toEqual(live);
  });

  it('flags a jump inside the backlog and keeps judging the next fix against the last trusted one', () => {
    const result = interpret([fixAt(60, 118.3), fixAt(59, 119.3), fixAt(58, 118.302)]);
    expect(result.positions.map((p) => p.quality)).toEqual([[], ['implied_speed'], []]);
    expect(result.lastTrusted).toMatchObject({ fixTimeMs: receivedAtMs - 58 * 60_000, lon: 118.302 });
  });

  it('keeps unknown fields as extra and refuses a bad fix on its own', () => {
    const result = interpret([fixAt(5, 118.3, { vendorBits: 7 }), fixAt(4, 118.3, { cover: 'ajar' })]);
    expect(result.positions.map((p) => p.extra)).toEqual([{ vendorBits: 7 }]);
    expect(result.rejections.map((r) => [r.reason, r.fixIndex])).toEqual([['schema_violation', 1]]);
    expect(JSON.parse(result.rejections[0]!.payload)).toMatchObject({ cover: 'ajar' });
  });
});
