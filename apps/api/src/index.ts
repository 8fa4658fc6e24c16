/** What scripts, tests and benchmarks start the API with (not imported by the API itself). */
export { startApi, type RunningApi } from './bootstrap.js';
export { loadApiConfig, ConfigError, type ApiConfig } from './config/api-config.js';
export { startEmbeddedBroker, type EmbeddedBroker, type BrokerAccount } from './broker/embedded-broker.js';
export { TerminalCredentialsService } from './terminal-credentials/terminal-credentials.service.js';
export { startEmbeddedPostgres, type EmbeddedPostgres } from './database/embedded-postgres.js';
export { PositionPartitions } from './positions/position-partitions.js';
export { RegistryChanges } from './registry/common/registry-changes.service.js';
export { TruckDirectory } from './live/truck-directory.service.js';
export { DEMO_ACCOUNTS, DEMO_PASSWORD } from './users/account-seed.service.js';
export { APPLICATION_NAME } from './database/database.module.js';
export { ComplianceService } from './compliance/compliance.service.js';
export { CasesRepository } from './cases/cases.repository.js';
export { parseCaseFilter, parseCasePaging } from './cases/case-query.js';
export { seedDemoCases } from './registry/demo-case-seed.js';
export { MIGRATIONS } from './database/migrations/index.js';
export { MonthCloseJob } from './rankings/month-close.job.js';
export { RankingsService, scoreInputs } from './rankings/rankings.service.js';
export { DomainEvents } from './events/domain-events.js';
