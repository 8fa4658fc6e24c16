/**
 * How many of the header's menu entries fit in one row, the rest going under 更多 (a "priority+"
 * menu: entries keep the router's order, so the first pages stay where users learned them).
 *
 * `widths` are the entries' own widths in order, `gap` the space between two entries, `available`
 * the row's width and `moreWidth` the width of the 更多 button, counted only when something is left
 * over. Always at least one entry stays in the row: a menu that is only 更多 helps nobody.
 */
export function navEntriesThatFit(widths: readonly number[], gap: number, available: number, moreWidth: number): number {
  const total = widths.reduce((sum, width) => sum + width, 0) + gap * Math.max(0, widths.length - 1);
  if (total <= available) return widths.length;
  const room = available - moreWidth - gap;
  let used = 0;
  for (const [i, width] of widths.entries()) {
    used += width + (i > 0 ? gap : 0);
    if (used > room) return Math.max(1, i);
  }
  return widths.length;
}
