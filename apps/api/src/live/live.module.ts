import { Module } from '@nestjs/common';
import { LatestPositionsRepository } from './latest-positions.repository.js';
import { LiveFeed } from './live-feed.service.js';
import { LiveGateway } from './live.gateway.js';
import { TownScope } from './town-scope.js';
import { TruckDirectory } from './truck-directory.service.js';

@Module({
  providers: [TownScope, TruckDirectory, LatestPositionsRepository, LiveGateway, LiveFeed],
  exports: [TownScope, TruckDirectory, LatestPositionsRepository, LiveFeed, LiveGateway],
})
export class LiveModule {}
