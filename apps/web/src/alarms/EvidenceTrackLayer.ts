import { defineComponent, onBeforeUnmount, onMounted, watch, type PropType } from 'vue';
import L from 'leaflet';
import { useI18n } from 'vue-i18n';
import type { ViolationDetail } from '@muckwatch/contracts';
import { useMap } from '../map/map-context.js';
import { useAlarmsStore } from '../stores/alarms.js';
import { useCaseText } from '../violations/use-case-text.js';

/**
 * A violation's evidence: its track segment as a line, a marker where it started and one where it
 * ended. Draws `detail` when given (the case page), else the alarm panel's selected violation.
 * Adds itself to the map on mount, removes itself on unmount; fits the map to each new track.
 */
export default defineComponent({
  name: 'EvidenceTrackLayer',
  props: {
    detail: { type: Object as PropType<ViolationDetail | null>, default: undefined },
  },
  setup(props) {
    const map = useMap();
    const store = useAlarmsStore();
    const { t } = useI18n();
    const text = useCaseText();
    const group = L.layerGroup();
    const current = (): ViolationDetail | null => (props.detail === undefined ? store.evidence : props.detail);

    function draw(detail: ViolationDetail | null): void {
      group.clearLayers();
      if (!detail) return;
      const [lon, lat] = detail.startPoint.geometry.coordinates as [number, number];
      const start = L.circleMarker([lat, lon], { radius: 7, color: '#b91c1c', weight: 2, fillColor: '#fca5a5', fillOpacity: 0.9, className: 'evidence-start' });
      start.bindTooltip(`${text.typeLabel(detail.type)} · ${t('alarms.evidenceStart')}`);
      group.addLayer(start);
      if (detail.end) {
        const end = L.circleMarker([detail.end.lat, detail.end.lon], { radius: 6, color: '#1f2937', weight: 2, fillColor: '#e5e7eb', fillOpacity: 0.9, className: 'evidence-end' });
        end.bindTooltip(`${text.typeLabel(detail.type)} · ${t('alarms.evidenceEnd')}`);
        group.addLayer(end);
      }
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
      draw(current());
    });
    const stop = watch(current, draw);
    onBeforeUnmount(() => {
      stop();
      group.remove();
    });
    return () => null;
  },
});
