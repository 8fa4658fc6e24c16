import { defineComponent, onBeforeUnmount, onMounted } from 'vue';
import L from 'leaflet';
import { useMap } from '../map/map-context.js';

/** One case's place: a ringed dot, the map centred on it. Mount it inside <MapView>. */
export default defineComponent({
  name: 'CaseSpotLayer',
  props: {
    lon: { type: Number, required: true },
    lat: { type: Number, required: true },
    zoom: { type: Number, default: 14 },
  },
  setup(props) {
    const map = useMap();
    const group = L.layerGroup([
      L.circle([props.lat, props.lon], { radius: 250, color: '#c0392b', weight: 1, fillColor: '#c0392b', fillOpacity: 0.15, interactive: false }),
      L.circleMarker([props.lat, props.lon], { radius: 6, color: '#ffffff', weight: 2, fillColor: '#c0392b', fillOpacity: 1, interactive: false }),
    ]);
    onMounted(() => {
      group.addTo(map);
      map.setView([props.lat, props.lon], props.zoom, { animate: false });
    });
    onBeforeUnmount(() => group.remove());
    return () => null;
  },
});
