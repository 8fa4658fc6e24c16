import { describe, expect, it } from 'vitest';
import type { BaseMap } from '@muckwatch/contracts';
import { pickBaseMap, tileLayerSpecs } from './base-maps.js';

const tdt = (layer: string): string =>
  `https://t{s}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=k`;
const source = (layer: string) => ({ urlTemplate: tdt(layer), attribution: '天地图', subdomains: ['0', '1'], maxZoom: 18 });
const vector: BaseMap = { id: 'vector', ...source('vec'), overlays: [source('cva')] };
const imagery: BaseMap = { id: 'imagery', ...source('img'), overlays: [source('cia')] };

describe('base map tile layers', () => {
  it('draws 天地图 vector under its place-name annotation (vec then cva), imagery likewise (img then cia)', () => {
    expect(tileLayerSpecs(vector).map((s) => s.urlTemplate)).toEqual([tdt('vec'), tdt('cva')]);
    expect(tileLayerSpecs(imagery).map((s) => s.urlTemplate)).toEqual([tdt('img'), tdt('cia')]);
    expect(tileLayerSpecs(vector)[1]!.options).toMatchObject({ subdomains: ['0', '1'], attribution: '', className: 'base-tiles-annotation' });
  });

  it('switches by id, falls back to the first, and draws nothing offline', () => {
    expect(pickBaseMap([vector, imagery], 'imagery')).toBe(imagery);
    expect(pickBaseMap([vector, imagery], 'nope')).toBe(vector);
    expect(pickBaseMap([], null)).toBeNull();
    expect(tileLayerSpecs(null)).toEqual([]);
  });
});
