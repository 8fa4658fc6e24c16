import { defineComponent, onBeforeUnmount, onMounted, watch } from 'vue';
import L from 'leaflet';
import { useTownsStore } from '../stores/towns.js';
import type { TownCollection } from '../api/endpoints.js';
import { labelPoint } from './geometry.js';
import { MapPane, useMap } from './map-context.js';

const OVERVIEW_BELOW_ZOOM = 12;

/** The assessed towns: dashed outlines and their names. Mount it to show them, unmount to hide. */
export default defineComponent({
  name: 'TownsLayer',
  setup() {
    const map = useMap();
    const towns = useTownsStore();
    const group = L.layerGroup();

    function draw(collection: TownCollection | null): void {
      group.clearLayers();
      if (!collection) return;
      for (const feature of collection.features) {
        const synthetic = feature.properties.synthetic;
        group.addLayer(
          L.geoJSON(feature, {
            pane: MapPane.Towns,
            interactive: false,
            style: {
              color: '#4a5d78',
              weight: 1.2,
              opacity: 0.85,
              dashArray: synthetic ? '6 5' : '4 3',
              fillColor: '#4a5d78',
              fillOpacity: 0.03,
              className: synthetic ? 'town-outline town-outline--synthetic' : 'town-outline',
            },
          }),
        );
        const [lon, lat] = labelPoint(feature.geometry);
        const label = document.createElement('span');
        label.textContent = feature.properties.name;
        group.addLayer(
          L.tooltip({
            pane: MapPane.TownLabels,
            permanent: true,
            direction: 'center',
            interactive: false,
            className: `town-label town-label--${feature.properties.kind}`,
          })
            .setLatLng([lat, lon])
            .setContent(label),
        );
      }
    }

    // At district scale the small enterprise zones' names would sit on top of the urban streets'.
    const markOverview = (): void => {
      map.getContainer().classList.toggle('map--overview', map.getZoom() < OVERVIEW_BELOW_ZOOM);
    };

    onMounted(() => {
      group.addTo(map);
      map.on('zoomend', markOverview);
      markOverview();
      void towns.load();
    });
    watch(() => towns.collection, draw, { immediate: true });
    onBeforeUnmount(() => {
      map.off('zoomend', markOverview);
      map.getContainer().classList.remove('map--overview');
      group.remove();
    });
    return () => null;
  },
});
