import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module.js';
import { ComplianceService } from './compliance.service.js';

/** Issue #4 on the platform: the engine after each ingest commit, alarms on the domain event bus (violations and cases: apps/api/src/cases). */
@Module({
  imports: [RegistryModule],
  providers: [ComplianceService],
  exports: [ComplianceService],
})
export class ComplianceModule {}
