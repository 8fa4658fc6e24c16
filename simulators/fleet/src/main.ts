/**
 * The fleet simulator's command line:
 *   SWC_NODE_PROJECT=tsconfig.json node --import @swc-node/register/esm-register simulators/fleet/src/main.ts \
 *     [--url mqtt://127.0.0.1:11883] [--trucks 50] [--seed 1] [--interval 10] [--speedup 1] [--duration <s>] \
 *     [--username u --password p] [--credentials terminals.json]
 *     [--protocol mqtt|jt808|mixed] [--jt808-share 0.2] [--jt808-host 127.0.0.1] [--jt808-port 6808]
 *   JT/T 808 trucks are the demo registry's plan (libs/linzi/src/demo/jt808.ts: a share of the
 *   terminals with their SIMs, 鸿泉 / 锐明); the registry must list them as jt808-2019 / jt808-2013
 *   (`npm start` does so for DEMO_JT808_SHARE). `--protocol jt808` sends every truck through it.
 *   Scenario mode (one terminal, one named situation, then exit):
 *     --scenario <clean_trip|illegal_dumping|…|suspected_tampering> [--start <ISO time>] [--backlog]
 * Logs one JSON line per minute; SIGINT/SIGTERM publish `offline` for every terminal and exit.
 */
import { parseArgs } from 'node:util';
import { readCredentialsFile } from './credentials-file.js';
import { demoJt808Profiles } from './jt808-link.js';
import { startFleet } from './publisher.js';
import { publishScenario } from './scenario-publisher.js';
import { buildScenario, isScenarioName, SCENARIO_NAMES } from './scenarios.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env['MQTT_URL'] ?? 'mqtt://127.0.0.1:11883' },
    trucks: { type: 'string', default: '50' },
    seed: { type: 'string', default: '1' },
    interval: { type: 'string', default: '10' },
    speedup: { type: 'string', default: '1' },
    misbehaving: { type: 'string', default: '0' },
    duration: { type: 'string' },
    username: { type: 'string' },
    password: { type: 'string' },
    credentials: { type: 'string' },
    scenario: { type: 'string' },
    start: { type: 'string' },
    backlog: { type: 'boolean' },
    protocol: { type: 'string', default: 'mqtt' },
    'jt808-share': { type: 'string', default: '0.2' },
    'jt808-host': { type: 'string', default: '127.0.0.1' },
    'jt808-port': { type: 'string', default: process.env['JT808_PORT'] ?? '6808' },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});

if (values.help) {
  console.log('usage: main.ts [--url mqtt://host:port] [--trucks 50] [--seed 1] [--interval 10] [--speedup 1] [--misbehaving 0.15] [--duration seconds] [--username u] [--password p] [--credentials terminals.json]');
  console.log('       [--protocol mqtt|jt808|mixed] [--jt808-share 0..1 (mixed; default 0.2)] [--jt808-host 127.0.0.1] [--jt808-port 6808]');
  console.log(`       main.ts --scenario <${SCENARIO_NAMES.join('|')}> [--start ISO-time] [--backlog] [--url …] [--credentials terminals.json]`);
  process.exit(0);
}

function number(name: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < min) {
    console.error(`--${name} must be a number ≥ ${min}, got '${text}'`);
    process.exit(2);
  }
  return value;
}

const line = (record: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify({ service: 'fleet-simulator', ...record })}\n`);

if (values.scenario !== undefined) {
  if (!isScenarioName(values.scenario)) {
    console.error(`--scenario must be one of ${SCENARIO_NAMES.join(', ')}`);
    process.exit(2);
  }
  const startMs = values.start === undefined ? Date.now() : Date.parse(values.start);
  if (!Number.isFinite(startMs)) {
    console.error(`--start must be an ISO 8601 time, got '${values.start}'`);
    process.exit(2);
  }
  const scenario = buildScenario(values.scenario, { startMs, intervalSec: number('interval', values.interval, 1) });
  const credentials = values.credentials !== undefined ? (await readCredentialsFile(values.credentials)).get(scenario.terminalId) : undefined;
  try {
    const { published } = await publishScenario(scenario, {
      url: values.url,
      mode: values.backlog ? 'backlog' : 'live',
      ...(credentials ?? (values.username !== undefined ? { username: values.username, password: values.password ?? '' } : {})),
    });
    line({ event: 'scenario', scenario: scenario.name, terminalId: scenario.terminalId, plate: scenario.plate, expected: scenario.expectedTypes, published });
    process.exit(0);
  } catch (error) {
    line({ event: 'failed', error: (error as Error).message });
    process.exit(1);
  }
}

const protocol = values.protocol;
if (protocol !== 'mqtt' && protocol !== 'jt808' && protocol !== 'mixed') {
  console.error(`--protocol must be mqtt, jt808 or mixed, got '${protocol}'`);
  process.exit(2);
}
const jt808Share = protocol === 'jt808' ? 1 : protocol === 'mixed' ? number('jt808-share', values['jt808-share'], 0) : 0;
if (jt808Share > 1) {
  console.error(`--jt808-share must be 0…1, got '${values['jt808-share']}'`);
  process.exit(2);
}
const jt808Port = number('jt808-port', values['jt808-port'], 1);
if (!Number.isInteger(jt808Port) || jt808Port > 65535) {
  console.error(`--jt808-port must be a TCP port, got '${values['jt808-port']}'`);
  process.exit(2);
}

try {
  const fleet = await startFleet({
    url: values.url,
    trucks: number('trucks', values.trucks, 1),
    seed: number('seed', values.seed, 0),
    intervalSec: number('interval', values.interval, 1),
    speedup: number('speedup', values.speedup, 1),
    misbehavingShare: Math.min(1, number('misbehaving', values.misbehaving, 0)),
    ...(values.duration !== undefined && { durationSec: number('duration', values.duration, 1) }),
    ...(values.username !== undefined && { username: values.username }),
    ...(values.password !== undefined && { password: values.password }),
    ...(values.credentials !== undefined && { credentials: await readCredentialsFile(values.credentials) }),
    ...(jt808Share > 0 && { jt808: { host: values['jt808-host'], port: jt808Port, terminals: demoJt808Profiles(jt808Share) } }),
    log: line,
  });
  const shutdown = (signal: string): void => {
    line({ event: 'signal', signal });
    void fleet.stop();
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  await fleet.done;
  process.exit(0);
} catch (error) {
  line({ event: 'failed', error: (error as Error).message });
  process.exit(1);
}
