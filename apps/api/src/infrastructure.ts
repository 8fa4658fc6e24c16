import type { ApiConfig } from './config/api-config.js';
import { startEmbeddedBroker, type BrokerAccount, type EmbeddedBroker } from './broker/embedded-broker.js';
import { migrateAsOwner, migrateOnce } from './database/app-role.js';
import { startEmbeddedPostgres } from './database/embedded-postgres.js';

/** Where the database and broker are, after starting the embedded ones that are not configured. */
export interface Infrastructure {
  databaseUrl: string;
  embeddedDatabase: boolean;
  /** The migrations already ran as the schema's owner (DATABASE_OWNER_URL); the API's own connection does not run them. */
  migrated: boolean;
  mqttUrl: string;
  /** The embedded broker when it runs in this process (terminal authorization plugs into it). */
  embeddedBroker: EmbeddedBroker | null;
  /** What the API's own MQTT clients (ingest) connect with: the embedded broker's service account, or MQTT_USERNAME / MQTT_PASSWORD. */
  mqttAccount: BrokerAccount | null;
  stop(): Promise<void>;
}

export const INFRASTRUCTURE = Symbol('INFRASTRUCTURE');

export async function startInfrastructure(config: ApiConfig): Promise<Infrastructure> {
  const stops: Array<() => Promise<void>> = [];
  try {
    let databaseUrl: string;
    let migrated = false;
    if (config.database.kind === 'external') {
      databaseUrl = config.database.url;
      if (config.database.ownerUrl !== null) await migrateAsOwner(config.database.ownerUrl, databaseUrl, 'muckwatch-migrations');
      else await migrateOnce(databaseUrl, 'muckwatch-migrations');
      migrated = true;
    } else {
      const embedded = await startEmbeddedPostgres(config.database);
      stops.push(() => embedded.stop());
      databaseUrl = embedded.url;
    }
    let mqttUrl: string;
    let embeddedBroker: EmbeddedBroker | null = null;
    let mqttAccount: BrokerAccount | null = null;
    if (config.broker.kind === 'external') {
      mqttUrl = config.broker.url;
      const { username, password } = config.broker;
      if (username !== undefined) mqttAccount = { username, password: password ?? '' };
    } else {
      const broker = await startEmbeddedBroker({ ...config.broker, ingestInProcess: true });
      stops.push(() => broker.stop());
      mqttUrl = broker.url;
      embeddedBroker = broker;
      mqttAccount = broker.serviceAccount;
    }
    return {
      databaseUrl,
      embeddedDatabase: config.database.kind === 'embedded',
      migrated,
      mqttUrl,
      embeddedBroker,
      mqttAccount,
      async stop() {
        for (const stop of stops.reverse()) await stop();
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    throw error;
  }
}
