export * from './geo/haversine.js';
export * from './motion/motion-state.js';
export * from './fix-quality/fix-quality.js';
