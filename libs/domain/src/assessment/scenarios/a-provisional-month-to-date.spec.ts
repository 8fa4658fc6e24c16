import { describe, expect, it } from 'vitest';
import { DEFAULT_METHODOLOGY } from '../default-methodology.js';
import { scoreMonth } from '../score.js';
import { cleanTown, dumping } from './month-builder.js';

// Mid-month, the office looks at the month so far. Waste dumped this morning is not yet "not
// cleared within 48 h", and a case assigned yesterday with a deadline next week is not yet late.
describe('a provisional month-to-date ranking', () => {
  const facts = [
    cleanTown('370305100', '齐都镇', {
      dumpingCases: [dumping('d1', { at: '2026-11-15T01:00:00.000Z', clearedAfterHours: null })],
      assignedCases: [
        { id: 'a1', deadline: '2026-11-10T00:00:00.000Z', handledAt: '2026-11-09T00:00:00.000Z' },
        { id: 'a2', deadline: '2026-11-22T00:00:00.000Z', handledAt: null },
      ],
    }),
  ];
  const score = (asOf?: string) => scoreMonth('2026-11', facts, DEFAULT_METHODOLOGY, { blackListStreak: {} }, asOf === undefined ? {} : { asOf }).towns[0]!;
  const items = (asOf?: string) => score(asOf).items.map((i) => [i.code, i.earned, i.lines.map((l) => l.code)]);

  it('does not yet count waste within its 48 hours, nor a case within its deadline', () => {
    const town = score('2026-11-16T01:00:00.000Z');
    expect(items('2026-11-16T01:00:00.000Z').slice(2, 5)).toEqual([
      ['C', 22, ['C.case']],
      ['D', 15, []],
      ['E', 15, []],
    ]);
    expect(town.tieBreak.onTimePercent).toBe(100);
  });

  it('counts both once the time has run out', () => {
    expect(items('2026-11-23T00:00:00.000Z').slice(2, 5)).toEqual([
      ['C', 20, ['C.case', 'C.not_cleared']],
      ['D', 15, []],
      ['E', 0, ['E.below_target']], // 1 of 2 on time: 50 %, (95 − 50) × 0.5 = 22.5 → floored at 0
    ]);
  });

  it('treats the month as final when no moment is given', () => {
    expect(JSON.stringify(score())).toBe(JSON.stringify(score('2026-12-31T00:00:00.000Z')));
  });
});
