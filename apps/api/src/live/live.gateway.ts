import { Logger } from '@nestjs/common';
import {
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { LIVE_NAMESPACE, LiveEvent, type TruckPosition } from '@muckwatch/contracts';
import { MetricsService } from '../metrics/metrics.service.js';
import { LatestPositionsRepository } from './latest-positions.repository.js';

/** The live map's socket: a snapshot of every truck on connect, then batched updates. */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class LiveGateway implements OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(LiveGateway.name);
  @WebSocketServer() private readonly server!: Namespace;

  constructor(
    private readonly latest: LatestPositionsRepository,
    private readonly metrics: MetricsService,
  ) {}

  async handleConnection(client: Socket): Promise<void> {
    this.metrics.liveClients.inc();
    try {
      client.emit(LiveEvent.Snapshot, await this.latest.all());
    } catch (error) {
      this.logger.error(`snapshot failed: ${(error as Error).message}`);
      client.disconnect(true);
    }
  }

  handleDisconnect(): void {
    this.metrics.liveClients.dec();
  }

  broadcast(positions: TruckPosition[]): void {
    this.server.emit(LiveEvent.Positions, positions);
  }
}
