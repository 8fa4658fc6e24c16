import { describe, expect, it } from 'vitest';
import type { RankingRow, RankingTrend } from '@muckwatch/contracts';
import {
  choroplethClass,
  choroplethColour,
  choroplethLegend,
  CHOROPLETH_COLOURS,
  formatMovement,
  formatPoints,
  formatTotal,
  gradeTagType,
  isMonth,
  itemCell,
  monthRange,
  NO_DATA_COLOUR,
  officeMonth,
  rankingState,
  problemItems,
  rankingLists,
  rowTags,
  shiftMonth,
  trendLegendSelection,
  VETO_COLOUR,
} from './ranking-view.js';

const row = (over: Partial<RankingRow>): RankingRow => ({
  townCode: 'T1',
  townName: '辛店街道',
  items: [],
  earned: 0,
  available: 0,
  normalised: 100,
  bonus: 0,
  notificationDeduction: 0,
  adjustmentLines: [],
  total: 100,
  veto: [],
  rank: 1,
  tied: false,
  grade: 'excellent',
  redList: false,
  blackList: false,
  interview: false,
  tieBreak: { dumpingCases: 0, onTimePercent: null, notifications: 0 },
  movement: null,
  ...over,
});

describe('months on the office clock', () => {
  it('a UTC evening on the last day of a month is already the next month in Shanghai', () => {
    expect(officeMonth(Date.parse('2026-05-31T16:30:00Z'))).toBe('2026-06');
    expect(officeMonth(Date.parse('2026-05-31T15:59:59Z'))).toBe('2026-05');
  });
  it('shifts across years both ways', () => {
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2025-12', 1)).toBe('2026-01');
    expect(shiftMonth('2026-05', -12)).toBe('2025-05');
  });
  it('a month runs from Shanghai midnight on the 1st to the last second before the next', () => {
    expect(monthRange('2026-03')).toEqual({ from: '2026-02-28T16:00:00.000Z', to: '2026-03-31T15:59:59.000Z' });
  });
  it('a provisional ranking is open in its month and unfrozen once the month is over', () => {
    expect(rankingState({ provisional: true, month: '2026-05' }, '2026-05')).toBe('open');
    expect(rankingState({ provisional: true, month: '2026-04' }, '2026-05')).toBe('unfrozen');
    expect(rankingState({ provisional: false, month: '2026-04' }, '2026-05')).toBe('frozen');
  });
  it('reads only yyyy-mm', () => {
    expect(isMonth('2026-05')).toBe(true);
    expect(isMonth('2026-13')).toBe(false);
    expect(isMonth('2026-5')).toBe(false);
    expect(isMonth(undefined)).toBe(false);
  });
});

describe('numbers in the table', () => {
  it('a total always has two decimals; points only as many as they need', () => {
    expect(formatTotal(96.5)).toBe('96.50');
    expect(formatTotal(100)).toBe('100.00');
    expect(formatPoints(17.25)).toBe('17.25');
    expect(formatPoints(20)).toBe('20');
    expect(formatPoints(18.333333)).toBe('18.33');
  });
  it('an item without data is a dash, never zero', () => {
    expect(itemCell({ code: 'A', max: 20, earned: null, lines: [] })).toBe('—');
    expect(itemCell({ code: 'A', max: 20, earned: 0, lines: [] })).toBe('0 / 20');
    expect(itemCell({ code: 'C', max: 25, earned: 19.5, lines: [] })).toBe('19.5 / 25');
    expect(itemCell(undefined)).toBe('—');
  });
  it('movement: up, down, unchanged and no last month', () => {
    expect(formatMovement(2)).toEqual({ text: '↑2', direction: 'up' });
    expect(formatMovement(-1)).toEqual({ text: '↓1', direction: 'down' });
    expect(formatMovement(0)).toEqual({ text: '—', direction: 'same' });
    expect(formatMovement(null)).toEqual({ text: '—', direction: 'none' });
  });
  it('grades: excellent green, good blue, fair amber; a veto is red whatever the grade', () => {
    expect(gradeTagType('excellent', false)).toBe('success');
    expect(gradeTagType('good', false)).toBe('primary');
    expect(gradeTagType('fair', false)).toBe('warning');
    expect(gradeTagType('excellent', true)).toBe('danger');
  });
  it('tags: veto first, then red list, black list, 约谈', () => {
    const veto = [{ ground: 'serious_accident' as const, adjustmentId: 'a1', reason: '事故' }];
    expect(rowTags(row({ blackList: true, interview: true, veto }))).toEqual(['veto', 'black', 'interview']);
    expect(rowTags(row({ redList: true }))).toEqual(['red']);
    expect(rowTags(row({}))).toEqual([]);
  });
});

