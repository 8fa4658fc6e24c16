export { FleetSimulator, truckSpec, type FleetSimulatorOptions, type SimulatedFix, type SimulatedTruck } from './fleet-simulator.js';
export { TruckSimulation, loadState, isoWithOffset, TRUCK_HABITS, type TruckHabit, type TruckPhase, type TruckSpec, type TimestampStyle, type RunWindow } from './truck.js';
export { SimClock, defaultStartTimeMs, DEFAULT_CATCH_UP_MS, type SimClockOptions } from './clock.js';
export { backlogFixes, chunkBacklog } from './backlog.js';
export { startFleet, type FleetOptions, type FleetStats, type FleetHandle, type TerminalCredentials } from './publisher.js';
export { readCredentialsFile } from './credentials-file.js';
export { RoutePath } from './route-path.js';
export { buildScenario, isScenarioName, SCENARIO_NAMES, type Scenario, type ScenarioName, type ScenarioOptions } from './scenarios.js';
export { publishScenario, type ScenarioRunOptions } from './scenario-publisher.js';
