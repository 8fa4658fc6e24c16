/** Leaflet-Geoman (drawing and editing on the map): import this module before using `map.pm`. */
import './leaflet-global.js';
import '@geoman-io/leaflet-geoman-free';
import '@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.css';
