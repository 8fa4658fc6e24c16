import { defineComponent, onBeforeUnmount, onMounted, watch } from 'vue';
import L from 'leaflet';
import type Supercluster from 'supercluster';
import { useI18n } from 'vue-i18n';
import { useMap } from '../map/map-context.js';
import { useLiveTrucksStore } from '../stores/live-trucks.js';
import type { TruckSymbol } from '../trucks/truck-symbol.js';
import { truckSymbolKey } from '../trucks/truck-symbol.js';
import { matchesTruckFilter } from './truck-filter.js';
import {
  buildTruckClusterIndex,
  INDIVIDUAL_FROM_ZOOM,
  isClusterFeature,
  isPlaceable,
  type TruckClusterCounts,
  type TruckClusterFeature,
  type TruckPointProps,
} from './truck-clusters.js';
import {
  clusterRadius,
  drawTruckCluster,
  drawTruckSymbol,
  readPalette,
  TRUCK_HIT_RADIUS_PX,
  TRUCK_SYMBOL_RADIUS_PX,
  type SymbolPalette,
} from './truck-canvas-symbol.js';
import type { TruckRow } from './truck-rows.js';
import { TruckKeyboardControl } from './truck-keyboard-control.js';
import { fenceNamesAt } from './live-geofences.js';

/** Width of the detail panel that floats over the map's right edge. */
const DETAIL_PANEL_PX = 380;
/** The aggregated markers follow the trucks at most this often (individual trucks move at once). */
const CLUSTER_REFRESH_MS = 2000;
/** Above the DOM markers of other layers (600), below tooltips (650). */
const TRUCKS_PANE = 'muckwatch-trucks';

/** Leaflet's canvas internals a custom path draws with (leaflet/src/layer/vector/Canvas.js). */
interface CanvasInternals {
  _ctx: CanvasRenderingContext2D;
  _drawing: boolean;
  _container: HTMLCanvasElement;
}
interface PathInternals {
  _renderer: CanvasInternals;
  _point: L.Point;
  _map: L.Map | null;
}

/** A truck drawn on the shared canvas; hit-tested, hovered and clicked through Leaflet's canvas renderer. */
class TruckCanvasMarker extends L.CircleMarker {
  constructor(
    latLng: L.LatLng,
    readonly key: string,
    public symbol: TruckSymbol,
    private readonly palette: SymbolPalette,
    renderer: L.Canvas,
  ) {
    super(latLng, { renderer, radius: TRUCK_SYMBOL_RADIUS_PX, stroke: false, fill: false, bubblingMouseEvents: false });
  }

  /** Called by the renderer for each redraw of the region this truck is in. */
  _updatePath(): void {
    const self = this as unknown as PathInternals;
    if (!self._map || !self._renderer._drawing) return;
    drawTruckSymbol(self._renderer._ctx, self._point.x, self._point.y, this.symbol, this.palette);
  }

  _containsPoint(point: L.Point): boolean {
    return point.distanceTo((this as unknown as PathInternals)._point) <= TRUCK_HIT_RADIUS_PX;
  }
}

/** An aggregated marker on the same canvas: a click zooms in to where it splits. */
class ClusterCanvasMarker extends L.CircleMarker {
  constructor(
    latLng: L.LatLng,
    readonly clusterId: number,
    readonly count: number,
    readonly counts: TruckClusterCounts,
    private readonly palette: SymbolPalette,
    renderer: L.Canvas,
  ) {
    super(latLng, { renderer, radius: clusterRadius(count) + 2, stroke: false, fill: false, bubblingMouseEvents: false });
  }

  _updatePath(): void {
    const self = this as unknown as PathInternals;
    if (!self._map || !self._renderer._drawing) return;
    drawTruckCluster(self._renderer._ctx, self._point.x, self._point.y, this.count, this.counts, this.palette);
  }
}

