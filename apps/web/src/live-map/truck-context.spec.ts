import { describe, expect, it } from 'vitest';
import { truckLinks } from './truck-context.js';

describe('truck panel links', () => {
  it("replays today so far (from the office's midnight, Asia/Shanghai), lists open violations and the trips", () => {
    // 2026-12-06 02:30 in Shanghai: the office's day began 2026-12-05T16:00Z.
    const now = Date.parse('2026-12-05T18:30:00.000Z');
    const links = truckLinks('8f0c1c7e-0000-4000-8000-000000000001', now);
    const replay = new URL(links.replay, 'http://x');
    expect(replay.pathname).toBe('/replay');
    expect(Object.fromEntries(replay.searchParams)).toEqual({
      truck: '8f0c1c7e-0000-4000-8000-000000000001',
      from: '2026-12-05T16:00:00.000Z',
      to: '2026-12-05T18:30:00.000Z',
    });
    expect(links.violations).toBe('/violations?truckId=8f0c1c7e-0000-4000-8000-000000000001&caseState=new%2Cconfirmed%2Cassigned%2Chandled%2Creturned');
    expect(links.trips).toBe('/trips?truck=8f0c1c7e-0000-4000-8000-000000000001');
  });
});
