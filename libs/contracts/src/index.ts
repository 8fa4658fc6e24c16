export * from './telemetry/telemetry.js';
export * from './telemetry/validate-telemetry.js';
export * from './live/live-events.js';
export * from './api/api-types.js';
export * from './api/accounts.js';
export * from './api/registry.js';
export * from './api/compliance.js';
export * from './export/spreadsheet-cell.js';
