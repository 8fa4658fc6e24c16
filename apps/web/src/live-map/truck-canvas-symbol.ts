import type { TruckSymbol } from '../trucks/truck-symbol.js';
import type { TruckClusterCounts } from './truck-clusters.js';

/** The colours of the map symbols, read once from the console's CSS variables (styles/console.css). */
export interface SymbolPalette {
  moving: string;
  stopped: string;
  offline: string;
  danger: string;
  selected: string;
}

export function readPalette(element: Element): SymbolPalette {
  const style = getComputedStyle(element);
  const value = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  return {
    moving: value('--mw-moving', '#17a34a'),
    stopped: value('--mw-stopped', '#2f6fd6'),
    offline: value('--mw-offline', '#8d96a3'),
    danger: value('--mw-danger', '#dc2626'),
    selected: '#ffb020',
  };
}

/** Half the drawn size of a truck: the heading arrow's tip lies this far from the centre. */
export const TRUCK_SYMBOL_RADIUS_PX = 19;
/** Where a pointer counts as on the truck (the body circle, a little generous). */
export const TRUCK_HIT_RADIUS_PX = 12;

/** The same glyph as the DOM symbol (trucks/truck-symbol.ts), 24 × 24 units. */
const GLYPH =
  'M1.5 6.5h12v8.5h-12z M14.5 9.5h4.2l3.3 3.6v1.9h-7.5z ' +
  'M7.6 17a2.1 2.1 0 1 1 -4.2 0a2.1 2.1 0 1 1 4.2 0z M19.6 17a2.1 2.1 0 1 1 -4.2 0a2.1 2.1 0 1 1 4.2 0z';
let glyph: Path2D | null = null;

/**
 * Draws a truck as the legend shows it (MarkerLegend.vue): a ring in the state's colour, filled
 * when loaded, the heading arrow when moving, a red "!" when loaded with the cover open, and an
 * amber halo when selected.
 */
export function drawTruckSymbol(ctx: CanvasRenderingContext2D, x: number, y: number, symbol: TruckSymbol, palette: SymbolPalette): void {
  const colour = palette[symbol.state];
  ctx.save();
  ctx.translate(Math.round(x), Math.round(y));
  if (symbol.selected) {
    ctx.beginPath();
    ctx.arc(0, 0, 13.5, 0, Math.PI * 2);
    ctx.fillStyle = palette.selected;
    ctx.fill();
  }
  if (symbol.state === 'moving') {
    ctx.save();
    const deg = Number.isFinite(symbol.headingDeg) ? symbol.headingDeg : 0;
    ctx.rotate((deg * Math.PI) / 180);
    ctx.beginPath();
    ctx.moveTo(0, -TRUCK_SYMBOL_RADIUS_PX);
    ctx.lineTo(5.5, -10.5);
    ctx.lineTo(-5.5, -10.5);
    ctx.closePath();
    ctx.fillStyle = colour;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 1;
    ctx.fill();
    ctx.stroke();
    ctx.restore();
  }
  ctx.beginPath();
  ctx.arc(0, 0, 9, 0, Math.PI * 2);
  ctx.shadowColor = 'rgba(0, 0, 0, 0.35)';
  ctx.shadowBlur = 3;
  ctx.shadowOffsetY = 1;
  ctx.fillStyle = symbol.loaded ? colour : '#fff';
  ctx.fill();
  ctx.shadowColor = 'transparent';
  ctx.lineWidth = 2;
  ctx.strokeStyle = colour;
  ctx.stroke();
  glyph ??= new Path2D(GLYPH);
  ctx.save();
  ctx.translate(-6.5, -6.5);
  ctx.scale(13 / 24, 13 / 24);
  ctx.fillStyle = symbol.loaded ? '#fff' : colour;
  ctx.fill(glyph);
  ctx.restore();
  if (symbol.coverOpen) drawBadge(ctx, 8.5, -8.5, '!', palette.danger);
  ctx.restore();
}

function drawBadge(ctx: CanvasRenderingContext2D, x: number, y: number, text: string, colour: string): void {
  ctx.beginPath();
  ctx.arc(x, y, 6.5, 0, Math.PI * 2);
  ctx.fillStyle = colour;
  ctx.fill();
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = '#fff';
  ctx.stroke();
  ctx.fillStyle = '#fff';
  ctx.font = '800 9px sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, x, y + 0.5);
}

/** Radius of an aggregated marker: grows slowly with the number of trucks in it. */
export function clusterRadius(count: number): number {
  return Math.round(15 + Math.min(11, Math.log2(Math.max(1, count)) * 2));
}

/**
 * An aggregated marker: a ring split by state (moving, stopped, offline, in the legend's colours),
 * the number of trucks inside, and a red badge when any of them is loaded with the cover open.
 */
export function drawTruckCluster(
  ctx: CanvasRenderingContext2D,
  x: number,
  y: number,
  count: number,
  counts: TruckClusterCounts,
  palette: SymbolPalette,
): void {
  const r = clusterRadius(count);
  ctx.save();
  ctx.translate(Math.round(x), Math.round(y));
  ctx.beginPath();
  ctx.arc(0, 0, r, 0, Math.PI * 2);
  ctx.fillStyle = 'rgba(255, 255, 255, 0.92)';
  ctx.shadowColor = 'rgba(0, 0, 0, 0.3)';
  ctx.shadowBlur = 4;
  ctx.shadowOffsetY = 1;
  ctx.fill();
  ctx.shadowColor = 'transparent';
  const total = counts.moving + counts.stopped + counts.offline || 1;
  let start = -Math.PI / 2;
  ctx.lineWidth = 5;
  for (const state of ['moving', 'stopped', 'offline'] as const) {
    if (counts[state] === 0) continue;
    const sweep = (counts[state] / total) * Math.PI * 2;
    ctx.beginPath();
    ctx.arc(0, 0, r - 3, start, start + sweep);
    ctx.strokeStyle = palette[state];
    ctx.stroke();
    start += sweep;
  }
  ctx.fillStyle = '#1f2937';
  ctx.font = `600 ${count >= 1000 ? 11 : 12}px sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(String(count), 0, 0.5);
  if (counts.coverOpen > 0) drawBadge(ctx, r * 0.72, -r * 0.72, '!', palette.danger);
  ctx.restore();
}
