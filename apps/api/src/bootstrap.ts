import { runSerialized } from './database/run-exclusive.js';
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { ApiConfig } from './config/api-config.js';
import { ApiExceptionFilter } from './common/api-exception.filter.js';
import { bodyParseErrors, inputBoundary } from './common/input-boundary.js';
import { AppModule } from './app.module.js';
import { AccountSeedService } from './users/account-seed.service.js';
import { type Infrastructure, startInfrastructure } from './infrastructure.js';

/**
 * Security headers, CORS allow-list, body size limit, the input boundary (common/input-boundary.ts),
 * cookies, and the client address behind proxies.
 */
function harden(app: NestExpressApplication, config: ApiConfig): void {
  app.set('trust proxy', config.http.trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // Map tiles come from the configured tile server; Leaflet and Element Plus set inline styles.
          'img-src': ["'self'", 'data:', 'blob:', 'https:'],
          'style-src': ["'self'", "'unsafe-inline'"],
          'connect-src': ["'self'", 'ws:', 'wss:'],
        },
      },
    }),
  );
  app.enableCors(config.http.corsOrigins.length > 0 ? { origin: config.http.corsOrigins, credentials: true } : { origin: false });
  app.useBodyParser('json', { limit: config.http.bodyLimitBytes });
  // Registered here, not by Nest at init, so that form bodies too are parsed before the boundary.
  app.useBodyParser('urlencoded', { limit: config.http.bodyLimitBytes, extended: true });
  app.use(bodyParseErrors());
  app.use(inputBoundary());
  app.use(cookieParser());
}

export interface RunningApi {
  app: INestApplication;
  infra: Infrastructure;
  /** e.g. http://127.0.0.1:3000 */
  url: string;
  close(): Promise<void>;
}

/** Starts the whole API: embedded services if not configured, migrations, ingest, HTTP, socket. */
export async function startApi(config: ApiConfig): Promise<RunningApi> {
  const infra = await startInfrastructure(config);
  let app: INestApplication | undefined;
  try {
    const nest = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, infra), { bufferLogs: true });
    app = nest;
    nest.useLogger(nest.get(Logger));
    harden(nest, config);
    app.useGlobalFilters(new ApiExceptionFilter());
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('muckwatch API')
        .setDescription('渣土车监管平台 — construction-waste truck monitoring. Telemetry contract: libs/contracts.')
        .setVersion('1')
        .build(),
    );
    app.getHttpAdapter().get('/api/openapi.json', (_req: unknown, res: { json(body: unknown): void }) => res.json(document));
    await nest.init();
    // Once however many instances start together (the others wait, then find the accounts there).
    await runSerialized(infra.databaseUrl, 'muckwatch:account-seed', () => nest.get(AccountSeedService).seed());
    await app.listen(config.port, config.host);
    const server = app.getHttpServer() as { address(): { port: number } };
    const address = server.address();
    const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
    const running = app;
    return {
      app: running,
      infra,
      url: `http://${host}:${address.port}`,
      async close() {
        await running.close();
        await infra.stop();
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await infra.stop().catch(() => undefined);
    throw error;
  }
}
