import { inject, type InjectionKey, type ShallowRef } from 'vue';
import type { Map as LeafletMap } from 'leaflet';

/** The console's one Leaflet map, provided by MapView to the layers in its slot. */
export const MAP_KEY: InjectionKey<Readonly<ShallowRef<LeafletMap | null>>> = Symbol('muckwatch.map');

/** The map a layer adds itself to. MapView renders its slot only once the map exists. */
export function useMap(): LeafletMap {
  const map = inject(MAP_KEY, null)?.value;
  if (!map) throw new Error('useMap() must be called by a layer inside <MapView>');
  return map;
}

/** Shared panes, bottom to top, so layers stack the same whatever order they mount in. */
export const MapPane = {
  Mask: 'muckwatch-mask',
  Towns: 'muckwatch-towns',
  District: 'muckwatch-district',
  /** Below the markers (600), unlike Leaflet's tooltip pane. */
  TownLabels: 'muckwatch-town-labels',
} as const;
