import { Module } from '@nestjs/common';
import { FixesController } from './fixes.controller.js';
import { FixesService } from './fixes.service.js';
import { PositionPartitions } from './position-partitions.js';
import { RetentionService } from './retention.service.js';

@Module({
  controllers: [FixesController],
  providers: [FixesService, { provide: PositionPartitions, useFactory: () => new PositionPartitions() }, RetentionService],
  exports: [PositionPartitions, RetentionService],
})
export class PositionsModule {}
