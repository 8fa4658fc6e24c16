import { defineComponent, onBeforeUnmount, onMounted, watch } from 'vue';
import L from 'leaflet';
import { useMap } from '../map/map-context.js';
import { recentTrack, type RecentTrack } from './recent-track.js';

/** The selected truck's recent track, drawn on demand from the truck panel; fits the map to it. */
export default defineComponent({
  name: 'RecentTrackLayer',
  setup() {
    const map = useMap();
    const group = L.layerGroup();

    function draw(track: RecentTrack | null): void {
      group.clearLayers();
      if (!track || track.points.length === 0) return;
      const line = L.polyline(track.points, { color: '#0e7490', weight: 4, opacity: 0.85, className: 'recent-track' });
      group.addLayer(line);
      group.addLayer(L.circleMarker(track.points[0]!, { radius: 5, color: '#0e7490', weight: 2, fillColor: '#fff', fillOpacity: 1, className: 'recent-track-start' }));
      map.fitBounds(line.getBounds(), { padding: [48, 48], maxZoom: 16 });
    }

    onMounted(() => group.addTo(map));
    watch(recentTrack, draw, { immediate: true });
    onBeforeUnmount(() => {
      group.remove();
      recentTrack.value = null;
    });
    return () => null;
  },
});
