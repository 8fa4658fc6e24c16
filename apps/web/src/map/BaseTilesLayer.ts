import { defineComponent, onBeforeUnmount, watch } from 'vue';
import L from 'leaflet';
import { useConsoleConfigStore } from '../stores/console-config.js';
import { useMap } from './map-context.js';

/** The base map from the console configuration; none at all when it says `tiles: null` (offline). */
export default defineComponent({
  name: 'BaseTilesLayer',
  setup() {
    const map = useMap();
    const config = useConsoleConfigStore();
    let layer: L.TileLayer | null = null;

    watch(
      () => config.tiles,
      (tiles) => {
        layer?.remove();
        layer = null;
        map.getContainer().classList.toggle('map--with-tiles', tiles !== null);
        if (!tiles) return;
        layer = L.tileLayer(tiles.urlTemplate, {
          attribution: tiles.attribution,
          subdomains: tiles.subdomains.length > 0 ? tiles.subdomains : 'abc',
          maxZoom: tiles.maxZoom,
        }).addTo(map);
      },
      { immediate: true },
    );

    onBeforeUnmount(() => {
      map.getContainer().classList.remove('map--with-tiles');
      layer?.remove();
      layer = null;
    });
    return () => null;
  },
});
