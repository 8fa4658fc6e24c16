import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import {
  TELEMETRY_LIMITS,
  TERMINAL_ID_PATTERN,
  commandResponsesTopic,
  commandsTopic,
  parseTerminalTopic,
  statusTopic,
  telemetryTopic,
} from '@muckwatch/contracts';
import { guardPacketSize } from './packet-size-guard.js';

/**
 * Largest MQTT packet the embedded broker reads: twice the largest telemetry message, so a
 * message somewhat over the contract's bound still reaches ingest and is recorded as
 * `payload_too_large`; beyond it the connection is closed before the body is read.
 */
export const EMBEDDED_MAX_PACKET_BYTES = 2 * TELEMETRY_LIMITS.maxPayloadBytes;

/** Decides whether a terminal's credentials are its current ones, and hears about every refusal. */
export interface TerminalAuthority {
  verify(terminalId: string, secret: string): Promise<boolean>;
  refused(refusal: BrokerRefusal): void;
}

export type BrokerRefusal =
  | { kind: 'connect'; username: string | null; clientId: string; reason: 'bad_credentials' | 'client_id_mismatch' | 'no_credentials' }
  | { kind: 'publish'; terminalId: string; clientId: string; topic: string; payload: Buffer }
  | { kind: 'subscribe'; terminalId: string; clientId: string; topic: string }
  /** A packet declared larger than EMBEDDED_MAX_PACKET_BYTES (before any CONNECT is complete). */
  | { kind: 'oversize'; address: string; declaredBytes: number };

/**
 * Where a terminal's telemetry goes when the broker runs in the API's own process: the ingest
 * pipeline, resolving once the message's effects are committed (or recorded as rejected).
 */
export type TelemetrySink = (topic: string, payload: Buffer) => Promise<void>;

export interface BrokerAccount {
  username: string;
  password: string;
}

export interface EmbeddedBroker {
  url: string;
  port: number;
  /** With authentication on: the account the API's own ingest connects with (random per start). */
  serviceAccount: BrokerAccount | null;
  /** Terminals are refused until an authority is set (the registry is not up yet). */
  useAuthority(authority: TerminalAuthority | null): void;
  /**
   * Hands every terminal's telemetry publish to `sink` and sends its PUBACK only once the sink
   * resolves: acknowledged means committed, though this broker keeps its sessions in memory.
   * Until a sink is set (the API booting), telemetry publishes wait (bounded: Aedes reads a
   * connection's next packets only once the current ones are handled).
   */
  useTelemetrySink(sink: TelemetrySink): void;
  stop(): Promise<void>;
}

/** What a terminal may publish: its own telemetry, status and command-responses topics, nothing else. */
export function terminalMayPublish(terminalId: string, topic: string): boolean {
  return topic === telemetryTopic(terminalId) || topic === statusTopic(terminalId) || topic === commandResponsesTopic(terminalId);
}

/** What a terminal may subscribe to: its own commands topic, exactly (no wildcard). */
export function terminalMaySubscribe(terminalId: string, topic: string): boolean {
  return topic === commandsTopic(terminalId);
}

type Identity = { kind: 'service' } | { kind: 'terminal'; terminalId: string };
const identities = new WeakMap<Client, Identity>();

const REFUSALS = { 3: 'server unavailable', 4: 'bad user name or password', 5: 'not authorized' } as const;

function refuse(returnCode: 3 | 4 | 5): AuthenticateError {
  return Object.assign(new Error(REFUSALS[returnCode]), { returnCode });
}

function sameSecret(a: string, b: Buffer): boolean {
  const left = Buffer.from(a);
  return left.length === b.length && timingSafeEqual(left, b);
}

/**
 * An in-process MQTT 3.1.1/5 broker (Aedes) for running without Mosquitto. Sessions and QoS 1
 * messages are kept in memory, so it never acknowledges what is not stored: a terminal's
 * telemetry goes straight into the ingest pipeline (`useTelemetrySink`) and its PUBACK waits for
 * the commit, so a killed process loses nothing a terminal was told was received (the terminal
 * sends it again). Packets beyond EMBEDDED_MAX_PACKET_BYTES close their connection.
 *
 * With `authenticate`, it admits only the API's service account and terminals whose current
 * credentials the authority confirms (username = client id = terminal id). A terminal may
 * publish to its own telemetry, status and command-responses topics only (a refused publish
 * closes its connection) and subscribe to its own commands topic only (anything else is granted
 * 0x80). The service account publishes the commands (apps/api/src/commands/mqtt-command-door.ts). Without it, anyone may do anything (the test
 * suite's shared broker, standing in for an external one).
 */
