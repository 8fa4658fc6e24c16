import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import mqtt, { type MqttClient } from 'mqtt';
import {
  COMMAND_RESPONSES_TOPIC_FILTER,
  STATUS_TOPIC_FILTER,
  commandsTopic,
  parseCommandResponse,
  parseCommandResponsesTopic,
  parseTerminalTopic,
  type CommandDownlink,
} from '@muckwatch/contracts';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';
import { INFRASTRUCTURE, type Infrastructure } from '../infrastructure.js';
import { CommandDoors, type CommandAnswer, type CommandDoor, type DeliverableCommand } from './command-doors.js';

interface Waiting {
  terminalId: string;
  attempt: number;
  resolve(answer: CommandAnswer): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** Most attempts waiting for an answer at once; beyond, an attempt fails at once and is retried later. */
const MAX_WAITING = 10_000;

/**
 * The MQTT door: a command is a CommandDownlink published QoS 1 on the terminal's commands topic
 * (libs/contracts/src/api/terminal-commands.ts); the terminal answers on its command-responses
 * topic. The broker lets a terminal publish only on its own response topic (embedded-broker.ts,
 * mosquitto-dynsec.ts), and an answer counts only for a command of the terminal it came from.
 * Reachable = the terminal's retained liveness on its status topic says `online`; coming online
 * delivers its pending commands.
 */
@Injectable()
export class MqttCommandDoor implements CommandDoor, OnApplicationBootstrap, OnApplicationShutdown {
  readonly name = 'mqtt' as const;
  private readonly logger = new Logger('MqttCommandDoor');
  private client: MqttClient | null = null;
  private readonly online = new Set<string>();
  private readonly waiting = new Map<string, Waiting>();
  private unregister: (() => void) | null = null;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(INFRASTRUCTURE) private readonly infra: Infrastructure,
    private readonly doors: CommandDoors,
  ) {}

  onApplicationBootstrap(): void {
    const account = this.infra.mqttAccount;
    const client = mqtt.connect(this.infra.mqttUrl, {
      clientId: `${this.config.ingest.clientIdPrefix}-commands-${randomBytes(4).toString('hex')}`,
      ...(account ? { username: account.username, password: account.password } : {}),
      clean: true,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
    });
    client.on('connect', () => {
      client.subscribe({ [COMMAND_RESPONSES_TOPIC_FILTER]: { qos: 1 }, [STATUS_TOPIC_FILTER]: { qos: 1 } }, (error, granted) => {
        const refused = (granted ?? []).filter((g) => g.qos === 128).map((g) => g.topic);
        if (error || refused.length > 0) this.logger.error(`subscription refused: ${error?.message ?? refused.join(', ')}`);
      });
    });
    client.on('error', (error) => this.logger.warn(`broker: ${error.message}`));
    client.on('message', (topic, payload) => this.message(topic, payload));
    this.client = client;
    this.unregister = this.doors.register(this);
  }

  async onApplicationShutdown(): Promise<void> {
    this.unregister?.();
    for (const [id, w] of this.waiting) {
      clearTimeout(w.timer);
      w.reject(new Error('shutting down'));
      this.waiting.delete(id);
    }
    await this.client?.endAsync(true).catch(() => undefined);
  }

  reachable(terminalId: string): boolean {
    return this.client?.connected === true && this.online.has(terminalId);
  }

  send(command: DeliverableCommand, timeoutMs: number): Promise<CommandAnswer> {
    const client = this.client;
    if (!client?.connected) return Promise.reject(new Error('not connected to the broker'));
    if (this.waiting.size >= MAX_WAITING) return Promise.reject(new Error('too many commands awaiting answers'));
    this.waiting.get(command.id)?.reject(new Error('a newer attempt was sent'));
    return new Promise<CommandAnswer>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(entry.timer);
        if (this.waiting.get(command.id) === entry) this.waiting.delete(command.id);
      };
      const entry: Waiting = {
        terminalId: command.terminalId,
        attempt: command.attempt,
        resolve: (answer) => {
          done();
          resolve(answer);
        },
        reject: (error) => {
          done();
          reject(error);
        },
        timer: setTimeout(() => entry.reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs),
      };
      this.waiting.set(command.id, entry);
      const downlink: CommandDownlink = {
        commandId: command.id,
        kind: command.kind,
        params: command.params,
        issuedAt: command.issuedAt,
        expiresAt: command.expiresAt,
        attempt: command.attempt,
      };
      // The timer runs from the publish: a PUBACK the broker withholds counts as no answer.
      client.publish(commandsTopic(command.terminalId), JSON.stringify(downlink), { qos: 1 }, (error) => {
        if (error) entry.reject(error);
      });
    });
  }

  private message(topic: string, payload: Buffer): void {
    const status = parseTerminalTopic(topic);
    if (status?.channel === 'status') {
      const text = payload.toString('utf8').trim();
      if (text === 'online') {
        const wasOnline = this.online.has(status.terminalId);
        this.online.add(status.terminalId);
        if (!wasOnline) this.doors.terminalReachable(status.terminalId);
      } else if (text === 'offline') {
        this.online.delete(status.terminalId);
      }
      return;
    }
    const terminalId = parseCommandResponsesTopic(topic);
    if (terminalId === null) return;
    const parsed = parseCommandResponse(payload);
    if (!parsed.ok) {
      this.logger.warn(`answer of ${terminalId.slice(0, 32)} ignored: ${parsed.error}`);
      return;
    }
    const { commandId, outcome, detail } = parsed.response;
    const waiting = this.waiting.get(commandId);
    // Only the terminal a command went to can answer it (its topic is its own: broker ACL).
    if (!waiting || waiting.terminalId !== terminalId) return;
    waiting.resolve(outcome === 'acknowledged' ? { outcome } : { outcome, detail: detail ?? '' });
  }
}
