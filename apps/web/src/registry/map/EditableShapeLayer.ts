import { defineComponent, onBeforeUnmount, onMounted, type PropType } from 'vue';
import L from 'leaflet';
import { loadGeoman } from './geoman.js';
import { useMap } from '../../map/map-context.js';

/**
 * The draft shape of the record being edited: a polygon or line whose vertices can be dragged
 * (Leaflet-Geoman edit mode). Emits the new points after every change; removes itself on unmount.
 */
export default defineComponent({
  name: 'EditableShapeLayer',
  props: {
    /** [lat, lng] points: a polygon's open ring or a line. */
    points: { type: Array as PropType<ReadonlyArray<[number, number]>>, required: true },
    shape: { type: String as PropType<'Polygon' | 'Line'>, required: true },
    colour: { type: String, default: '#1a5aab' },
  },
  emits: { change: (_points: L.LatLng[]) => true },
  setup(props, { emit }) {
    const map = useMap();
    const style: L.PathOptions = { color: props.colour, weight: 3, dashArray: '6 4', fillColor: props.colour, fillOpacity: 0.3, className: 'geofence-draft' };
    const points = props.points.map(([lat, lng]) => [lat, lng] as L.LatLngTuple);
    // A polygon is a closed polyline to Leaflet; both edit the same way.
    const layer = (props.shape === 'Polygon' ? L.polygon(points, style) : L.polyline(points, style)) as unknown as L.Polyline;

    const current = (): L.LatLng[] => {
      const latlngs = layer.getLatLngs();
      return props.shape === 'Polygon' ? (latlngs[0] as L.LatLng[]) : (latlngs as L.LatLng[]);
    };
    const changed = (): void => emit('change', current().map((p) => p.clone()));

    let active = true;
    onMounted(async () => {
      layer.addTo(map);
      if (!map.getBounds().contains(layer.getBounds())) map.fitBounds(layer.getBounds(), { padding: [60, 60], maxZoom: 16 });
      await loadGeoman();
      if (!active) return;
      layer.pm.enable({ allowSelfIntersection: true, snappable: false });
      layer.on('pm:edit', changed);
    });
    onBeforeUnmount(() => {
      active = false;
      layer.off('pm:edit', changed);
      layer.pm?.disable();
      layer.remove();
    });
    return () => null;
  },
});
