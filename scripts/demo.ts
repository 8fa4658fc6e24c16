/**
 * `npm start`: the whole platform on embedded defaults — PostgreSQL+PostGIS (PGlite) and an MQTT
 * broker (Aedes) inside the API, the demo registry of Linzi, and the simulated fleet publishing
 * over MQTT like real terminals. Every setting can be overridden by the environment (README).
 */
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConfigError,
  DEMO_ACCOUNTS,
  DEMO_PASSWORD,
  loadApiConfig,
  MonthCloseJob,
  PG_POOL,
  RegistryChanges,
  seedDemoAssessmentHistory,
  seedDemoCases,
  seedDemoJt808Terminals,
  startApi,
  TerminalCredentialsService,
  type RunningApi,
} from '@muckwatch/api';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import type { HealthResponse } from '@muckwatch/contracts';
import { startFleet, truckSpec, type Jt808Profile, type TerminalCredentials } from '@muckwatch/fleet';
import { demoJt808Terminals, demoRegistry } from '@muckwatch/linzi';

/**
 * Issues (rotates) MQTT credentials for the simulated terminals the registry knows, as the
 * system; the others would be refused by a secured broker and are left out of the fleet.
 */
async function demoCredentials(api: RunningApi, trucks: number): Promise<Map<string, TerminalCredentials>> {
  const service = api.app.get(TerminalCredentialsService);
  const credentials = new Map<string, TerminalCredentials>();
  for (let index = 0; index < trucks; index++) {
    const { terminalId } = truckSpec(demoRegistry, index);
    try {
      credentials.set(terminalId, await service.issue(terminalId, null));
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw error;
    }
  }
  return credentials;
}

/**
 * DEMO_JT808_SHARE (0…1, default 0.2) of the demo trucks report through the JT/T 808 door: their
 * registry rows become 鸿泉 / 锐明 JT/T 808 terminals with their own SIMs
 * (libs/linzi/src/demo/jt808.ts), and the fleet drives them over TCP. Null when the door is off.
 */
async function demoJt808(api: RunningApi, share: number): Promise<{ host: string; port: number; terminals: Map<string, Jt808Profile> } | null> {
  const health = (await (await fetch(`${api.url}/api/health`)).json()) as HealthResponse;
  const plan = demoJt808Terminals(health.jt808 ? share : 0);
  const changed = await seedDemoJt808Terminals(api.app.get<pg.Pool>(PG_POOL), plan);
  if (changed > 0) {
    const changes = api.app.get(RegistryChanges);
    for (const terminal of demoRegistry.terminals) changes.publish({ resourceType: 'terminal', resourceId: terminal.id, action: 'update', at: new Date().toISOString() });
  }
  if (!health.jt808 || plan.length === 0) return null;
  const terminals = new Map(plan.map((t) => [t.terminalId, { sim: t.sim, version: t.protocol === 'jt808-2019' ? '2019' : '2013', maker: t.maker, plate: t.plate } satisfies Jt808Profile]));
  return { host: '127.0.0.1', port: health.jt808.port, terminals };
}

/** The newest modification time of the files below these paths (ms). */
function newestMtime(paths: string[]): number {
  let newest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    if (!stat.isDirectory()) newest = Math.max(newest, stat.mtimeMs);
    else newest = Math.max(newest, newestMtime(readdirSync(path).map((name) => join(path, name))));
  }
  return newest;
}

/** The console's sources, and the libraries it bundles: a build older than any of them is stale. */
const WEB_SOURCES = ['apps/web/src', 'apps/web/index.html', 'apps/web/vite.config.ts', 'libs/contracts/src', 'libs/domain/src', 'libs/linzi/src'];

async function main(): Promise<void> {
  const built = 'apps/web/dist/index.html';
  if (!existsSync(built) || statSync(built).mtimeMs < newestMtime(WEB_SOURCES)) {
    console.log('muckwatch: building the web console…');
    execSync('npm run build:web --silent', { stdio: 'inherit' });
  }
  // The demo serves plain http on the loopback: a `Secure` refresh cookie would never come back.
  const env: Record<string, string | undefined> = { SEED_DEMO: 'true', SECURE_COOKIES: 'false', ...process.env };
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
  const seededCases = await seedDemoCases(api.app.get(DataSource), Date.now());
  if (seededCases > 0) console.log(`muckwatch: seeded ${seededCases} DEMO violation cases of the past month (invented, in every state)`);
  // After the month of cases (which seeds only while no case has a timeline): twelve months for the ranking.
  const history = await seedDemoAssessmentHistory(api.app.get<pg.Pool>(PG_POOL), Date.now());
  if (history.trips + history.cases + history.requests > 0) {
    console.log(`muckwatch: seeded 12 months of DEMO assessment history (${history.trips} trips, ${history.cases} cases, ${history.findings} findings, ${history.requests} collection requests; invented)`);
    // Freeze the past months now rather than at the job's next run, so the demo opens on closed months.
    await api.app.get(MonthCloseJob).run();
  }
  const jt808Share = Number(env['DEMO_JT808_SHARE'] ?? 0.2);
  if (!(jt808Share >= 0 && jt808Share <= 1)) {
    console.error(`muckwatch: configuration error: DEMO_JT808_SHARE must be a number 0…1, got '${env['DEMO_JT808_SHARE']}'`);
    process.exit(78);
  }
  const jt808 = await demoJt808(api, jt808Share);
  let trucks = Number(env['DEMO_TRUCKS'] ?? 50);
  const secured = (config.broker.kind === 'embedded' && config.broker.authenticate) || (config.broker.kind === 'external' && config.broker.dynsec !== null);
  const credentials = secured ? await demoCredentials(api, trucks) : undefined;
  if (credentials && credentials.size < trucks) {
    console.log(`muckwatch: only ${credentials.size} of ${trucks} simulated terminals are registered; the broker admits only those.`);
    trucks = credentials.size;
  }
  const fleet = await startFleet({
    url: api.infra.mqttUrl,
    trucks,
    ...(credentials && { credentials }),
    seed: Number(env['DEMO_SEED'] ?? 1),
    intervalSec: Number(env['DEMO_INTERVAL_SECONDS'] ?? 5),
    // A few drivers with bad habits, so every kind of case shows up within minutes.
    misbehavingShare: Number(env['DEMO_MISBEHAVING_SHARE'] ?? 0.15),
    ...(jt808 && { jt808 }),
  });
  const line = '='.repeat(72);
  console.log(
    [
      line,
      `  muckwatch 渣土车监管平台 is running:  ${api.url}`,
      `  DEMO ACCOUNTS (password ${DEMO_PASSWORD}): ${DEMO_ACCOUNTS.map((a) => `${a.username} (${a.role})`).join(', ')}`,
      '  They exist only because SEED_DEMO is on. Never run SEED_DEMO in production.',
      `  MQTT broker: ${api.infra.mqttUrl}${secured ? ' (per-terminal credentials, issued for the demo fleet)' : ''}   database: ${api.infra.embeddedDatabase ? `embedded (${config.database.kind === 'embedded' ? config.database.dataDir : ''})` : 'DATABASE_URL'}`,
      `  ${fleet.stats.trucks} simulated trucks publishing${fleet.stats.jt808.trucks > 0 ? ` (${fleet.stats.jt808.trucks} of them 鸿泉/锐明 JT/T 808 terminals on the JT/T 808 door, port ${jt808?.port})` : ''}; DEMO data, not real. Ctrl+C stops.`,
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