describe('choropleth', () => {
  it('classes by total on the bounds, a bound belonging to the better class', () => {
    expect(choroplethClass(0)).toBe(0);
    expect(choroplethClass(59.99)).toBe(0);
    expect(choroplethClass(60)).toBe(1);
    expect(choroplethClass(85)).toBe(3);
    expect(choroplethClass(90)).toBe(4);
    expect(choroplethClass(103)).toBe(4);
  });
  it('colours a vetoed town and a town without a row apart from the scale', () => {
    expect(choroplethColour(row({ total: 95 }))).toBe(CHOROPLETH_COLOURS[4]);
    expect(choroplethColour(row({ total: 95, veto: [{ ground: 'falsified_data', adjustmentId: 'x', reason: 'r' }] }))).toBe(VETO_COLOUR);
    expect(choroplethColour(null)).toBe(NO_DATA_COLOUR);
  });
  it('the legend names every class once, worst first', () => {
    expect(choroplethLegend().map((entry) => entry.label)).toEqual(['< 60', '60–70', '70–80', '80–90', '≥ 90']);
  });
});

describe('trend legend and lists', () => {
  const trend: RankingTrend = {
    months: ['2026-04', '2026-05'],
    towns: [
      { townCode: 'T1', townName: '辛店街道', totals: [90, 91], ranks: [1, 1] },
      { townCode: 'T2', townName: '齐陵街道', totals: [80, null], ranks: [2, null] },
    ],
  };
  it('a town official starts with their own town; others with every town', () => {
    expect(trendLegendSelection(trend, 'T2')).toEqual({ 辛店街道: false, 齐陵街道: true });
    expect(trendLegendSelection(trend, null)).toEqual({ 辛店街道: true, 齐陵街道: true });
    expect(trendLegendSelection(trend, 'unknown')).toEqual({ 辛店街道: true, 齐陵街道: true });
  });
  it('red, black and 约谈 lists in rank order', () => {
    const rows = [
      row({ townCode: 'C', rank: 3, blackList: true, interview: true }),
      row({ townCode: 'A', rank: 1, redList: true }),
      row({ townCode: 'B', rank: 2, blackList: true }),
    ];
    const lists = rankingLists(rows);
    expect(lists.red.map((r) => r.townCode)).toEqual(['A']);
    expect(lists.black.map((r) => r.townCode)).toEqual(['B', 'C']);
    expect(lists.interview.map((r) => r.townCode)).toEqual(['C']);
  });
});

describe('problem notes', () => {
  it('names the items that lost most, skipping items without data and full marks', () => {
    const items = [
      { code: 'A' as const, max: 20, earned: 20, lines: [] },
      { code: 'B' as const, max: 20, earned: null, lines: [] },
      { code: 'C' as const, max: 25, earned: 16, lines: [] },
      { code: 'D' as const, max: 15, earned: 12.5, lines: [] },
      { code: 'E' as const, max: 15, earned: 14, lines: [] },
    ];
    expect(problemItems({ items })).toEqual([
      { code: 'C', lost: 9 },
      { code: 'D', lost: 2.5 },
    ]);
    expect(problemItems({ items: [] })).toEqual([]);
  });
});
