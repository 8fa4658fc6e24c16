import { commandResponsesTopic, commandsTopic, parseCommandDownlink, statusTopic, telemetryTopic } from '@muckwatch/contracts';
import type { DemoRegistry } from '@muckwatch/linzi';
import mqtt, { type MqttClient } from 'mqtt';
import { defaultStartTimeMs, SimClock } from './clock.js';
import { FleetSimulator } from './fleet-simulator.js';
import { terminalClientOptions } from './terminal-client.js';

export interface FleetOptions {
  /** Broker URL, e.g. mqtt://127.0.0.1:11883. */
  url: string;
  /** One account for every terminal (an open or shared-account broker). */
  username?: string;
  password?: string;
  /** Each terminal's own credentials (issue #5), by terminal id; take precedence over `username`. */
  credentials?: ReadonlyMap<string, TerminalCredentials>;
  trucks?: number;
  seed?: number;
  intervalSec?: number;
  /** Share of drivers with a bad habit (FleetSimulatorOptions.misbehavingShare); default 0. */
  misbehavingShare?: number;
  /** Simulated seconds per wall second, ≥ 1; the simulated clock never runs ahead of the wall clock. */
  speedup?: number;
  /** Simulated start, epoch ms; default now, or now − `catchUpMs` when speedup > 1. */
  startTimeMs?: number;
  /** How far back the simulation starts when speeding up and no start is given; default 1 h. */
  catchUpMs?: number;
  /** Stop by itself after this many wall seconds; default never. */
  durationSec?: number;
  registry?: DemoRegistry;
  /** Receives one record per `logEveryMs` (default a minute) and on start/stop; default: none. */
  log?: (record: Record<string, unknown>) => void;
  logEveryMs?: number;
  /** Wall milliseconds between two simulation ticks; default 250. */
  tickMs?: number;
  /** Give up starting when not every connection is up after this long; default 10 s. */
  connectTimeoutMs?: number;
  /** Back off (skip ticks) while more than this many QoS 1 publishes wait for their PUBACK. */
  maxInFlight?: number;
  /** Wall clock, for tests. */
  now?: () => number;
}

export interface TerminalCredentials {
  username: string;
  password: string;
}

export interface FleetStats {
  trucks: number;
  connected: number;
  fixesGenerated: number;
  /** Acknowledged by the broker (PUBACK). */
  fixesPublished: number;
  publishErrors: number;
  inFlight: number;
  /** Simulated time reached, epoch ms. */
  simTimeMs: number;
  caughtUp: boolean;
  /** Control commands received from the platform and obeyed (answered on the response topic). */
  commandsObeyed: number;
}

export interface FleetHandle {
  stats: FleetStats;
  /** Publishes `offline` (retained) for every terminal, then closes the connections. Idempotent. */
  stop(): Promise<void>;
  /** Settles once the fleet has stopped (by `stop()` or `durationSec`). */
  done: Promise<void>;
}

/**
 * Starts the simulated fleet against an MQTT broker: one connection per terminal (client id =
 * terminal id, as a secured broker requires; clean session, last will `offline` retained on its status topic, `online`
 * retained on connect), fixes as single-fix messages, QoS 1, on its telemetry topic. Resolves
 * once every connection is up.
 */
