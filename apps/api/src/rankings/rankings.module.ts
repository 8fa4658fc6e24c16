import { Module } from '@nestjs/common';
import { AssessmentController } from './assessment.controller.js';
import { AssessmentService } from './assessment.service.js';
import { FactsRepository } from './facts.repository.js';
import { MonthCloseJob } from './month-close.job.js';
import { RankingsExportService } from './rankings-export.service.js';
import { RankingsController } from './rankings.controller.js';
import { RankingsRepository } from './rankings.repository.js';
import { RankingsService } from './rankings.service.js';

/** Monthly assessment, ranking and month close of the towns and streets (考核、排名). */
@Module({
  controllers: [RankingsController, AssessmentController],
  providers: [FactsRepository, RankingsRepository, RankingsService, AssessmentService, RankingsExportService, MonthCloseJob],
  exports: [RankingsService, MonthCloseJob],
})
export class RankingsModule {}
