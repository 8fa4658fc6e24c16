import { describe, expect, it } from 'vitest';
import { dayChunks } from './replay.repository.js';

const at = (iso: string): Date => new Date(iso);
const NOW = Date.parse('2026-11-28T04:00:00Z'); // 12:00 on 28 November in Shanghai

describe('a replay period cut into office days (Asia/Shanghai)', () => {
  it('cuts at the office midnights (16:00 UTC); only whole days that are over may be stored', () => {
    const chunks = dayChunks([{ terminalId: 'T1', from: at('2026-11-25T20:00:00Z'), to: at('2026-11-28T03:00:00Z') }], NOW);
    expect(chunks.map((c) => [c.from.toISOString(), c.to.toISOString(), c.closed, c.storable])).toEqual([
      // 04:00 on the 26th to midnight: cut by the period, computed every time.
      ['2026-11-25T20:00:00.000Z', '2026-11-26T16:00:00.000Z', false, false],
      ['2026-11-26T16:00:00.000Z', '2026-11-27T16:00:00.000Z', false, true],
      // Today, up to and including the period's end.
      ['2026-11-27T16:00:00.000Z', '2026-11-28T03:00:00.000Z', true, false],
    ]);
  });

  it('keeps a day that ends exactly at the period end whole, and the end instant itself', () => {
    const chunks = dayChunks([{ terminalId: 'T1', from: at('2026-11-25T16:00:00Z'), to: at('2026-11-26T16:00:00Z') }], NOW);
    expect(chunks.map((c) => [c.from.toISOString(), c.to.toISOString(), c.closed, c.storable])).toEqual([
      ['2026-11-25T16:00:00.000Z', '2026-11-26T16:00:00.000Z', false, true],
      ['2026-11-26T16:00:00.000Z', '2026-11-26T16:00:00.000Z', true, false],
    ]);
  });

  it('never stores a day still going on, nor one a terminal binding cuts', () => {
    const chunks = dayChunks(
      [
        { terminalId: 'T1', from: at('2026-11-26T16:00:00Z'), to: at('2026-11-27T06:00:00Z') },
        { terminalId: 'T2', from: at('2026-11-27T06:00:00Z'), to: at('2026-11-28T04:00:00Z') },
      ],
      NOW,
    );
    expect(chunks.map((c) => [c.terminalId, c.storable])).toEqual([['T1', false], ['T2', false], ['T2', false]]);
    // The whole day the period ends in, while it is still today, is computed too.
    expect(dayChunks([{ terminalId: 'T1', from: at('2026-11-27T16:00:00Z'), to: at('2026-11-28T16:00:00Z') }], NOW).map((c) => c.storable)).toEqual([false, false]);
  });
});
