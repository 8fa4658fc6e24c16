import { defineComponent, onBeforeUnmount, onMounted } from 'vue';
import L from 'leaflet';
import { districtBoundary } from '@muckwatch/linzi';
import { MapPane, useMap } from './map-context.js';
import { outerRingsLatLng, ringsBounds } from './geometry.js';

/** Everything on earth, as the outer ring of the mask that greys out what lies outside the district. */
const WORLD: L.LatLngTuple[] = [
  [-89.9, -179.9],
  [89.9, -179.9],
  [89.9, 179.9],
  [-89.9, 179.9],
];

/**
 * 临淄区 boundary: a halo and a solid line, and a mask outside it so the district reads as the
 * subject of the map with or without a base map. Fits the map to the district when it mounts.
 */
export default defineComponent({
  name: 'DistrictBoundaryLayer',
  props: {
    fitOnMount: { type: Boolean, default: true },
  },
  setup(props) {
    const map = useMap();
    const rings = outerRingsLatLng(districtBoundary.geometry);
    const group = L.layerGroup([
      L.polygon([WORLD, ...rings], {
        pane: MapPane.Mask,
        interactive: false,
        stroke: false,
        fillColor: '#dde3ea',
        fillOpacity: 1,
        className: 'district-mask',
      }),
      L.polygon(rings, {
        pane: MapPane.District,
        interactive: false,
        fill: false,
        color: '#ffffff',
        weight: 7,
        opacity: 0.9,
        className: 'district-halo',
      }),
      L.polygon(rings, {
        pane: MapPane.District,
        interactive: false,
        fill: false,
        color: '#c2410c',
        weight: 2.5,
        opacity: 0.95,
        className: 'district-boundary',
      }),
    ]);

    // The map is fitted as it mounts; the boundary is drawn in a task after the page's mount: its
    // three polygons projected and simplified were a quarter of a fresh page's first mount (the
    // longest task of the replay page's load; ~30 ms of 118 in a Chromium trace).
    let timer: ReturnType<typeof setTimeout> | undefined;
    onMounted(() => {
      const bounds = ringsBounds(rings);
      if (props.fitOnMount && bounds) map.fitBounds(bounds, { padding: [24, 24] });
      timer = setTimeout(() => group.addTo(map), 0);
    });
    onBeforeUnmount(() => {
      clearTimeout(timer);
      group.remove();
    });
    return () => null;
  },
});
