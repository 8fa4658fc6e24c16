import { describe, expect, it } from 'vitest';
import { MIN_REFRESH_DELAY_MS, REFRESH_RETRY_MS, refreshDelayMs, retryDelayMs } from './token-schedule.js';

describe('refreshDelayMs', () => {
  it('refreshes a 15-minute token after 12 minutes (80 % of its life)', () => {
    expect(refreshDelayMs(900)).toBe(720_000);
  });

  it('refreshes a 2-minute token a minute before expiry, earlier than 80 % of its life', () => {
    expect(refreshDelayMs(120)).toBe(60_000);
    expect(refreshDelayMs(100)).toBe(40_000);
  });

  it('waits at least a few seconds for a very short or already expired token', () => {
    expect(refreshDelayMs(3)).toBe(MIN_REFRESH_DELAY_MS);
    expect(refreshDelayMs(0)).toBe(MIN_REFRESH_DELAY_MS);
    expect(refreshDelayMs(-10)).toBe(MIN_REFRESH_DELAY_MS);
  });
});

describe('retryDelayMs', () => {
  const now = Date.parse('2026-11-26T12:00:00Z');

  it('retries a failed refresh soon while the token is still valid', () => {
    expect(retryDelayMs(now + 60_000, now)).toBe(REFRESH_RETRY_MS);
  });

  it('never waits past the expiry', () => {
    expect(retryDelayMs(now + 4_000, now)).toBe(4_000);
  });

  it('gives up once the token has expired', () => {
    expect(retryDelayMs(now, now)).toBeNull();
    expect(retryDelayMs(now - 1, now)).toBeNull();
  });
});
