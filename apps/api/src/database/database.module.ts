import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import pg from 'pg';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';
import { INFRASTRUCTURE, type Infrastructure } from '../infrastructure.js';
import { REGISTRY_ENTITIES } from '../registry/registry.entities.js';
import { MIGRATIONS } from './migrations/index.js';

/** A plain `pg` pool for hot paths that TypeORM would only slow down (batch ingest, replay). */
export const PG_POOL = Symbol('PG_POOL');

/** How the API's sessions show in pg_stat_activity (operators; the bench's CPU budget). */
export const APPLICATION_NAME = 'muckwatch-api';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [INFRASTRUCTURE, API_CONFIG],
      useFactory: (infra: Infrastructure, config: ApiConfig) => ({
        type: 'postgres' as const,
        url: infra.databaseUrl,
        entities: REGISTRY_ENTITIES,
        migrations: MIGRATIONS,
        // With DATABASE_OWNER_URL the owner ran them (database/app-role.ts): the app role may not.
        migrationsRun: !infra.migrated,
        synchronize: false,
        applicationName: APPLICATION_NAME,
        extra: { max: Math.min(4, config.database.poolSize) },
      }),
    }),
  ],
  providers: [
    {
      provide: PG_POOL,
      inject: [INFRASTRUCTURE, API_CONFIG],
      useFactory: (infra: Infrastructure, config: ApiConfig) => {
        const pool = new pg.Pool({
          connectionString: infra.databaseUrl,
          max: config.database.poolSize,
          connectionTimeoutMillis: 5000,
          application_name: APPLICATION_NAME,
        });
        // An idle client's error (e.g. the server went away) must not crash the process.
        pool.on('error', () => undefined);
        return pool;
      },
    },
  ],
  exports: [PG_POOL],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
