import { defineComponent, onBeforeUnmount, onMounted, watch } from 'vue';
import L from 'leaflet';
import { useI18n } from 'vue-i18n';
import { useMap } from '../map/map-context.js';
import { useLiveTrucksStore } from '../stores/live-trucks.js';
import {
  headingTransform,
  truckSymbolClass,
  truckSymbolHtml,
  truckSymbolKey,
  type TruckSymbol,
} from '../trucks/truck-symbol.js';
import type { TruckRow } from './truck-rows.js';

const ICON_SIZE = 30;
/** Width of the detail panel that floats over the map's right edge. */
const DETAIL_PANEL_PX = 380;
const FOCUS_ZOOM = 14;

/** A div icon whose root element carries the truck's terminal id and plate for tests and tooling. */
class TruckIcon extends L.DivIcon {
  constructor(
    private readonly truck: { terminalId: string; plate: string | null },
    symbol: TruckSymbol,
  ) {
    super({
      className: truckSymbolClass(symbol),
      html: truckSymbolHtml(symbol),
      iconSize: [ICON_SIZE, ICON_SIZE],
      iconAnchor: [ICON_SIZE / 2, ICON_SIZE / 2],
      tooltipAnchor: [0, -ICON_SIZE / 2],
    });
  }

  override createIcon(oldIcon?: HTMLElement): HTMLElement {
    const element = super.createIcon(oldIcon);
    element.dataset['terminalId'] = this.truck.terminalId;
    element.dataset['plate'] = this.truck.plate ?? '';
    return element;
  }
}

interface DrawnTruck {
  marker: L.Marker;
  symbolKey: string;
  headingDeg: number;
  plate: string | null;
  label: string;
}

const Z_OFFSET: Record<TruckSymbol['state'], number> = { offline: 0, stopped: 100, moving: 200 };

/**
 * One marker per truck at its latest position. Markers are kept between batches and only moved
 * (setLatLng), re-drawn (setIcon) or turned when what they show has changed.
 */
export default defineComponent({
  name: 'TruckMarkersLayer',
  setup() {
    const map = useMap();
    const live = useLiveTrucksStore();
    const { t, locale } = useI18n();
    const group = L.layerGroup();
    const drawn = new Map<string, DrawnTruck>();

    const labelOf = (row: TruckRow): string =>
      row.plate ?? t('trucks.unregisteredTerminal', { terminalId: row.terminalId ?? '' });

    function symbolOf(row: TruckRow): TruckSymbol | null {
      if (!row.position || row.state === 'no_data') return null;
      return {
        state: row.state,
        loaded: row.loaded,
        coverOpen: row.coverOpen,
        headingDeg: row.position.headingDeg,
        selected: row.key === live.selectedKey,
      };
    }

    function tooltipContent(label: string, row: TruckRow): HTMLElement {
      const element = document.createElement('span');
      element.textContent = label;
      if (row.coverOpen) {
        const warning = document.createElement('em');
        warning.className = 'truck-tooltip__warning';
        warning.textContent = t('trucks.coverOpenWhileLoaded');
        element.append(warning);
      }
      return element;
    }

    function sync(): void {
      const seen = new Set<string>();
      for (const row of live.rows) {
        const symbol = symbolOf(row);
        if (!symbol || !row.position) continue;
        seen.add(row.key);
        const latLng = L.latLng(row.position.lat, row.position.lon);
        const symbolKey = truckSymbolKey(symbol);
        const label = labelOf(row);
        const zIndex = symbol.selected ? 1000 : Z_OFFSET[symbol.state] + (symbol.coverOpen ? 50 : 0);
        const existing = drawn.get(row.key);
        if (!existing) {
          const key = row.key;
          const marker = L.marker(latLng, {
            icon: new TruckIcon({ terminalId: row.position.terminalId, plate: row.plate }, symbol),
            zIndexOffset: zIndex,
            keyboard: false,
          })
            .bindTooltip(tooltipContent(label, row), { direction: 'top', className: 'truck-tooltip' })
            .on('click', () => live.select(key));
          group.addLayer(marker);
          drawn.set(key, { marker, symbolKey, headingDeg: symbol.headingDeg, plate: row.plate, label });
          continue;
        }
        const { marker } = existing;
        if (!marker.getLatLng().equals(latLng)) marker.setLatLng(latLng);
        if (existing.symbolKey !== symbolKey || existing.plate !== row.plate) {
          marker.setIcon(new TruckIcon({ terminalId: row.position.terminalId, plate: row.plate }, symbol));
          marker.setZIndexOffset(zIndex);
          existing.symbolKey = symbolKey;
          existing.plate = row.plate;
          existing.headingDeg = symbol.headingDeg;
          marker.setTooltipContent(tooltipContent(label, row));
          existing.label = label;
        } else if (existing.headingDeg !== symbol.headingDeg) {
          const arrow = marker.getElement()?.querySelector<HTMLElement>('.truck-symbol__arrow');
          if (arrow) arrow.style.transform = headingTransform(symbol.headingDeg);
          existing.headingDeg = symbol.headingDeg;
        }
        if (existing.label !== label) {
          marker.setTooltipContent(tooltipContent(label, row));
          existing.label = label;
        }
      }
      for (const [key, { marker }] of drawn) {
        if (!seen.has(key)) {
          group.removeLayer(marker);
          drawn.delete(key);
        }
      }
    }

    function bringIntoView(key: string): void {
      const entry = drawn.get(key);
      if (!entry) return;
      const zoom = Math.max(map.getZoom(), FOCUS_ZOOM);
      // Centre the truck in the part of the map the detail panel leaves visible.
      const point = map.project(entry.marker.getLatLng(), zoom).add([DETAIL_PANEL_PX / 2, 0]);
      map.flyTo(map.unproject(point, zoom), zoom, { duration: 0.6 });
    }

    onMounted(() => {
      group.addTo(map);
      sync();
    });
    watch([() => live.rows, () => live.selectedKey], sync);
    watch(locale, () => {
      for (const entry of drawn.values()) entry.label = '';
      sync();
    });
    watch(
      () => live.focusRequest,
      (request) => {
        if (request) bringIntoView(request.key);
      },
    );
    onBeforeUnmount(() => {
      group.remove();
      drawn.clear();
    });
    return () => null;
  },
});
