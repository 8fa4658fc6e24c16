import { Module } from '@nestjs/common';
import { LiveModule } from '../live/live.module.js';
import { WhereaboutsController } from './whereabouts.controller.js';
import { WhereaboutsRepository } from './whereabouts.repository.js';
import { WhereaboutsService } from './whereabouts.service.js';

/** Where a truck is, in words (GET /api/v1/trucks/{id}/whereabouts, GET /api/v1/whereabouts). */
@Module({
  imports: [LiveModule],
  controllers: [WhereaboutsController],
  providers: [WhereaboutsRepository, WhereaboutsService],
})
export class WhereaboutsModule {}