/** What the browser tests and the benchmark read (window.__muckwatchLiveMap). */
export interface LiveMapHook {
  mode(): 'individual' | 'clustered';
  /** Keys of the trucks drawn individually. */
  shownKeys(): string[];
  clusterCount(): number;
  /** A drawn truck's position in the map container's pixels, or null. */
  markerPoint(key: string): { x: number; y: number } | null;
}

/** Set by the benchmark (tests/bench/live-map-bench.ts): told which trucks moved, in the frame that drew them. */
interface LiveMapProbe {
  moved(keys: string[], atMs: number): void;
}

declare global {
  interface Window {
    __muckwatchLiveMap?: LiveMapHook;
    __muckwatchLiveMapProbe?: LiveMapProbe;
  }
}

/**
 * Every truck on one canvas (Leaflet's canvas renderer): each batch touches only the trucks in it
 * (moved, re-drawn, added or removed); below zoom INDIVIDUAL_FROM_ZOOM nearby trucks are
 * aggregated with supercluster. The truck list's filter applies here too.
 */
export default defineComponent({
  name: 'TruckMarkersLayer',
  setup() {
    const map = useMap();
    const live = useLiveTrucksStore();
    const { t } = useI18n();
    if (!map.getPane(TRUCKS_PANE)) map.createPane(TRUCKS_PANE).style.zIndex = '620';
    const renderer = L.canvas({ pane: TRUCKS_PANE, padding: 0.2, tolerance: 0 });
    const trucks = L.layerGroup();
    const clusters = L.layerGroup();
    const markers = new Map<string, TruckCanvasMarker>();
    let palette: SymbolPalette = readPalette(document.documentElement);
    let index: Supercluster<TruckPointProps & TruckClusterCounts, TruckClusterCounts> | null = null;
    let indexStale = true;
    let clusterTimer: ReturnType<typeof setTimeout> | null = null;
    let clusterCount = 0;
    const keyboard = new TruckKeyboardControl({
      inView: () => trucksInView(),
      labelOf: (key) => labelOf(live.rowOf(key)),
      choose: (key) => live.focus(key),
      clear: () => live.select(null),
      t,
    });

    const clustered = (): boolean => map.getZoom() < INDIVIDUAL_FROM_ZOOM;

    function labelOf(row: TruckRow | null): string {
      if (!row) return '';
      return row.plate ?? t('trucks.unregisteredTerminal', { terminalId: row.terminalId ?? '' });
    }

    function symbolOf(row: TruckRow & { position: NonNullable<TruckRow['position']> }): TruckSymbol {
      return {
        state: row.state === 'no_data' ? 'offline' : row.state,
        loaded: row.loaded,
        coverOpen: row.coverOpen,
        headingDeg: row.position.headingDeg,
        selected: row.key === live.selectedKey,
      };
    }

    function tooltipOf(key: string): HTMLElement {
      const row = live.rowOf(key);
      const element = document.createElement('span');
      element.className = 'truck-tooltip__label';
      element.dataset['terminalId'] = row?.terminalId ?? '';
      element.dataset['plate'] = row?.plate ?? '';
      element.textContent = labelOf(row);
      if (row) {
        const state = document.createElement('small');
        state.textContent = ` · ${t(`motion.${row.state}`)}${row.loaded ? ` · ${t('trucks.loaded')}` : ''}`;
        element.append(state);
      }
      // Hovering a truck inside a fence names it (sites, disposal sites, routes, speed zones).
      const fences = row?.position ? fenceNamesAt(row.position.lon, row.position.lat) : '';
      if (fences) {
        const inside = document.createElement('small');
        inside.className = 'truck-tooltip__fences';
        inside.textContent = ` · ${t('liveMap.fences.inside', { names: fences })}`;
        element.append(inside);
      }
      if (row?.coverOpen) {
        const warning = document.createElement('em');
        warning.className = 'truck-tooltip__warning';
        warning.textContent = t('trucks.coverOpenWhileLoaded');
        element.append(warning);
      }
      return element;
    }

    const shows = (row: TruckRow): row is TruckRow & { position: NonNullable<TruckRow['position']> } =>
      isPlaceable(row) && matchesTruckFilter(row, live.filter, live.openViolationTerminals);

    /** Moves, re-draws, adds or removes one truck's marker; true when it moved. */
    function place(key: string, row: TruckRow | null): boolean {
      const existing = markers.get(key);
      if (!row || !shows(row)) {
        if (existing) {
          trucks.removeLayer(existing);
          markers.delete(key);
        }
        return false;
      }
      const latLng = L.latLng(row.position.lat, row.position.lon);
      const symbol = symbolOf(row);
      if (!existing) {
        const marker = new TruckCanvasMarker(latLng, key, symbol, palette, renderer);
        marker.bindTooltip(() => tooltipOf(key), { direction: 'top', offset: [0, -12], className: 'truck-tooltip' });
        marker.on('click', () => live.select(key));
        markers.set(key, marker);
        trucks.addLayer(marker);
        if (symbol.selected) marker.bringToFront();
        return true;
      }
      const moved = !existing.getLatLng().equals(latLng);
      const redraw = truckSymbolKey(existing.symbol) !== truckSymbolKey(symbol) || existing.symbol.headingDeg !== symbol.headingDeg;
      existing.symbol = symbol;
      if (moved) existing.setLatLng(latLng);
      else if (redraw) existing.redraw();
      return moved;
    }

    /** Every truck again: a new filter, a zoom across the aggregation threshold. */
    function syncAll(): void {
      if (clustered()) {
        indexStale = true;
        renderClusters();
        return;
      }
      clusters.clearLayers();
      clusterCount = 0;
      const seen = new Set<string>();
      for (const row of live.rows) {
        seen.add(row.key);
        place(row.key, row);
      }
      for (const key of [...markers.keys()]) if (!seen.has(key)) place(key, null);
      publishCounts();
    }

    /** The aggregated view of what is in sight: clusters, and trucks standing alone drawn as trucks. */
    function renderClusters(): void {
      if (clusterTimer) {
        clearTimeout(clusterTimer);
        clusterTimer = null;
      }
      if (indexStale || !index) {
        index = buildTruckClusterIndex(live.visibleRows);
        indexStale = false;
      }
      const bounds = map.getBounds().pad(0.2);
      const zoom = Math.round(map.getZoom());
      const features = index.getClusters([bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()], zoom);
      const alone = new Set<string>();
      clusters.clearLayers();
      clusterCount = 0;
      for (const feature of features) {
        if (isClusterFeature(feature)) {
          addCluster(feature);
        } else {
          alone.add(feature.properties.key);
        }
      }
      for (const key of [...markers.keys()]) if (!alone.has(key)) place(key, null);
      for (const key of alone) place(key, live.rowOf(key));
      publishCounts();
    }

    function addCluster(feature: TruckClusterFeature): void {
      const [lon, lat] = feature.geometry.coordinates as [number, number];
      const { cluster_id: clusterId, point_count: count, moving, stopped, offline, coverOpen } = feature.properties;
      const marker = new ClusterCanvasMarker(L.latLng(lat, lon), clusterId, count, { moving, stopped, offline, coverOpen }, palette, renderer);
      marker.bindTooltip(() => t('liveMap.clusterTooltip', { count, moving, stopped, offline, coverOpen }), {
        direction: 'top',
        className: 'truck-tooltip',
      });
      marker.on('click', () => {
        const zoom = Math.min(index?.getClusterExpansionZoom(clusterId) ?? INDIVIDUAL_FROM_ZOOM, INDIVIDUAL_FROM_ZOOM);
        map.flyTo(L.latLng(lat, lon), Math.max(zoom, map.getZoom() + 1), { duration: 0.5 });
      });
      clusters.addLayer(marker);
      clusterCount += 1;
    }

    function scheduleClusters(): void {
      indexStale = true;
      clusterTimer ??= setTimeout(() => {
        clusterTimer = null;
        if (clustered()) renderClusters();
      }, CLUSTER_REFRESH_MS);
    }

    /** Only the trucks of the batch: each moves or changes on its own; the aggregation follows in a while. */
    function onRowsChanged(changed: ReadonlySet<string>): void {
      const moved: string[] = [];
      const inClusters = clustered();
      for (const key of changed) {
        // Aggregated view: only the trucks standing alone are drawn as trucks.
        if (inClusters && !markers.has(key)) continue;
        if (place(key, live.rowOf(key))) moved.push(key);
      }
      if (inClusters) scheduleClusters();
      publishCounts();
      const probe = window.__muckwatchLiveMapProbe;
      if (probe && moved.length > 0) requestAnimationFrame((at) => probe.moved(moved, performance.timeOrigin + at));
    }

    function publishCounts(): void {
      const container = map.getContainer();
      container.dataset['truckMarkers'] = String(markers.size);
      container.dataset['truckClusters'] = String(clusterCount);
      container.dataset['truckMode'] = clustered() ? 'clustered' : 'individual';
    }

    function trucksInView(): string[] {
      const bounds = map.getBounds();
      const keys: string[] = [];
      for (const row of live.visibleRows) {
        if (isPlaceable(row) && bounds.contains([row.position.lat, row.position.lon])) keys.push(row.key);
      }
      return keys;
    }

    function bringIntoView(key: string): void {
      const position = live.rowOf(key)?.position;
      if (!position) return;
      const zoom = Math.max(map.getZoom(), INDIVIDUAL_FROM_ZOOM);
      // Centre the truck in the part of the map the detail panel leaves visible.
      const point = map.project(L.latLng(position.lat, position.lon), zoom).add([DETAIL_PANEL_PX / 2, 0]);
      map.flyTo(map.unproject(point, zoom), zoom, { duration: 0.6 });
    }

    let wasClustered = clustered();
    function onZoomEnd(): void {
      const now = clustered();
      if (now !== wasClustered) {
        wasClustered = now;
        syncAll();
      }
    }
    function onMoveEnd(): void {
      if (clustered()) renderClusters();
    }

    let unsubscribe: (() => void) | null = null;
    onMounted(() => {
      palette = readPalette(map.getContainer());
      trucks.addTo(map);
      clusters.addTo(map);
      keyboard.addTo(map);
      map.on('zoomend', onZoomEnd);
      map.on('moveend', onMoveEnd);
      unsubscribe = live.onRowsChanged(onRowsChanged);
      syncAll();
      window.__muckwatchLiveMap = {
        mode: () => (clustered() ? 'clustered' : 'individual'),
        shownKeys: () => [...markers.keys()],
        clusterCount: () => clusterCount,
        markerPoint: (key) => {
          const marker = markers.get(key);
          if (!marker) return null;
          const point = map.latLngToContainerPoint(marker.getLatLng());
          return { x: point.x, y: point.y };
        },
      };
    });
    watch([() => live.filter, () => live.openViolationTerminals], syncAll);
    watch(
      () => live.selectedKey,
      (key, previous) => {
        for (const k of [previous, key]) {
          if (k && markers.has(k)) place(k, live.rowOf(k));
        }
        if (key) markers.get(key)?.bringToFront();
        keyboard.selected(key);
      },
    );
    watch(
      () => live.focusRequest,
      (request) => {
        if (request) bringIntoView(request.key);
      },
    );
    onBeforeUnmount(() => {
      unsubscribe?.();
      if (clusterTimer) clearTimeout(clusterTimer);
      map.off('zoomend', onZoomEnd);
      map.off('moveend', onMoveEnd);
      keyboard.remove();
      trucks.remove();
      clusters.remove();
      markers.clear();
      delete window.__muckwatchLiveMap;
    });
    return () => null;
  },
});
