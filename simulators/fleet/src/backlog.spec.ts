import { parseTelemetryPayload } from '@muckwatch/contracts';
import { describe, expect, it } from 'vitest';
import { backlogFixes, chunkBacklog } from './backlog.js';

const FROM = Date.parse('2026-05-01T02:00:00Z');

describe('backlogFixes', () => {
  it('gives one terminal’s consecutive fixes from a time, deterministically', () => {
    const fixes = backlogFixes('013805330002', FROM, 1200, 10, 7);
    expect(fixes).toHaveLength(1200);
    expect(backlogFixes('013805330002', FROM, 1200, 10, 7)).toEqual(fixes);
    const times = fixes.map((f) => (typeof f.ts === 'number' ? f.ts : Date.parse(f.ts)));
    expect(times[0]).toBeGreaterThanOrEqual(FROM);
    expect(times[0]).toBeLessThan(FROM + 10_000);
    times.forEach((t, i) => i > 0 && expect(t - times[i - 1]!).toBe(10_000));
    expect(fixes.map((f) => f.seq)).toEqual(fixes.map((_, i) => i + 1));
  });

  it('chunks into messages the contract accepts (at most 500 fixes each)', () => {
    const chunks = chunkBacklog(backlogFixes('013805330001', FROM, 1200));
    expect(chunks.map((c) => c.length)).toEqual([500, 500, 200]);
    for (const chunk of chunks) {
      const verdict = parseTelemetryPayload(JSON.stringify(chunk));
      expect(verdict.ok && verdict.fixes.length).toBe(chunk.length);
      expect(verdict.ok && verdict.rejections).toEqual([]);
    }
  });

  it('refuses a terminal that is not in the fleet', () => {
    expect(() => backlogFixes('999999999999', FROM, 10)).toThrow(/no such terminal/);
  });
});
