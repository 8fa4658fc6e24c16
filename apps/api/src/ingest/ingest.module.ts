import { Module } from '@nestjs/common';
import { ComplianceModule } from '../compliance/compliance.module.js';
import { LiveModule } from '../live/live.module.js';
import { PositionsModule } from '../positions/positions.module.js';
import { IngestService } from './ingest.service.js';

@Module({
  imports: [LiveModule, PositionsModule, ComplianceModule],
  providers: [IngestService],
  exports: [IngestService],
})
export class IngestModule {}
