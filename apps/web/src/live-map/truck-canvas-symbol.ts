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
 * amber halo when selected. The ring, its shadow, the glyph and the badge come from a sprite drawn
 * once per look (bodySprite): the live map redraws every truck in view whenever some of them move,
 * and rasterising a blurred shadow and the glyph's path for each of 2,000 trucks was most of the
 * page's work (a long task each second on a software-rendered browser).
 */
export function drawTruckSymbol(ctx: CanvasRenderingContext2D, x: number, y: number, symbol: TruckSymbol, palette: SymbolPalette): void {
  const colour = palette[symbol.state];
  const cx = Math.round(x);
  const cy = Math.round(y);
  if (symbol.selected || symbol.state === 'moving') {
    ctx.save();
    ctx.translate(cx, cy);
    if (symbol.selected) {
      ctx.beginPath();
      ctx.arc(0, 0, 13.5, 0, Math.PI * 2);
      ctx.fillStyle = palette.selected;
      ctx.fill();
    }
    if (symbol.state === 'moving') {
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
    }
    ctx.restore();
  }
  const sprite = bodySprite(colour, symbol.loaded, symbol.coverOpen, palette.danger);
  if (sprite) {
    ctx.drawImage(sprite, cx - BODY_HALF_PX, cy - BODY_HALF_PX, 2 * BODY_HALF_PX, 2 * BODY_HALF_PX);
    return;
  }
  ctx.save();
  ctx.translate(cx, cy);
  drawTruckBody(ctx, colour, symbol.loaded, symbol.coverOpen, palette.danger);
  ctx.restore();
}

/** Half the side of a body sprite: the ring (9 px and its 2 px line), its shadow and the badge's reach (8.5 + 6.5 + its line). */
const BODY_HALF_PX = 17;
/** Sprites by look: a state's colour, loaded, cover open, the badge's colour and the pixel ratio (a few dozen at most). */
const sprites = new Map<string, HTMLCanvasElement | null>();
const MAX_SPRITES = 64;

/** The body of a truck drawn once on a small canvas at the screen's pixel ratio; null where a canvas cannot be drawn on (tests). */
function bodySprite(colour: string, loaded: boolean, coverOpen: boolean, danger: string): HTMLCanvasElement | null {
  const ratio = Math.min(3, Math.max(1, Math.ceil(globalThis.devicePixelRatio || 1)));
  const key = `${colour}|${loaded ? 1 : 0}|${coverOpen ? 1 : 0}|${danger}|${ratio}`;
  const have = sprites.get(key);
  if (have !== undefined) return have;
  if (sprites.size >= MAX_SPRITES) sprites.clear();
  let sprite: HTMLCanvasElement | null = null;
  if (typeof document !== 'undefined') {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 2 * BODY_HALF_PX * ratio;
    const g = canvas.getContext('2d');
    if (g) {
      g.setTransform(ratio, 0, 0, ratio, BODY_HALF_PX * ratio, BODY_HALF_PX * ratio);
      drawTruckBody(g, colour, loaded, coverOpen, danger);
      sprite = canvas;
    }
  }
  sprites.set(key, sprite);
  return sprite;
}

/** The ring, filled when loaded, with its shadow, the truck glyph and the cover-open badge, centred on the origin. */
function drawTruckBody(ctx: CanvasRenderingContext2D, colour: string, loaded: boolean, coverOpen: boolean, danger: string): void {
  ctx.beginPath();
  ctx.arc(0, 0, 9, 0, Math.PI * 2);
  ctx.shadowColor = 'rgba(0, 0, 0, 0.35)';
  ctx.shadowBlur = 3;
  ctx.shadowOffsetY = 1;
  ctx.fillStyle = loaded ? colour : '#fff';
  ctx.fill();
  ctx.shadowColor = 'transparent';
  ctx.lineWidth = 2;
  ctx.strokeStyle = colour;
  ctx.stroke();
  glyph ??= new Path2D(GLYPH);
  ctx.save();
  ctx.translate(-6.5, -6.5);
  ctx.scale(13 / 24, 13 / 24);
  ctx.fillStyle = loaded ? '#fff' : colour;
  ctx.fill(glyph);
  ctx.restore();
  if (coverOpen) drawBadge(ctx, 8.5, -8.5, '!', danger);
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
