import { defineComponent, onBeforeUnmount, onMounted, watch, type PropType } from 'vue';
import L from 'leaflet';
import type { MultiPolygon, Point, Polygon } from 'geojson';
import { districtBoundary } from '@muckwatch/linzi';
import { useMap } from '../map/map-context.js';
import { outerRingsLatLng, ringsBounds } from '../map/geometry.js';
import { markerLatLng } from './ledger-view.js';

/** One ledger record on the map: a point or an outline, in its status's colour. */
export interface LedgerShape {
  id: string;
  name: string;
  geometry: Point | Polygon;
  colour: string;
  /** A circle of this radius (metres) around a point (a collection point's visit radius). */
  radiusM?: number | null;
}

const PANE = 'muckwatch-ledgers';

/**
 * The records of a ledger list on the map: points as dots, outlines as polygons with a dot at
 * their centre (so a small pile can be seen and clicked at district scale). Clicking emits the id;
 * the selected one is drawn larger. Fits the map to the records when `fitKey` changes.
 */
export default defineComponent({
  name: 'LedgerShapesLayer',
  props: {
    shapes: { type: Array as PropType<readonly LedgerShape[]>, required: true },
    selectedId: { type: String as PropType<string | null>, default: null },
    /** Where to look when there is nothing to show (a town official's own town); the district when null. */
    home: { type: Object as PropType<Polygon | MultiPolygon | null>, default: null },
    /** Change it to fit the map to the shapes again (e.g. after a new filter). */
    fitKey: { type: [String, Number], default: 0 },
  },
  emits: { select: (_id: string) => true },
  setup(props, { emit }) {
    const map = useMap();
    const group = L.featureGroup();
    if (!map.getPane(PANE)) map.createPane(PANE).style.zIndex = '440';

    function draw(): void {
      group.clearLayers();
      for (const shape of props.shapes) {
        const selected = shape.id === props.selectedId;
        const click = (event: L.LeafletMouseEvent): void => {
          L.DomEvent.stopPropagation(event);
          emit('select', shape.id);
        };
        if (shape.geometry.type === 'Polygon') {
          const outline = L.geoJSON(shape.geometry, {
            pane: PANE,
            style: { color: shape.colour, weight: selected ? 3 : 2, fillColor: shape.colour, fillOpacity: selected ? 0.35 : 0.2, className: 'ledger-shape' },
            pmIgnore: true,
          } as L.GeoJSONOptions);
          outline.bindTooltip(shape.name, { sticky: true });
          outline.on('click', click);
          group.addLayer(outline);
        } else if (shape.radiusM) {
          const [lon, lat] = shape.geometry.coordinates;
          group.addLayer(L.circle([lat!, lon!], { pane: PANE, radius: shape.radiusM, color: shape.colour, weight: 1, fillOpacity: 0.1, interactive: false, pmIgnore: true } as L.CircleOptions));
        }
        const dot = L.circleMarker(markerLatLng(shape.geometry), {
          pane: PANE,
          radius: selected ? 8 : 5.5,
          weight: selected ? 3 : 1.5,
          color: selected ? '#1f2a3a' : '#fff',
          fillColor: shape.colour,
          fillOpacity: 1,
          className: 'ledger-dot',
          pmIgnore: true,
        });
        dot.bindTooltip(shape.name);
        dot.on('click', click);
        group.addLayer(dot);
        const element = dot.getElement?.();
        element?.setAttribute('data-id', shape.id);
      }
    }

    /**
     * To the records; with none, to `home` or the district (the page's DistrictBoundaryLayer does
     * not fit itself). Not animated: leaving the page mid-animation would leave Leaflet a removed map.
     */
    function fit(): void {
      const bounds = group.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 15, animate: false });
      else {
        const home = ringsBounds(outerRingsLatLng(props.home ?? districtBoundary.geometry));
        if (home) map.fitBounds(home, { padding: [16, 16], animate: false });
      }
    }

    onMounted(() => {
      group.addTo(map);
      draw();
      fit();
    });
    watch(() => props.shapes, draw);
    watch(
      () => props.selectedId,
      (id) => {
        draw();
        const shape = props.shapes.find((s) => s.id === id);
        if (!shape) return;
        const at = L.latLng(markerLatLng(shape.geometry));
        if (!map.getBounds().contains(at)) map.panTo(at, { animate: false });
      },
    );
    watch(
      () => props.fitKey,
      () => {
        draw();
        fit();
      },
    );
    watch(
      () => props.home,
      () => {
        if (!group.getBounds().isValid()) fit();
      },
    );
    onBeforeUnmount(() => group.remove());
    return () => null;
  },
});
