import L from 'leaflet';
import '@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.css';

let loading: Promise<void> | null = null;

/**
 * Leaflet-Geoman (drawing and editing on the map) extends the global `L`, which a bundled Leaflet
 * does not set: set it, then load the plugin (its own chunk, see vite.config.ts). Await this
 * before using `map.pm` or `layer.pm`.
 */
export function loadGeoman(): Promise<void> {
  loading ??= (async () => {
    (globalThis as unknown as { L: typeof L }).L = L;
    await import('@geoman-io/leaflet-geoman-free');
  })();
  return loading;
}
