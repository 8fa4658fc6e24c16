import { Module } from '@nestjs/common';
import { FulfilmentService } from './fulfilment.service.js';
import {
  CollectionPointsController,
  CollectionRequestsController,
  FindingsController,
  LedgerCoverageController,
  WastePilesController,
} from './ledgers.controller.js';
import { LedgersRepository } from './ledgers.repository.js';
import { LedgersService } from './ledgers.service.js';

/** The towns' own ledgers (镇街台账): piles, collection points and requests, findings, coverage; GPS fulfilment. */
@Module({
  controllers: [WastePilesController, FindingsController, CollectionPointsController, CollectionRequestsController, LedgerCoverageController],
  providers: [LedgersRepository, LedgersService, FulfilmentService],
  exports: [LedgersRepository, FulfilmentService],
})
export class LedgersModule {}
