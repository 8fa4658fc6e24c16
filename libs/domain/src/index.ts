export * from './geo/haversine.js';
export * from './motion/motion-state.js';
export * from './fix-quality/fix-quality.js';
export * from './time-windows/time-windows.js';
export * from './registry/plates.js';
export * from './registry/uscc.js';
export * from './registry/geofence-geometry.js';
export * from './compliance/index.js';
