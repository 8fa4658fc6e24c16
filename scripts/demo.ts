/**
 * `npm start`: the whole platform on embedded defaults — PostgreSQL+PostGIS (PGlite) and an MQTT
 * broker (Aedes) inside the API, the demo registry of Linzi, and the simulated fleet publishing
 * over MQTT like real terminals. Every setting can be overridden by the environment (README).
 */
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ConfigError, loadApiConfig, startApi } from '@muckwatch/api';
import { startFleet } from '@muckwatch/fleet';

async function main(): Promise<void> {
  if (!existsSync('apps/web/dist/index.html')) {
    console.log('muckwatch: building the web console…');
    execSync('npm run build:web --silent', { stdio: 'inherit' });
  }
  const env: Record<string, string | undefined> = { SEED_DEMO: 'true', ...process.env };
  let config;
  try {
    config = loadApiConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`muckwatch: configuration error: ${error.message}`);
      process.exit(78);
    }
    throw error;
  }
  console.log('muckwatch: starting (the embedded PostGIS takes ~15 s to load)…');
  const api = await startApi(config);
  const fleet = await startFleet({
    url: api.infra.mqttUrl,
    trucks: Number(env['DEMO_TRUCKS'] ?? 50),
    seed: Number(env['DEMO_SEED'] ?? 1),
    intervalSec: Number(env['DEMO_INTERVAL_SECONDS'] ?? 5),
  });
  const line = '='.repeat(72);
  console.log(
    [
      line,
      `  muckwatch 渣土车监管平台 is running:  ${api.url}`,
      '  No login in this version (accounts and roles arrive with issue #5).',
      `  MQTT broker: ${api.infra.mqttUrl}   database: ${api.infra.embeddedDatabase ? `embedded (${config.database.kind === 'embedded' ? config.database.dataDir : ''})` : 'DATABASE_URL'}`,
      `  ${fleet.stats.trucks} simulated trucks publishing; DEMO data, not real. Ctrl+C stops.`,
      line,
    ].join('\n'),
  );
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await fleet.stop();
    await api.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

void main();
