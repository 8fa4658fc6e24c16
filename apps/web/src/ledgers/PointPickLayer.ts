import { defineComponent, onBeforeUnmount, onMounted, watch, type PropType } from 'vue';
import L from 'leaflet';
import type { Point } from 'geojson';
import { useMap } from '../map/map-context.js';

/**
 * While mounted, a click on the map picks a point; the picked point is a marker that can be
 * dragged. Emits the new position; the parent holds the point.
 */
export default defineComponent({
  name: 'PointPickLayer',
  props: {
    point: { type: Object as PropType<Point | null>, default: null },
  },
  emits: { pick: (_at: L.LatLng) => true },
  setup(props, { emit }) {
    const map = useMap();
    const icon = L.divIcon({ className: 'ledger-pick', html: '<span class="ledger-pick__pin"></span>', iconSize: [22, 22], iconAnchor: [11, 11] });
    let marker: L.Marker | null = null;

    function onClick(event: L.LeafletMouseEvent): void {
      emit('pick', event.latlng);
    }

    function place(point: Point | null): void {
      if (!point) {
        marker?.remove();
        marker = null;
        return;
      }
      const at = L.latLng(point.coordinates[1]!, point.coordinates[0]!);
      if (marker) marker.setLatLng(at);
      else {
        marker = L.marker(at, { icon, draggable: true, pmIgnore: true }).addTo(map);
        marker.on('dragend', () => marker && emit('pick', marker.getLatLng()));
      }
      if (!map.getBounds().contains(at)) map.panTo(at, { animate: false });
    }

    onMounted(() => {
      map.getContainer().classList.add('map--picking');
      map.on('click', onClick);
      place(props.point);
    });
    watch(() => props.point, place);
    onBeforeUnmount(() => {
      map.getContainer().classList.remove('map--picking');
      map.off('click', onClick);
      marker?.remove();
      marker = null;
    });
    return () => null;
  },
});
