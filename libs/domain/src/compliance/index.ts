export * from './model.js';
export * from './rules.js';
export * from './facts.js';
export * from './geofence-index.js';
export * from './exact-geometry.js';
export * from './checks.js';
export * from './truck-compliance.js';