export async function startEmbeddedBroker(options: {
  host: string;
  port: number;
  authenticate?: boolean;
  /**
   * Telemetry goes to the sink of `useTelemetrySink` and is acknowledged after its commit (the
   * API's own broker). Without it, a plain broker (the test suite's, standing in for an external
   * one): telemetry is delivered to subscribers like any message.
   */
  ingestInProcess?: boolean;
}): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker({ maxClientsIdLength: 64 });
  const serviceAccount = options.authenticate
    ? { username: 'muckwatch-api', password: randomBytes(24).toString('base64url') }
    : null;
  let authority: TerminalAuthority | null = null;
  let sink: TelemetrySink | null = null;
  const sinkReady: Array<() => void> = [];
  /** Telemetry from a terminal: into the pipeline, acknowledged (by Aedes, on `done`) after commit. */
  const ingestThenAck = (topic: string, payload: Buffer | string, done: (error?: Error | null) => void): void => {
    const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
    const run = (target: TelemetrySink): void => {
      target(topic, body).then(
        () => done(null),
        // Not committed (shutting down): no PUBACK; the connection closes and the terminal resends.
        (error: Error) => done(error),
      );
    };
    if (sink) run(sink);
    else sinkReady.push(() => run(sink!));
  };
  const isTelemetry = (topic: string): boolean => options.ingestInProcess === true && parseTerminalTopic(topic)?.channel === 'telemetry';

  if (serviceAccount) {
    broker.authenticate = (client, username, password, done) => {
      const clientId = client.id;
      if (username === serviceAccount.username && password && sameSecret(serviceAccount.password, password)) {
        identities.set(client, { kind: 'service' });
        return done(null, true);
      }
      const current = authority;
      if (!username || !password) {
        current?.refused({ kind: 'connect', username: username ?? null, clientId, reason: 'no_credentials' });
        return done(refuse(5), false);
      }
      // The registry is not up yet (API booting): the terminal should simply retry.
      if (!current) return done(refuse(3), false);
      if (!TERMINAL_ID_PATTERN.test(username)) {
        current.refused({ kind: 'connect', username: username.slice(0, 64), clientId, reason: 'bad_credentials' });
        return done(refuse(4), false);
      }
      current.verify(username, password.toString('utf8')).then(
        (ok) => {
          if (!ok) {
            current.refused({ kind: 'connect', username, clientId, reason: 'bad_credentials' });
            return done(refuse(4), false);
          }
          // One terminal cannot take over another's session: its client id is its terminal id.
          if (clientId !== username) {
            current.refused({ kind: 'connect', username, clientId, reason: 'client_id_mismatch' });
            return done(refuse(5), false);
          }
          identities.set(client, { kind: 'terminal', terminalId: username });
          done(null, true);
        },
        (error: Error) => done(Object.assign(error, { returnCode: 3 as const }), false),
      );
    };

    broker.authorizePublish = (client, packet, done) => {
      // `client` is null for a will published after its client is gone: it was checked at connect.
      if (!client) return done(null);
      const identity = identities.get(client);
      if (identity?.kind === 'service') return done(null);
      if (identity?.kind === 'terminal' && terminalMayPublish(identity.terminalId, packet.topic)) {
        return isTelemetry(packet.topic) ? ingestThenAck(packet.topic, packet.payload, done) : done(null);
      }
      if (identity?.kind === 'terminal') {
        const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
        authority?.refused({ kind: 'publish', terminalId: identity.terminalId, clientId: client.id, topic: packet.topic, payload });
      }
      done(new Error(`publish to ${packet.topic} not authorized`));
    };

    broker.authorizeSubscribe = (client, subscription, done) => {
      const identity = identities.get(client);
      if (identity?.kind === 'service') return done(null, subscription);
      if (identity?.kind === 'terminal' && terminalMaySubscribe(identity.terminalId, subscription.topic)) return done(null, subscription);
      if (identity?.kind === 'terminal') {
        authority?.refused({ kind: 'subscribe', terminalId: identity.terminalId, clientId: client.id, topic: subscription.topic });
      }
      done(null, null);
    };
  } else if (options.ingestInProcess) {
    broker.authorizePublish = (client, packet, done) => {
      if (client && isTelemetry(packet.topic)) return ingestThenAck(packet.topic, packet.payload, done);
      done(null);
    };
  }

  const server: Server = createServer((socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    broker.handle(
      guardPacketSize(socket, EMBEDDED_MAX_PACKET_BYTES, (declaredBytes) => authority?.refused({ kind: 'oversize', address, declaredBytes })),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : options.port;
  return {
    url: `mqtt://${options.host}:${port}`,
    port,
    serviceAccount,
    useAuthority(next) {
      authority = next;
    },
    useTelemetrySink(next) {
      sink = next;
      for (const resume of sinkReady.splice(0)) resume();
    },
    async stop() {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
