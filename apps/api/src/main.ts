import { ConfigError, loadApiConfig } from './config/api-config.js';
import { startApi } from './bootstrap.js';

/** `npm run api`: the API alone, configured from the environment (see README, Configuration). */
async function main(): Promise<void> {
  let config;
  try {
    config = loadApiConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`muckwatch: configuration error: ${error.message}`);
      process.exit(78);
    }
    throw error;
  }
  const api = await startApi(config);
  console.log(JSON.stringify({ level: 30, msg: 'muckwatch API listening', url: api.url, mqtt: api.infra.mqttUrl }));
  const stop = async () => {
    await api.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

void main();
