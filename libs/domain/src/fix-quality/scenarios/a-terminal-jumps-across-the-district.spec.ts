import { describe, expect, it } from 'vitest';
import { checkFixQuality } from '../fix-quality.js';

// A truck reports near 稷下街道, and ten seconds later a fix 60 km away arrives: no truck drives
// that fast, so the fix is kept (it may be evidence of tampering) but flagged.
describe('a terminal jumps across the district in ten seconds', () => {
  const previous = { fixTimeMs: 1_000_000, lat: 36.82, lon: 118.3 };
  const jump = { fixTimeMs: 1_010_000, lat: 37.3, lon: 118.6, valid: true };

  it('is stored with the implied_speed flag', () => {
    expect(checkFixQuality(jump, previous, 1_011_000)).toEqual({ accepted: true, flags: ['implied_speed'] });
  });

  it('is an ordinary fix when the same move took two hours', () => {
    expect(checkFixQuality({ ...jump, fixTimeMs: previous.fixTimeMs + 7_200_000 }, previous, previous.fixTimeMs + 7_201_000)).toEqual({
      accepted: true,
      flags: [],
    });
  });
});
