import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type DynamicModule, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { LoggerModule } from 'nestjs-pino';
import { API_CONFIG, type ApiConfig } from './config/api-config.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { LOG_REDACTION } from './common/log-redaction.js';
import { ConsoleConfigController } from './console-config/console-config.controller.js';
import { DatabaseModule } from './database/database.module.js';
import { DomainEventsModule } from './events/domain-events.js';
import { CasesModule } from './cases/cases.module.js';
import { ClusterModule } from './cluster/cluster.module.js';
import { CommandsModule } from './commands/commands.module.js';
import { ComplianceModule } from './compliance/compliance.module.js';
import { HealthController } from './health/health.controller.js';
import { INFRASTRUCTURE, type Infrastructure } from './infrastructure.js';
import { IngestModule } from './ingest/ingest.module.js';
import { Jt808Module } from './jt808/jt808.module.js';
import { LedgersModule } from './ledgers/ledgers.module.js';
import { LiveModule } from './live/live.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { PositionsModule } from './positions/positions.module.js';
import { RankingsModule } from './rankings/rankings.module.js';
import { RegistryModule } from './registry/registry.module.js';
import { RejectionsModule } from './rejections/rejections.module.js';
import { ReplayModule } from './replay/replay.module.js';
import { TerminalCredentialsModule } from './terminal-credentials/terminal-credentials.module.js';
import { TripsModule } from './trips/trips.module.js';
import { WhereaboutsModule } from './whereabouts/whereabouts.module.js';

@Module({})
export class AppModule {
  static forRoot(config: ApiConfig, infra: Infrastructure): DynamicModule {
    const webDist = config.webDist ? resolve(config.webDist) : null;
    const serveWeb = webDist !== null && existsSync(resolve(webDist, 'index.html'));
    return {
      module: AppModule,
      global: true,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            redact: LOG_REDACTION,
            autoLogging: { ignore: (req) => req.url === '/metrics' || req.url === '/api/health' },
          },
        }),
        ...(serveWeb
          ? [ServeStaticModule.forRoot({ rootPath: webDist, exclude: ['/api/{*path}', '/metrics', '/socket.io/{*path}'] })]
          : []),
        MetricsModule,
        DatabaseModule,
        DomainEventsModule,
        ClusterModule,
        AuditModule,
        LiveModule,
        PositionsModule,
        IngestModule,
        Jt808Module,
        ComplianceModule,
        CasesModule,
        TripsModule,
        LedgersModule,
        RejectionsModule,
        RegistryModule,
        RankingsModule,
        ReplayModule,
        AuthModule,
        TerminalCredentialsModule,
        WhereaboutsModule,
        CommandsModule,
      ],
      controllers: [HealthController, ConsoleConfigController],
      providers: [
        { provide: API_CONFIG, useValue: config },
        { provide: INFRASTRUCTURE, useValue: infra },
      ],
      exports: [API_CONFIG, INFRASTRUCTURE],
    };
  }
}
