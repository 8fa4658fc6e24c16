import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CommandDoors, type CommandAnswer, type CommandDoor, type DeliverableCommand } from '../commands/command-doors.js';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';
import { DomainEvents } from '../events/domain-events.js';
import { FixPipeline } from '../ingest/fix-pipeline.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { Jt808AuthService } from '../terminal-credentials/jt808-auth.service.js';
import type { Jt808Backend } from './jt808-backend.js';
import { DEFAULT_JT808_LIMITS } from './jt808-connection.js';
import { answerOf, jt808Downlink } from './jt808-commands.js';
import { Jt808Server } from './jt808-server.js';

/**
 * The JT/T 808 door: a TCP listener in the API process whose reports go into the same fix
 * pipeline as MQTT's (so a 0x8001 goes out only after the COMMIT, exactly like an MQTT
 * acknowledgement), registration and authentication against the registry, and the command
 * downlink (jt808-command-door.ts).
 */
@Injectable()
export class Jt808Door implements CommandDoor, OnApplicationBootstrap, OnApplicationShutdown {
  readonly name = 'jt808' as const;
  private readonly logger = new Logger('Jt808Door');
  readonly server: Jt808Server | null;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    pipeline: FixPipeline,
    auth: Jt808AuthService,
    metrics: MetricsService,
    private readonly doors: CommandDoors,
    private readonly events: DomainEvents,
  ) {
    const jt808 = config.jt808;
    if (!jt808) {
      this.server = null;
      return;
    }
    const backend: Jt808Backend = {
      register: (phone, info) => auth.register(phone, info),
      authenticate: async (phone, code) => {
        const outcome = await auth.authenticate(phone, code);
        if (!outcome.ok) return outcome;
        return { ok: true, terminal: { terminalId: outcome.terminalId, mapping: outcome.model } };
      },
      fixes: (origin, raw, checked) => pipeline.submitFixes(origin, raw, checked),
      refusal: (origin, rejection, raw) => pipeline.submitRefusal(origin, rejection, raw),
      liveness: (origin, liveness) => pipeline.submitLiveness(origin, liveness),
    };
    this.server = new Jt808Server(backend, {
      host: jt808.host,
      port: jt808.port,
      maxConnections: jt808.maxConnections,
      limits: {
        ...DEFAULT_JT808_LIMITS,
        framesPerSecond: jt808.framesPerSecond,
        authTimeoutMs: jt808.authTimeoutSeconds * 1000,
        idleTimeoutMs: jt808.idleTimeoutSeconds * 1000,
      },
      counted: (reason) => metrics.rejections.inc({ reason }),
      // A terminal back online gets its pending commands at once.
      online: (terminalId) => doors.terminalReachable(terminalId),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.server) return;
    const server = this.server;
    this.unsubscribe.push(this.doors.register(this));
    // A revoked or re-issued auth code ends the session that authenticated with the old one.
    this.unsubscribe.push(this.events.subscribe('jt808.auth_code.revoked', ({ terminalId }) => void server.disconnect(terminalId)));
    const port = await server.listen();
    this.logger.log(`JT/T 808 terminals: tcp://${this.config.jt808?.host}:${port}`);
  }

  async onApplicationShutdown(): Promise<void> {
    for (const off of this.unsubscribe.splice(0)) off();
    await this.server?.close();
  }

  reachable(terminalId: string): boolean {
    return this.server?.connectionOf(terminalId) != null;
  }

  /** One attempt of a command: the model's downlink, answered by the terminal's 0x0001. */
  async send(command: DeliverableCommand, timeoutMs: number): Promise<CommandAnswer> {
    const connection = this.server?.connectionOf(command.terminalId);
    if (!connection?.terminal) throw new Error(`terminal ${command.terminalId} is not connected over JT/T 808`);
    const downlink = jt808Downlink(command.kind, command.params, connection.terminal.mapping, connection.version);
    if ('unsupported' in downlink) return { outcome: 'unsupported', detail: downlink.unsupported };
    const answer = await connection.request(downlink.messageId, downlink.body, timeoutMs);
    return answerOf(answer.result);
  }

  status(): ReturnType<Jt808Server['status']> | null {
    return this.server?.status() ?? null;
  }
}
