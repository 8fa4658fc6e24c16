import { defineComponent, onMounted, watch, type PropType } from 'vue';
import L from 'leaflet';
import type { Geometry } from 'geojson';
import { useMap } from '../../map/map-context.js';

/** Keeps the map fitted to the given shapes (a form's preview). Draws nothing itself. */
export default defineComponent({
  name: 'FitToShapes',
  props: {
    geometries: { type: Array as PropType<readonly Geometry[]>, required: true },
  },
  setup(props) {
    const map = useMap();
    function fit(): void {
      if (props.geometries.length === 0) return;
      const bounds = L.geoJSON({ type: 'GeometryCollection', geometries: [...props.geometries] } as GeoJSON.GeometryCollection).getBounds();
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
    }
    onMounted(() => {
      map.invalidateSize();
      fit();
    });
    watch(() => props.geometries, fit);
    return () => null;
  },
});
