import type { BaseMap, TileSource } from '@muckwatch/contracts';

/** What Leaflet's L.tileLayer is given for one tiled layer. */
export interface TileLayerSpec {
  urlTemplate: string;
  options: { attribution: string; subdomains: string | string[]; maxZoom: number; className: string };
}

function spec(source: TileSource, className: string): TileLayerSpec {
  return {
    urlTemplate: source.urlTemplate,
    options: { attribution: source.attribution, subdomains: source.subdomains.length > 0 ? source.subdomains : 'abc', maxZoom: source.maxZoom, className },
  };
}

/** The tile layers of a base map, bottom first: the base, then its annotation layers (天地图 cva / cia place names). */
export function tileLayerSpecs(baseMap: BaseMap | null): TileLayerSpec[] {
  if (!baseMap) return [];
  // The annotations carry no attribution of their own: the base's already names the provider.
  return [spec(baseMap, `base-tiles base-tiles--${baseMap.id}`), ...baseMap.overlays.map((o) => ({ ...spec(o, 'base-tiles-annotation'), options: { ...spec(o, 'base-tiles-annotation').options, attribution: '' } }))];
}

/** The base map with that id, else the first (the default). */
export function pickBaseMap(baseMaps: readonly BaseMap[], id: string | null): BaseMap | null {
  return baseMaps.find((m) => m.id === id) ?? baseMaps[0] ?? null;
}
