import { Module } from '@nestjs/common';
import { ReplayController } from './replay.controller.js';
import { ReplayExportService } from './replay-export.service.js';
import { ReplayRepository } from './replay.repository.js';
import { ReplayService } from './replay.service.js';

/** Track replay (轨迹回放): simplified tracks, windows of fixes, marks and exports of one truck's period. */
@Module({
  controllers: [ReplayController],
  providers: [ReplayRepository, ReplayService, ReplayExportService],
})
export class ReplayModule {}
