import { statusTopic, telemetryTopic } from '@muckwatch/contracts';
import type { DemoRegistry } from '@muckwatch/linzi';
import mqtt, { type MqttClient } from 'mqtt';
import { defaultStartTimeMs, SimClock } from './clock.js';
import { FleetSimulator } from './fleet-simulator.js';
import { Jt808Link, type Jt808Profile } from './jt808-link.js';
import { obeyOverMqtt } from './mqtt-obedience.js';
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
  /**
   * The trucks that speak JT/T 808 instead of MQTT, by terminal id, and the platform's JT/T 808
   * door (apps/api/src/jt808, JT808_PORT). Each connects in the background and reconnects by
   * itself (./jt808-link.ts); the others publish over MQTT as before.
   */
  jt808?: { host: string; port: number; terminals: ReadonlyMap<string, Jt808Profile> };
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
  /** Commands answered (both doors). */
  commandsAnswered: number;
  /** The JT/T 808 trucks: how many, authenticated now, reports acknowledged (0x8001), waiting for a blind-area batch. */
  jt808: { trucks: number; authenticated: number; acknowledged: number; backlog: number; dropped: number };
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
    commandsAnswered: 0,
    jt808: { trucks: 0, authenticated: 0, acknowledged: 0, backlog: 0, dropped: 0 },
  };

  let mqttAnswered = 0;
  const clients = new Map<string, MqttClient>();
  const links = new Map<string, Jt808Link>();
  const up = new Set<string>();
  for (const truck of simulator.trucks) {
    const control = simulator.control(truck.terminalId)!;
    const profile = options.jt808?.terminals.get(truck.terminalId);
    if (options.jt808 && profile) {
      const link = new Jt808Link({ host: options.jt808.host, port: options.jt808.port, profile, control });
      links.set(truck.terminalId, link);
      continue;
    }
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
      client.publish(status, 'online', { qos: 1, retain: true });
    });
    client.on('close', () => {
      up.delete(truck.terminalId);
      stats.connected = up.size;
    });
    client.on('error', () => undefined); // MQTT.js reconnects by itself; errors show in stats.connected
    obeyOverMqtt(client, truck.terminalId, control, () => mqttAnswered++);
    clients.set(truck.terminalId, client);
  }
  stats.jt808.trucks = links.size;
  /** Sums the JT/T 808 links' counters into `stats`. */
  const countJt808 = (): void => {
    const sum = { trucks: links.size, authenticated: 0, acknowledged: 0, backlog: 0, dropped: 0 };
    let answered = 0;
    for (const link of links.values()) {
      if (link.stats.authenticated) sum.authenticated++;
      sum.acknowledged += link.stats.acknowledged;
      sum.backlog += link.stats.backlog;
      sum.dropped += link.stats.dropped;
      answered += link.stats.commandsAnswered;
    }
    stats.jt808 = sum;
    stats.commandsAnswered = mqttAnswered + answered;
  };

  const stopped = { value: false };
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));

  async function closeAll(): Promise<void> {
    await Promise.all([...links.values()].map((link) => link.stop()));
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
  // JT/T 808 trucks connect in the background (a report made before authentication waits in
  // the backlog and goes out as the first blind-area batch).
  for (const link of links.values()) link.start();

  let publishedAtLastLog = 0;
  let lastLogMs = wallStartMs;
  const logEveryMs = options.logEveryMs ?? 60_000;
  const report = (event: string): void => {
    const wall = now();
    countJt808();
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
      commandsAnswered: stats.commandsAnswered,
      ...(links.size > 0 && { jt808: stats.jt808 }),
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
        stats.fixesGenerated++;
        const link = links.get(terminalId);
        if (link) {
          link.report(fix);
          continue;
        }
        const client = clients.get(terminalId)!;
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
    countJt808();
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
