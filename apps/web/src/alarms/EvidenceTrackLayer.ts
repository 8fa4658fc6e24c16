import { defineComponent, onBeforeUnmount, onMounted, watch } from 'vue';
import L from 'leaflet';
import { useI18n } from 'vue-i18n';
import type { ViolationDetail } from '@muckwatch/contracts';
import { useMap } from '../map/map-context.js';
import { useAlarmsStore } from '../stores/alarms.js';

/**
 * The selected violation's evidence: its track segment as a line and a marker where it started.
 * Adds itself to the map on mount, removes itself on unmount; fits the map to each new track.
 */
export default defineComponent({
  name: 'EvidenceTrackLayer',
  setup() {
    const map = useMap();
    const store = useAlarmsStore();
    const { t } = useI18n();
    const group = L.layerGroup();

    function draw(detail: ViolationDetail | null): void {
      group.clearLayers();
      if (!detail) return;
      const [lon, lat] = detail.startPoint.geometry.coordinates as [number, number];
      const start = L.circleMarker([lat, lon], { radius: 7, color: '#b91c1c', weight: 2, fillColor: '#fca5a5', fillOpacity: 0.9, className: 'evidence-start' });
      start.bindTooltip(`${t(`alarms.types.${detail.type}`)} · ${t('alarms.evidenceStart')}`);
      group.addLayer(start);
      const coordinates = detail.evidence?.geometry.coordinates ?? [];
      if (coordinates.length >= 2) {
        const line = L.polyline(
          coordinates.map((c) => [c[1] ?? 0, c[0] ?? 0] as L.LatLngTuple),
          { color: '#dc2626', weight: 4, opacity: 0.85, className: 'evidence-track' },
        );
        group.addLayer(line);
        map.fitBounds(line.getBounds(), { padding: [48, 48], maxZoom: 16 });
      } else {
        map.setView([lat, lon], Math.max(map.getZoom(), 15));
      }
    }

    onMounted(() => {
      group.addTo(map);
      draw(store.evidence);
    });
    const stop = watch(() => store.evidence, draw);
    onBeforeUnmount(() => {
      stop();
      group.remove();
    });
    return () => null;
  },
});
