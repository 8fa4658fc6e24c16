import type { CoverState, LoadState } from '@muckwatch/contracts';
import type { MotionState } from '@muckwatch/domain';

/** Above this weight a truck counts as loaded even when its load sensor reports no state. */
export const LOADED_ABOVE_T = 0.5;

/** Loaded (重车): the load sensor says half, full or overload, or the weight is above half a tonne. */
export function isLoaded(truck: { load: LoadState | null; loadT: number | null }): boolean {
  if (truck.load === 'half' || truck.load === 'full' || truck.load === 'overload') return true;
  return truck.loadT !== null && truck.loadT > LOADED_ABOVE_T;
}

/** Unsealed while loaded (重车未密闭): the cover is open or partly open on a loaded truck. */
export function isCoverOpenWhileLoaded(truck: {
  cover: CoverState | null;
  load: LoadState | null;
  loadT: number | null;
}): boolean {
  return (truck.cover === 'open' || truck.cover === 'partial') && isLoaded(truck);
}

/** What a truck marker shows. */
export interface TruckSymbol {
  state: MotionState;
  loaded: boolean;
  coverOpen: boolean;
  headingDeg: number;
  selected: boolean;
}

function modifiers(symbol: TruckSymbol): string[] {
  const list: string[] = [symbol.state, symbol.loaded ? 'loaded' : 'empty'];
  if (symbol.coverOpen) list.push('cover-open');
  if (symbol.selected) list.push('selected');
  return list;
}

/**
 * Class list of a map marker's root element; `truck-marker truck-marker--{state}` always comes
 * first (browser tests find markers by it). The legend draws the symbol without these classes.
 */
export function truckSymbolClass(symbol: TruckSymbol): string {
  return ['truck-marker', ...modifiers(symbol).map((m) => `truck-marker--${m}`)].join(' ');
}

/** Changes when the marker needs a new icon; heading alone only turns the arrow. */
export function truckSymbolKey(symbol: TruckSymbol): string {
  return modifiers(symbol).join(' ');
}

/** CSS rotation of the heading arrow, whole degrees. */
export function headingTransform(headingDeg: number): string {
  const deg = Number.isFinite(headingDeg) ? ((Math.round(headingDeg) % 360) + 360) % 360 : 0;
  return `rotate(${deg}deg)`;
}

const TRUCK_GLYPH =
  '<svg class="truck-symbol__glyph" viewBox="0 0 24 24" aria-hidden="true">' +
  '<path d="M1.5 6.5h12v8.5h-12z M14.5 9.5h4.2l3.3 3.6v1.9h-7.5z"/>' +
  '<circle cx="5.5" cy="17" r="2.1"/><circle cx="17.5" cy="17" r="2.1"/></svg>';

/**
 * The drawn symbol, shared by map markers and the legend (no user data in it: a marker's plate
 * and terminal id go in its root element's attributes).
 */
export function truckSymbolHtml(symbol: TruckSymbol): string {
  const classes = ['truck-symbol', ...modifiers(symbol).map((m) => `truck-symbol--${m}`)].join(' ');
  const arrow =
    symbol.state === 'moving'
      ? `<span class="truck-symbol__arrow" style="transform:${headingTransform(symbol.headingDeg)}"><i></i></span>`
      : '';
  const badge = symbol.coverOpen ? '<span class="truck-symbol__badge">!</span>' : '';
  return `<span class="${classes}">${arrow}<span class="truck-symbol__body">${TRUCK_GLYPH}</span>${badge}</span>`;
}
