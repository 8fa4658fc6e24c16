import { Module } from '@nestjs/common';
import { LatestPositionsRepository } from './latest-positions.repository.js';
import { LiveFeed } from './live-feed.service.js';
import { LiveGateway } from './live.gateway.js';
import { TruckDirectory } from './truck-directory.service.js';

@Module({
  providers: [TruckDirectory, LatestPositionsRepository, LiveGateway, LiveFeed],
  exports: [TruckDirectory, LatestPositionsRepository, LiveFeed],
})
export class LiveModule {}