export async function startFleet(options: FleetOptions): Promise<FleetHandle> {
  const now = options.now ?? Date.now;
  const speedup = options.speedup ?? 1;
  const wallStartMs = now();
  const clock = new SimClock({
    startTimeMs: options.startTimeMs ?? defaultStartTimeMs(wallStartMs, speedup, options.catchUpMs),
    wallStartMs,
    speedup,
  });
  const simulator = new FleetSimulator({
    startTimeMs: clock.startTimeMs,
    ...(options.seed !== undefined && { seed: options.seed }),
    ...(options.trucks !== undefined && { trucks: options.trucks }),
    ...(options.intervalSec !== undefined && { intervalSec: options.intervalSec }),
    ...(options.misbehavingShare !== undefined && { misbehavingShare: options.misbehavingShare }),
    ...(options.registry !== undefined && { registry: options.registry }),
  });
  const log = options.log ?? (() => undefined);
  const maxInFlight = options.maxInFlight ?? 5000;
  const stats: FleetStats = {
    trucks: simulator.trucks.length,
    connected: 0,
    fixesGenerated: 0,
    fixesPublished: 0,
    publishErrors: 0,
    inFlight: 0,
    simTimeMs: clock.startTimeMs,
    caughtUp: clock.caughtUp(wallStartMs),
    commandsObeyed: 0,
  };

  const clients = new Map<string, MqttClient>();
  const up = new Set<string>();
  for (const truck of simulator.trucks) {
    const status = statusTopic(truck.terminalId);
    const account = options.credentials?.get(truck.terminalId) ?? (options.username !== undefined ? { username: options.username, password: options.password ?? '' } : null);
    const client = mqtt.connect(
      options.url,
      terminalClientOptions({
        clientId: truck.terminalId,
        connectTimeout: options.connectTimeoutMs ?? 10_000,
        will: { topic: status, payload: Buffer.from('offline'), qos: 1, retain: true },
        ...(account && { username: account.username, password: account.password }),
      }),
    );
    client.on('connect', () => {
      up.add(truck.terminalId);
      stats.connected = up.size;
      // Its own commands topic (the only one a secured broker lets it read): it obeys and answers.
      client.subscribe(commandsTopic(truck.terminalId), { qos: 1 }, () => undefined);
      client.publish(status, 'online', { qos: 1, retain: true });
    });
    client.on('message', (topic, payload) => {
      if (topic !== commandsTopic(truck.terminalId)) return;
      const command = parseCommandDownlink(payload);
      if (!command) return;
      const outcome = simulator.obey(truck.terminalId, command);
      stats.commandsObeyed++;
      log({ event: 'command', at: new Date(now()).toISOString(), terminalId: truck.terminalId, kind: command.kind, outcome });
      client.publish(
        commandResponsesTopic(truck.terminalId),
        JSON.stringify({ commandId: command.commandId, outcome, ...(outcome === 'acknowledged' ? {} : { detail: `${command.kind} is not simulated` }) }),
        { qos: 1 },
      );
    });
    client.on('close', () => {
      up.delete(truck.terminalId);
      stats.connected = up.size;
    });
    client.on('error', () => undefined); // MQTT.js reconnects by itself; errors show in stats.connected
    clients.set(truck.terminalId, client);
  }

  const stopped = { value: false };
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));

  async function closeAll(): Promise<void> {
    await Promise.all(
      [...clients.entries()].map(async ([terminalId, client]) => {
        if (client.connected) {
          await client.publishAsync(statusTopic(terminalId), 'offline', { qos: 1, retain: true }).catch(() => undefined);
        }
        await client.endAsync(!client.connected).catch(() => undefined);
      }),
    );
  }

  try {
    await waitForConnections(clients, options.connectTimeoutMs ?? 10_000, options.url);
  } catch (error) {
    await Promise.all([...clients.values()].map((client) => client.endAsync(true).catch(() => undefined)));
    throw error;
  }

  let publishedAtLastLog = 0;
  let lastLogMs = wallStartMs;
  const logEveryMs = options.logEveryMs ?? 60_000;
  const report = (event: string): void => {
    const wall = now();
    log({
      event,
      at: new Date(wall).toISOString(),
      trucks: stats.trucks,
      connected: stats.connected,
      fixesPublished: stats.fixesPublished - publishedAtLastLog,
      fixesPublishedTotal: stats.fixesPublished,
      publishErrors: stats.publishErrors,
      inFlight: stats.inFlight,
      simTime: new Date(stats.simTimeMs).toISOString(),
      lagSec: Math.round((wall - stats.simTimeMs) / 1000),
    });
    publishedAtLastLog = stats.fixesPublished;
    lastLogMs = wall;
  };
  report('started');

  const tick = (): void => {
    if (stopped.value) return;
    const wall = now();
    if (options.durationSec !== undefined && wall - wallStartMs >= options.durationSec * 1000) {
      void handle.stop();
      return;
    }
    if (stats.inFlight <= maxInFlight) {
      const target = clock.at(wall);
      for (const { terminalId, fix } of simulator.advanceTo(target)) {
        const client = clients.get(terminalId)!;
        stats.fixesGenerated++;
        stats.inFlight++;
        client.publish(telemetryTopic(terminalId), JSON.stringify(fix), { qos: 1 }, (error) => {
          stats.inFlight--;
          if (error) stats.publishErrors++;
          else stats.fixesPublished++;
        });
      }
      stats.simTimeMs = target;
      stats.caughtUp = clock.caughtUp(wall);
    }
    if (wall - lastLogMs >= logEveryMs) report('progress');
  };
  const timer = setInterval(tick, options.tickMs ?? 250);
  tick();

  const handle: FleetHandle = {
    stats,
    done,
    async stop() {
      if (stopped.value) return done;
      stopped.value = true;
      clearInterval(timer);
      await closeAll();
      report('stopped');
      resolveDone();
      return done;
    },
  };
  return handle;
}

function waitForConnections(clients: Map<string, MqttClient>, timeoutMs: number, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let lastError: Error | null = null;
    const pending = new Set([...clients.values()].filter((client) => !client.connected));
    if (pending.size === 0) return resolve();
    const timer = setTimeout(() => {
      reject(new Error(`fleet: ${pending.size} of ${clients.size} connections to ${url} not up after ${timeoutMs} ms${lastError ? `: ${lastError.message}` : ''}`));
    }, timeoutMs);
    for (const client of pending) {
      client.once('connect', () => {
        pending.delete(client);
        if (pending.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      });
      client.on('error', (error) => (lastError = error));
    }
  });
}
