import type { RankingGrade, RankingItemScore, RankingRow, RankingTrend } from '@muckwatch/contracts';
import { addMonths, isMonth as isOfficeMonth, officeMonthOf, officeMonthRange } from '@muckwatch/contracts';
import { CONSOLE_TIME_ZONE } from '../time/console-time.js';

/** `yyyy-mm`, as the rankings API names a month (in Asia/Shanghai). */
export type Month = string;

/** Only `yyyy-mm` (libs/contracts office-time). */
export const isMonth = (value: unknown): value is Month => typeof value === 'string' && isOfficeMonth(value);

/** The month `nowMs` falls in on the office's clock (Asia/Shanghai), whatever the browser's zone. */
export const officeMonth = (nowMs: number, timeZone: string = CONSOLE_TIME_ZONE): Month => officeMonthOf(nowMs, timeZone);

/** The month `delta` months after `month` (negative: before). */
export const shiftMonth = (month: Month, delta: number): Month => addMonths(month, delta);

/** The month's first and last second as ISO instants (the office's days), for the cases API's from/to. */
export function monthRange(month: Month, timeZone: string = CONSOLE_TIME_ZONE): { from: string; to: string } {
  const { from, to } = officeMonthRange(month, timeZone);
  return { from, to: new Date(Date.parse(to) - 1000).toISOString() };
}

/**
 * Where a ranking stands: `open` (provisional, the month not over), `unfrozen` (provisional, the
 * month over but not frozen yet: the close job freezes it) or `frozen` (a revision).
 */
export function rankingState(ranking: { provisional: boolean; month: Month }, currentMonth: Month): 'open' | 'unfrozen' | 'frozen' {
  if (!ranking.provisional) return 'frozen';
  return ranking.month < currentMonth ? 'unfrozen' : 'open';
}

/** `{ year, month }` numbers of a month, for "2026年5月". */
export function monthParts(month: Month): { year: number; month: number } {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  return { year, month: mon };
}

/** Points as people read them: at most two decimals, no trailing zeros (18.5, 20, 17.25). */
export function formatPoints(points: number): string {
  return String(Math.round(points * 100) / 100);
}

/** The total always with two decimals (the notice's bulletins print 96.50). */
export function formatTotal(total: number): string {
  return total.toFixed(2);
}

/** An item's cell: `earned / max`, or '—' when the town had no data for it (not a zero). */
export function itemCell(item: RankingItemScore | undefined): string {
  if (!item || item.earned === null) return '—';
  return `${formatPoints(item.earned)} / ${formatPoints(item.max)}`;
}

export type MovementDirection = 'up' | 'down' | 'same' | 'none';

/** Movement from last month: ↑2 (moved up two places), ↓1, or — (same place, or no ranking last month). */
export function formatMovement(movement: number | null): { text: string; direction: MovementDirection } {
  if (movement === null) return { text: '—', direction: 'none' };
  if (movement > 0) return { text: `↑${movement}`, direction: 'up' };
  if (movement < 0) return { text: `↓${-movement}`, direction: 'down' };
  return { text: '—', direction: 'same' };
}

/** Element Plus tag type of a grade; a vetoed town's grade reads as danger whatever its points. */
export function gradeTagType(grade: RankingGrade, vetoed: boolean): 'success' | 'primary' | 'warning' | 'danger' {
  if (vetoed) return 'danger';
  switch (grade) {
    case 'excellent':
      return 'success';
    case 'good':
      return 'primary';
    case 'fair':
      return 'warning';
  }
}

/** The tags a row carries, in the order the table shows them. */
export type RowTag = 'red' | 'black' | 'interview' | 'veto';

export function rowTags(row: Pick<RankingRow, 'redList' | 'blackList' | 'interview' | 'veto'>): RowTag[] {
  const tags: RowTag[] = [];
  if (row.veto.length > 0) tags.push('veto');
  if (row.redList) tags.push('red');
  if (row.blackList) tags.push('black');
  if (row.interview) tags.push('interview');
  return tags;
}

/**
 * Classes of the choropleth, worst first: a total below the first bound is the first class.
 * The bounds sit on the grades' neighbourhood (80 good, 90 excellent) where towns differ most.
 */
export const CHOROPLETH_BOUNDS = [60, 70, 80, 90] as const;
export const CHOROPLETH_COLOURS = ['#c0392b', '#e67e22', '#f1c40f', '#7dbb5a', '#1e8449'] as const;
export const VETO_COLOUR = '#4a1010';
export const NO_DATA_COLOUR = '#c8ced8';

/** Index of the class a total falls in (0 = worst). */
export function choroplethClass(total: number): number {
  let index = 0;
  for (const bound of CHOROPLETH_BOUNDS) if (total >= bound) index += 1;
  return index;
}

/** Fill colour of a town: by its total; vetoed towns and towns without a row have their own. */
export function choroplethColour(row: Pick<RankingRow, 'total' | 'veto'> | null | undefined): string {
  if (!row) return NO_DATA_COLOUR;
  if (row.veto.length > 0) return VETO_COLOUR;
  return CHOROPLETH_COLOURS[choroplethClass(row.total)] ?? NO_DATA_COLOUR;
}

/** The legend of the choropleth: each class with its colour and range (`< 60`, `60–70`, …, `≥ 90`). */
export function choroplethLegend(): { colour: string; label: string }[] {
  const bounds = CHOROPLETH_BOUNDS;
  return CHOROPLETH_COLOURS.map((colour, index) => {
    if (index === 0) return { colour, label: `< ${bounds[0]}` };
    if (index === bounds.length) return { colour, label: `≥ ${bounds[bounds.length - 1]}` };
    return { colour, label: `${bounds[index - 1]}–${bounds[index]}` };
  });
}

/**
 * Which towns the trend chart's legend starts with: a town official sees their own town (the
 * others one click away); everyone else all towns.
 */
export function trendLegendSelection(trend: RankingTrend, ownTownCode: string | null): Record<string, boolean> {
  const own = ownTownCode ? trend.towns.find((town) => town.townCode === ownTownCode) : undefined;
  const selected: Record<string, boolean> = {};
  for (const town of trend.towns) selected[town.townName] = own ? town.townCode === own.townCode : true;
  return selected;
}

/** Red list, black list and 约谈 towns of a ranking, in rank order. */
export function rankingLists(rows: readonly RankingRow[]): { red: RankingRow[]; black: RankingRow[]; interview: RankingRow[] } {
  const ordered = [...rows].sort((a, b) => a.rank - b.rank);
  return {
    red: ordered.filter((row) => row.redList),
    black: ordered.filter((row) => row.blackList),
    interview: ordered.filter((row) => row.interview),
  };
}

/** The items that cost a town most this month (largest loss first, at most `limit`), for the notes column. */
export function problemItems(row: Pick<RankingRow, 'items'>, limit = 2): { code: RankingItemScore['code']; lost: number }[] {
  return row.items
    .filter((item): item is RankingItemScore & { earned: number } => item.earned !== null && item.earned < item.max)
    .map((item) => ({ code: item.code, lost: Math.round((item.max - item.earned) * 100) / 100 }))
    .sort((a, b) => b.lost - a.lost || a.code.localeCompare(b.code))
    .slice(0, limit);
}
