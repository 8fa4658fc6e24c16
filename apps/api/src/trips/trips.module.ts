import { Module } from '@nestjs/common';
import { TripsExportService } from './trips-export.service.js';
import { TripsController } from './trips.controller.js';
import { TripsRepository } from './trips.repository.js';
import { TripsService } from './trips.service.js';

/** Trips (运次, issue #13): the engine's trips listed, totalled per day and site, and exported. */
@Module({
  controllers: [TripsController],
  providers: [TripsRepository, TripsService, TripsExportService],
})
export class TripsModule {}
