import type { ApiConfig } from './config/api-config.js';
import { startEmbeddedBroker } from './broker/embedded-broker.js';
import { startEmbeddedPostgres } from './database/embedded-postgres.js';

/** Where the database and broker are, after starting the embedded ones that are not configured. */
export interface Infrastructure {
  databaseUrl: string;
  embeddedDatabase: boolean;
  mqttUrl: string;
  embeddedBroker: boolean;
  stop(): Promise<void>;
}

export const INFRASTRUCTURE = Symbol('INFRASTRUCTURE');

export async function startInfrastructure(config: ApiConfig): Promise<Infrastructure> {
  const stops: Array<() => Promise<void>> = [];
  try {
    let databaseUrl: string;
    if (config.database.kind === 'external') {
      databaseUrl = config.database.url;
    } else {
      const embedded = await startEmbeddedPostgres(config.database);
      stops.push(() => embedded.stop());
      databaseUrl = embedded.url;
    }
    let mqttUrl: string;
    if (config.broker.kind === 'external') {
      mqttUrl = config.broker.url;
    } else {
      const broker = await startEmbeddedBroker(config.broker);
      stops.push(() => broker.stop());
      mqttUrl = broker.url;
    }
    return {
      databaseUrl,
      embeddedDatabase: config.database.kind === 'embedded',
      mqttUrl,
      embeddedBroker: config.broker.kind === 'embedded',
      async stop() {
        for (const stop of stops.reverse()) await stop();
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    throw error;
  }
}
