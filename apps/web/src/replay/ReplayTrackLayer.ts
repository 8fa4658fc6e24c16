import { defineComponent, onBeforeUnmount, watch, type PropType } from 'vue';
import L from 'leaflet';
import type { DecodedTrack } from '@muckwatch/contracts';
import { useMap } from '../map/map-context.js';
import { colourRuns, type ColourMode } from './replay-view.js';

/** A point on the map the user may click to jump there (stop, violation, trip boundary, fence crossing). */
export interface MapMark {
  atMs: number;
  lat: number;
  lon: number;
  colour: string;
  label: string;
  /** Larger, filled: a suspicious stop or a violation. */
  strong?: boolean;
}

/**
 * The replayed track on one canvas renderer (thousands of segments without a DOM node each): the
 * overview coloured by speed or load, the full-resolution window on top when loaded, the marks,
 * and the moving marker. Emits `seek` with the moment of a clicked mark.
 */
export default defineComponent({
  name: 'ReplayTrackLayer',
  props: {
    track: { type: Object as PropType<DecodedTrack>, required: true },
    detail: { type: Object as PropType<DecodedTrack | null>, default: null },
    mode: { type: String as PropType<ColourMode>, required: true },
    marks: { type: Array as PropType<MapMark[]>, required: true },
    position: { type: Array as unknown as PropType<[number, number] | null>, default: null },
    fit: { type: Boolean, default: true },
  },
  emits: {
    seek: (atMs: number) => Number.isFinite(atMs),
    /** The map moved: its zoom and bounds (south, west, north, east), for the full-resolution window. */
    view: (view: { zoom: number; bounds: [number, number, number, number] }) => view.zoom >= 0,
  },
  setup(props, { emit }) {
    const map = useMap();
    const renderer = L.canvas({ padding: 0.3 });
    const trackGroup = L.layerGroup().addTo(map);
    const detailGroup = L.layerGroup().addTo(map);
    const markGroup = L.layerGroup().addTo(map);
    // The moving marker on a canvas of its own: moving it redraws only itself, never the track under it.
    const markerRenderer = L.canvas({ padding: 0.3 });
    const marker = L.circleMarker([0, 0], { renderer: markerRenderer, radius: 8, color: '#ffffff', weight: 3, fillColor: '#303133', fillOpacity: 1, interactive: false, className: 'replay-marker' });

    const line = (track: DecodedTrack, from: number, to: number): L.LatLngExpression[] => {
      const out: L.LatLngExpression[] = [];
      for (let i = from; i <= to; i += 1) out.push([track.lat[i]!, track.lon[i]!]);
      return out;
    };

    function drawTrack(): void {
      trackGroup.clearLayers();
      const { track } = props;
      if (track.count === 0) return;
      // One multi-polyline per colour: a handful of layers however often the colour changes.
      const byColour = new Map<string, L.LatLngExpression[][]>();
      for (const [from, to, colour] of colourRuns(props.mode, track.speed, track.state)) {
        const parts = byColour.get(colour) ?? [];
        parts.push(line(track, from, to));
        byColour.set(colour, parts);
      }
      for (const [colour, parts] of byColour) {
        L.polyline(parts, { renderer, color: colour, weight: 4, opacity: 0.9, interactive: false }).addTo(trackGroup);
      }
      if (track.count === 1) L.circleMarker([track.lat[0]!, track.lon[0]!], { renderer, radius: 4, color: '#409eff' }).addTo(trackGroup);
      if (props.fit) {
        const bounds = L.latLngBounds(line(track, 0, track.count - 1) as L.LatLngTuple[]);
        if (bounds.isValid()) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
      }
    }

    function drawDetail(): void {
      detailGroup.clearLayers();
      const detail = props.detail;
      if (!detail || detail.count < 2) return;
      L.polyline(line(detail, 0, detail.count - 1), { renderer, color: '#303133', weight: 1.5, opacity: 0.8, interactive: false }).addTo(detailGroup);
    }

    function drawMarks(): void {
      markGroup.clearLayers();
      for (const mark of props.marks) {
        L.circleMarker([mark.lat, mark.lon], {
          renderer,
          radius: mark.strong ? 7 : 5,
          color: mark.colour,
          weight: 2,
          fillColor: mark.strong ? mark.colour : '#ffffff',
          fillOpacity: 1,
        })
          .bindTooltip(mark.label, { direction: 'top' })
          .on('click', () => emit('seek', mark.atMs))
          .addTo(markGroup);
      }
    }

    function moveMarker(): void {
      if (!props.position) {
        marker.remove();
        return;
      }
      marker.setLatLng(props.position);
      if (!map.hasLayer(marker)) marker.addTo(map);
      marker.bringToFront();
    }

    const onView = (): void => {
      const b = map.getBounds();
      emit('view', { zoom: map.getZoom(), bounds: [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()] });
    };
    map.on('moveend', onView);
    drawTrack();
    drawMarks();
    moveMarker();
    watch(() => [props.track, props.mode], drawTrack);
    watch(() => props.detail, drawDetail);
    watch(() => props.marks, drawMarks);
    watch(() => props.position, moveMarker);
    onBeforeUnmount(() => {
      map.off('moveend', onView);
      for (const layer of [trackGroup, detailGroup, markGroup, marker]) layer.remove();
    });
    return () => null;
  },
});
