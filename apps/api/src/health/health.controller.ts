import { Controller, Get, Inject, Res } from '@nestjs/common';
import { Public } from '../auth/auth.decorators.js';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Pool } from 'pg';
import type { HealthResponse } from '@muckwatch/contracts';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';
import { PG_POOL } from '../database/database.module.js';
import { INFRASTRUCTURE, type Infrastructure } from '../infrastructure.js';
import { ComplianceService } from '../compliance/compliance.service.js';
import { FixPipeline } from '../ingest/fix-pipeline.js';
import { MqttDoor } from '../ingest/mqtt-door.js';
import { Jt808Door } from '../jt808/jt808-door.js';
import { ClusterBus } from '../cluster/cluster-bus.js';

@ApiTags('operations')
@Public()
@Controller('api/health')
export class HealthController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(INFRASTRUCTURE) private readonly infra: Infrastructure,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly mqtt: MqttDoor,
    private readonly pipeline: FixPipeline,
    private readonly jt808: Jt808Door,
    private readonly compliance: ComplianceService,
    private readonly cluster: ClusterBus,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Database and broker status; 503 with what is wrong when degraded' })
  @ApiOkResponse({ description: 'HealthResponse (libs/contracts/src/api/api-types.ts)' })
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthResponse> {
    const database = await this.pingDatabase();
    const broker = this.mqtt.status();
    const commits = this.pipeline.status();
    const brokerUp = broker.connected === broker.expected;
    const engines = this.compliance.engineStatus();
    const jt808 = this.jt808.status();
    const cluster = this.cluster.status();
    const stalled = commits.oldestWaitMs > this.config.ingest.stallSeconds * 1000;
    const body: HealthResponse = {
      status: database.status === 'ok' && brokerUp && engines.pid !== null && !stalled && jt808?.listening !== false && (!cluster.enabled || cluster.listening) ? 'ok' : 'degraded',
      database,
      broker: {
        status: brokerUp ? 'ok' : 'down',
        embedded: this.infra.embeddedBroker !== null,
        url: redact(this.infra.mqttUrl),
        connectedSubscribers: broker.connected,
        expectedSubscribers: broker.expected,
        error: brokerUp ? null : (broker.lastError ?? 'not connected'),
      },
      ingest: {
        status: stalled ? 'stalled' : 'ok',
        pendingMessages: commits.pending,
        oldestPendingSeconds: Math.round(commits.oldestWaitMs / 1000),
        isolatedMessages: commits.isolated,
        lastCommitAt: commits.lastCommitAt?.toISOString() ?? null,
        lastError: commits.lastError,
      },
      compliance: { status: engines.pid === null ? 'down' : 'ok', ...engines, partitions: this.compliance.ownedPartitions() },
      jt808: jt808 && { status: jt808.listening ? 'ok' : 'down', port: jt808.port, connections: jt808.connections, terminals: jt808.terminals, refusedConnections: jt808.refusedConnections },
      cluster: cluster.enabled ? { status: cluster.listening ? 'ok' : 'down', instanceId: this.config.instanceId, listening: cluster.listening } : null,
    };
    res.status(body.status === 'ok' ? 200 : 503);
    return body;
  }

  private async pingDatabase(): Promise<HealthResponse['database']> {
    const started = performance.now();
    try {
      await Promise.race([
        this.pool.query('SELECT 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 3 s')), 3000).unref()),
      ]);
      return { status: 'ok', embedded: this.infra.embeddedDatabase, latencyMs: Math.round(performance.now() - started), error: null };
    } catch (error) {
      return { status: 'down', embedded: this.infra.embeddedDatabase, latencyMs: null, error: (error as Error).message };
    }
  }
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
