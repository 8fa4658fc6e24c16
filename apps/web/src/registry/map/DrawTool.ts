import { defineComponent, onBeforeUnmount, onMounted, type PropType } from 'vue';
import type L from 'leaflet';
import { loadGeoman } from './geoman.js';
import { useMap } from '../../map/map-context.js';

/**
 * While mounted, the map is in Leaflet-Geoman's draw mode for a polygon or a line; the finished
 * shape is emitted as its points (the drawn layer itself is taken off again: the page shows the
 * shape as an editable draft). Unmounting leaves draw mode.
 */
export default defineComponent({
  name: 'DrawTool',
  props: {
    shape: { type: String as PropType<'Polygon' | 'Line'>, required: true },
    colour: { type: String, default: '#1a5aab' },
  },
  emits: { drawn: (_points: L.LatLng[]) => true },
  setup(props, { emit }) {
    const map = useMap();

    function onCreate(event: { layer: L.Layer }): void {
      const layer = event.layer as L.Polyline;
      const latlngs = layer.getLatLngs();
      const points = (props.shape === 'Polygon' ? (latlngs[0] as L.LatLng[]) : (latlngs as L.LatLng[])).map((p) => p.clone());
      layer.remove();
      emit('drawn', points);
    }

    let active = true;
    onMounted(async () => {
      await loadGeoman();
      if (!active) return;
      map.on('pm:create', onCreate);
      map.pm.enableDraw(props.shape, {
        allowSelfIntersection: true,
        snappable: false,
        templineStyle: { color: props.colour },
        hintlineStyle: { color: props.colour, dashArray: [5, 5] },
        pathOptions: { color: props.colour },
        finishOn: props.shape === 'Line' ? 'dblclick' : null,
      });
    });
    onBeforeUnmount(() => {
      active = false;
      map.off('pm:create', onCreate);
      map.pm?.disableDraw();
    });
    return () => null;
  },
});
