import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import pg from 'pg';
import { INFRASTRUCTURE, type Infrastructure } from '../infrastructure.js';
import { REGISTRY_ENTITIES } from '../registry/registry.entities.js';
import { MIGRATIONS } from './migrations/index.js';

/** A plain `pg` pool for hot paths that TypeORM would only slow down (batch ingest, replay). */
export const PG_POOL = Symbol('PG_POOL');

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [INFRASTRUCTURE],
      useFactory: (infra: Infrastructure) => ({
        type: 'postgres' as const,
        url: infra.databaseUrl,
        entities: REGISTRY_ENTITIES,
        migrations: MIGRATIONS,
        migrationsRun: true,
        synchronize: false,
        extra: { max: 4 },
      }),
    }),
  ],
  providers: [
    {
      provide: PG_POOL,
      inject: [INFRASTRUCTURE],
      useFactory: (infra: Infrastructure) => {
        const pool = new pg.Pool({ connectionString: infra.databaseUrl, max: 6, connectionTimeoutMillis: 5000 });
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
