import { Module } from '@nestjs/common';
import { LiveModule } from '../live/live.module.js';
import { RegistryModule } from '../registry/registry.module.js';
import { ComplianceService } from './compliance.service.js';
import { TripsController, ViolationsController } from './violations.controller.js';
import { ViolationsService } from './violations.service.js';

/** Issue #4 on the platform: the engine after each ingest commit, trips and violations over REST and the socket. */
@Module({
  imports: [LiveModule, RegistryModule],
  controllers: [ViolationsController, TripsController],
  providers: [ComplianceService, ViolationsService],
  exports: [ComplianceService],
})
export class ComplianceModule {}
