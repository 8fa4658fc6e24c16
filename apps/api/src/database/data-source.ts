import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadApiConfig } from '../config/api-config.js';
import { REGISTRY_ENTITIES } from '../registry/registry.entities.js';
import { MIGRATIONS } from './migrations/index.js';

/** For the TypeORM CLI (migration:show / migration:revert) against DATABASE_OWNER_URL, else DATABASE_URL. */
const config = loadApiConfig();
if (config.database.kind !== 'external') {
  throw new Error('DATABASE_URL is required for the TypeORM CLI (the embedded database runs inside the API)');
}

export default new DataSource({
  type: 'postgres',
  url: config.database.ownerUrl ?? config.database.url,
  entities: REGISTRY_ENTITIES,
  migrations: MIGRATIONS,
  synchronize: false,
});
