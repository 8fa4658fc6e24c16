import { describe, expect, it } from 'vitest';
import { checkFixQuality } from '../fix-quality.js';

// A terminal in a garage has no satellites: it reports (0,0), or its last position marked invalid.
describe('a terminal without a GNSS fix', () => {
  const now = 5_000_000;

  it('refuses (0,0): there is no place to store it at', () => {
    expect(checkFixQuality({ fixTimeMs: now, lat: 0, lon: 0, valid: true }, null, now)).toMatchObject({
      accepted: false,
      reason: 'zero_position',
    });
  });

  it('stores a fix it marks invalid, flagged, without judging its speed', () => {
    const previous = { fixTimeMs: now - 1000, lat: 30, lon: 110 };
    expect(checkFixQuality({ fixTimeMs: now, lat: 36.8, lon: 118.3, valid: false }, previous, now)).toEqual({
      accepted: true,
      flags: ['invalid_fix'],
    });
  });
});
