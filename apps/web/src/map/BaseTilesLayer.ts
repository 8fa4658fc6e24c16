import { defineComponent, onBeforeUnmount, watch } from 'vue';
import L from 'leaflet';
import { useConsoleConfigStore } from '../stores/console-config.js';
import { useMap } from './map-context.js';
import { tileLayerSpecs } from './base-maps.js';

/**
 * The base map chosen from the console configuration's (`baseMap` of the store), with its annotation
 * layers on top (天地图's place names are a separate layer); none at all offline (`tiles: null`).
 */
export default defineComponent({
  name: 'BaseTilesLayer',
  setup() {
    const map = useMap();
    const config = useConsoleConfigStore();
    let layers: L.TileLayer[] = [];

    watch(
      () => config.baseMap,
      (baseMap) => {
        for (const layer of layers) layer.remove();
        const specs = tileLayerSpecs(baseMap);
        map.getContainer().classList.toggle('map--with-tiles', specs.length > 0);
        layers = specs.map((spec) => L.tileLayer(spec.urlTemplate, spec.options).addTo(map));
      },
      { immediate: true },
    );

    onBeforeUnmount(() => {
      map.getContainer().classList.remove('map--with-tiles');
      for (const layer of layers) layer.remove();
      layers = [];
    });
    return () => null;
  },
});
