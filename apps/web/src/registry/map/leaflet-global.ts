import L from 'leaflet';

// Leaflet-Geoman extends the global `L`; with Leaflet imported as a module there is none until we set it.
(globalThis as unknown as { L: typeof L }).L = L;
