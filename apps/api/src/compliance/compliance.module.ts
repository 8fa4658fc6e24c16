import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module.js';
import { ComplianceService } from './compliance.service.js';
import { TripsController } from './trips.controller.js';
import { TripsService } from './trips.service.js';

/** Issue #4 on the platform: the engine after each ingest commit, trips over REST, alarms on the domain event bus (violations and cases: apps/api/src/cases). */
@Module({
  imports: [RegistryModule],
  controllers: [TripsController],
  providers: [ComplianceService, TripsService],
  exports: [ComplianceService],
})
export class ComplianceModule {}
