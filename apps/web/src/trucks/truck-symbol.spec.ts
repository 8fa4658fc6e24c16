import { describe, expect, it } from 'vitest';
import {
  headingTransform,
  isCoverOpenWhileLoaded,
  isLoaded,
  truckSymbolClass,
  truckSymbolHtml,
  type TruckSymbol,
} from './truck-symbol.js';

describe('isLoaded', () => {
  it('is loaded when the load sensor says half, full or overload', () => {
    expect(isLoaded({ load: 'half', loadT: null })).toBe(true);
    expect(isLoaded({ load: 'full', loadT: null })).toBe(true);
    expect(isLoaded({ load: 'overload', loadT: null })).toBe(true);
  });

  it('is loaded when the weight is above half a tonne', () => {
    expect(isLoaded({ load: null, loadT: 12.4 })).toBe(true);
    expect(isLoaded({ load: null, loadT: 0.5 })).toBe(false);
  });

  it('is empty with no load data at all', () => {
    expect(isLoaded({ load: null, loadT: null })).toBe(false);
    expect(isLoaded({ load: 'empty', loadT: 0 })).toBe(false);
  });
});

describe('isCoverOpenWhileLoaded', () => {
  it('flags a loaded truck with its cover open or partly open', () => {
    expect(isCoverOpenWhileLoaded({ cover: 'open', load: 'full', loadT: 18 })).toBe(true);
    expect(isCoverOpenWhileLoaded({ cover: 'partial', load: null, loadT: 3 })).toBe(true);
  });

  it('does not flag an empty truck with its cover open, nor a closed or faulty cover', () => {
    expect(isCoverOpenWhileLoaded({ cover: 'open', load: 'empty', loadT: 0 })).toBe(false);
    expect(isCoverOpenWhileLoaded({ cover: 'closed', load: 'full', loadT: 18 })).toBe(false);
    expect(isCoverOpenWhileLoaded({ cover: 'fault', load: 'full', loadT: 18 })).toBe(false);
    expect(isCoverOpenWhileLoaded({ cover: null, load: 'full', loadT: 18 })).toBe(false);
  });
});

describe('truck marker symbol', () => {
  const moving: TruckSymbol = { state: 'moving', loaded: true, coverOpen: true, headingDeg: 90, selected: false };

  it('starts the class list with the motion state the browser tests look for', () => {
    expect(truckSymbolClass(moving)).toBe('truck-marker truck-marker--moving truck-marker--loaded truck-marker--cover-open');
    expect(truckSymbolClass({ ...moving, state: 'offline', loaded: false, coverOpen: false, selected: true })).toBe(
      'truck-marker truck-marker--offline truck-marker--empty truck-marker--selected',
    );
  });

  it('draws a heading arrow only while moving, and the badge only for an open cover', () => {
    expect(truckSymbolHtml(moving)).toContain('truck-symbol__arrow');
    expect(truckSymbolHtml(moving)).toContain('rotate(90deg)');
    expect(truckSymbolHtml(moving)).toContain('truck-symbol__badge');
    const stopped = truckSymbolHtml({ ...moving, state: 'stopped', coverOpen: false });
    expect(stopped).not.toContain('truck-symbol__arrow');
    expect(stopped).not.toContain('truck-symbol__badge');
  });

  it('keeps the marker classes out of the drawn symbol, so the legend is not taken for a marker', () => {
    expect(truckSymbolHtml(moving)).not.toContain('truck-marker');
  });

  it('normalises headings to whole degrees in 0–359', () => {
    expect(headingTransform(-90)).toBe('rotate(270deg)');
    expect(headingTransform(359.6)).toBe('rotate(0deg)');
    expect(headingTransform(Number.NaN)).toBe('rotate(0deg)');
  });
});
