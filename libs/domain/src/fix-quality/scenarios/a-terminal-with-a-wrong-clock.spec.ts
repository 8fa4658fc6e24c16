import { describe, expect, it } from 'vitest';
import { DEFAULT_FIX_QUALITY_POLICY, checkFixQuality } from '../fix-quality.js';

// A terminal whose clock runs an hour ahead (a GMT+8 time sent as UTC) would pin the truck's
// latest position in the future; one whose backlog is a year old falls outside retained history.
describe('a terminal with a wrong clock', () => {
  const receivedAt = Date.UTC(2026, 10, 26, 12);
  const at = (fixTimeMs: number) => checkFixQuality({ fixTimeMs, lat: 36.8, lon: 118.3, valid: true }, null, receivedAt);

  it('refuses a fix more than ten minutes ahead of receipt', () => {
    expect(at(receivedAt + 3_600_000)).toMatchObject({ accepted: false, reason: 'future_fix_time' });
  });

  it('accepts a fix a few minutes ahead (clock drift)', () => {
    expect(at(receivedAt + 5 * 60_000)).toEqual({ accepted: true, flags: [] });
  });

  it('refuses a fix older than the horizon, accepts one just inside it', () => {
    expect(at(receivedAt - DEFAULT_FIX_QUALITY_POLICY.maxAgeMs - 1000)).toMatchObject({ accepted: false, reason: 'outdated_fix_time' });
    expect(at(receivedAt - DEFAULT_FIX_QUALITY_POLICY.maxAgeMs + 60_000)).toEqual({ accepted: true, flags: [] });
  });
});
