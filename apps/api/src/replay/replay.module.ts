import { Module } from '@nestjs/common';
import { ReplayController } from './replay.controller.js';
import { ReplayExportService } from './replay-export.service.js';
import { ReplayOverviewJob } from './replay-overview.job.js';
import { ReplayRepository } from './replay.repository.js';
import { ReplayService } from './replay.service.js';

/** Track replay (轨迹回放): simplified tracks, windows of fixes, marks and exports of one truck's period; closed days' overviews stored ahead. */
@Module({
  controllers: [ReplayController],
  providers: [ReplayRepository, ReplayService, ReplayExportService, ReplayOverviewJob],
  exports: [ReplayOverviewJob],
})
export class ReplayModule {}
