import { defineComponent, onBeforeUnmount, onMounted, watch, type PropType } from 'vue';
import L from 'leaflet';
import type { RankingRow } from '@muckwatch/contracts';
import { useTownsStore } from '../stores/towns.js';
import type { TownCollection } from '../api/endpoints.js';
import { labelPoint } from '../map/geometry.js';
import { MapPane, useMap } from '../map/map-context.js';
import { choroplethColour, formatTotal } from './ranking-view.js';

const OVERVIEW_BELOW_ZOOM = 11.5;

/**
 * The towns filled by their month's total (colours from ranking-view's scale), each labelled with
 * its name and total; a click on a town emits its code. Mount it inside <MapView>.
 */
export default defineComponent({
  name: 'RankingChoroplethLayer',
  props: {
    rows: { type: Array as PropType<readonly RankingRow[]>, required: true },
    selected: { type: String as PropType<string | null>, default: null },
    /** Print: no hover or click, labels always. */
    still: { type: Boolean, default: false },
  },
  emits: { select: (townCode: string) => typeof townCode === 'string' },
  setup(props, { emit }) {
    const map = useMap();
    const towns = useTownsStore();
    const group = L.layerGroup();
    let fittedTo: TownCollection | null = null;
    let resize: ResizeObserver | null = null;

    /** The towns fill the map: on the first drawing and whenever the map's box changes size. */
    function fit(): void {
      const collection = towns.collection;
      if (!collection) return;
      map.invalidateSize({ animate: false });
      const size = map.getSize();
      if (size.x === 0 || size.y === 0) return;
      map.fitBounds(L.geoJSON(collection).getBounds(), { padding: [6, 6], animate: false });
      fittedTo = collection;
    }

    // At district scale the small enterprise zones' labels would sit on the urban streets' (as TownsLayer does).
    const markOverview = (): void => {
      map.getContainer().classList.toggle('map--overview', map.getZoom() < OVERVIEW_BELOW_ZOOM);
    };

    function draw(): void {
      group.clearLayers();
      const collection = towns.collection;
      if (!collection) return;
      const byCode = new Map(props.rows.map((row) => [row.townCode, row]));
      for (const feature of collection.features) {
        const code = feature.properties.code;
        const row = byCode.get(code);
        const selected = code === props.selected;
        const shape = L.geoJSON(feature, {
          pane: MapPane.Towns,
          interactive: !props.still,
          style: {
            color: selected ? '#0b2f63' : '#ffffff',
            weight: selected ? 3 : 1.2,
            opacity: 1,
            fillColor: choroplethColour(row),
            fillOpacity: 0.78,
            className: 'ranking-choropleth__town',
          },
        });
        if (!props.still) shape.on('click', () => emit('select', code));
        group.addLayer(shape);
        const [lon, lat] = labelPoint(feature.geometry);
        const label = document.createElement('span');
        label.dataset['town'] = code;
        const name = document.createElement('b');
        name.textContent = feature.properties.name;
        label.append(name);
        if (row) {
          const total = document.createElement('span');
          total.className = 'ranking-choropleth__total';
          total.textContent = formatTotal(row.total);
          label.append(document.createElement('br'), total);
        }
        group.addLayer(
          L.tooltip({
            pane: MapPane.TownLabels,
            permanent: true,
            direction: 'center',
            interactive: false,
            className: `town-label ranking-choropleth__label town-label--${feature.properties.kind}`,
          })
            .setLatLng([lat, lon])
            .setContent(label),
        );
      }
    }

    onMounted(() => {
      group.addTo(map);
      map.on('zoomend', markOverview);
      markOverview();
      resize = new ResizeObserver(() => fit());
      resize.observe(map.getContainer());
      void towns.load();
    });
    watch(
      () => [towns.collection, props.rows, props.selected],
      () => {
        draw();
        if (towns.collection && fittedTo !== towns.collection) fit();
      },
      { immediate: true },
    );
    onBeforeUnmount(() => {
      resize?.disconnect();
      map.off('zoomend', markOverview);
      map.getContainer().classList.remove('map--overview');
      group.remove();
    });
    return () => null;
  },
});
