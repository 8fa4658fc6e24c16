import { defineComponent, onBeforeUnmount, onMounted, watch, type PropType } from 'vue';
import L from 'leaflet';
import type { Geometry } from 'geojson';
import { useMap } from '../../map/map-context.js';
import { labelPoint } from '../../map/geometry.js';

/** One shape of a geofence layer. */
export interface GeofenceShape {
  id: string;
  name: string;
  geometry: Geometry;
  style: L.PathOptions;
  /** Drawn underneath the shape, not clickable (a route's corridor). */
  underlay?: { geometry: Geometry; style: L.PathOptions } | null;
}

/**
 * A set of geofences (one kind) on the registry map: adds itself on mount, removes itself on
 * unmount, redraws when the shapes change. Clicking a shape emits its id; hovering shows its name.
 */
/** Each kind has its own pane, so kinds stack the same whichever loads last: sites on top. */
const PANE_Z: Record<string, number> = { 'speed-zones': 420, routes: 425, 'disposal-sites': 430, 'construction-sites': 435 };

export default defineComponent({
  name: 'GeofenceLayer',
  props: {
    shapes: { type: Array as PropType<readonly GeofenceShape[]>, required: true },
    kind: { type: String, required: true },
    /** The shape being edited is hidden here (its editable copy is on the map). */
    hiddenId: { type: String as PropType<string | null>, default: null },
    /** False while a shape is being drawn: clicks go through to the map (Geoman's vertices). */
    interactive: { type: Boolean, default: true },
    /** Also a dot at each polygon's centre, so small sites can be seen and clicked at district scale. */
    dots: { type: Boolean, default: false },
  },
  emits: { select: (_id: string) => true },
  setup(props, { emit }) {
    const map = useMap();
    const group = L.featureGroup();
    const pane = `muckwatch-geofence-${props.kind}`;
    if (!map.getPane(pane)) map.createPane(pane).style.zIndex = String(PANE_Z[props.kind] ?? 420);

    function draw(): void {
      group.clearLayers();
      for (const shape of props.shapes) {
        if (shape.id === props.hiddenId) continue;
        if (shape.underlay) {
          group.addLayer(L.geoJSON(shape.underlay.geometry, { pane, style: { ...shape.underlay.style, interactive: false }, pmIgnore: true } as L.GeoJSONOptions));
        }
        const layer = L.geoJSON(shape.geometry, { pane, style: { ...shape.style, interactive: props.interactive }, pmIgnore: true } as L.GeoJSONOptions);
        if (props.interactive) {
          layer.bindTooltip(shape.name, { sticky: true, className: 'geofence-tooltip' });
          layer.on('click', (event: L.LeafletMouseEvent) => {
            L.DomEvent.stopPropagation(event);
            emit('select', shape.id);
          });
        }
        group.addLayer(layer);
        if (props.dots && shape.geometry.type === 'Polygon') {
          const [lon, lat] = labelPoint(shape.geometry);
          const dot = L.circleMarker([lat, lon], {
            pane,
            radius: 4.5,
            weight: 1.5,
            color: '#fff',
            fillColor: shape.style.color ?? '#1a5aab',
            fillOpacity: 1,
            interactive: props.interactive,
            className: `geofence-dot geofence-dot--${props.kind}`,
            pmIgnore: true,
          });
          if (props.interactive) {
            dot.bindTooltip(shape.name, { className: 'geofence-tooltip' });
            dot.on('click', (event: L.LeafletMouseEvent) => {
              L.DomEvent.stopPropagation(event);
              emit('select', shape.id);
            });
          }
          group.addLayer(dot);
        }
        layer.eachLayer((path) => {
          const element = (path as L.Path).getElement?.();
          if (element) {
            element.setAttribute('data-id', shape.id);
            element.setAttribute('data-name', shape.name);
          }
        });
      }
    }

    onMounted(() => {
      group.addTo(map);
      draw();
    });
    watch(() => [props.shapes, props.hiddenId, props.interactive], draw);
    onBeforeUnmount(() => group.remove());
    return () => null;
  },
});
