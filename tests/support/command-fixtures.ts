import mqtt, { type MqttClient } from 'mqtt';
import { makeUscc } from '@muckwatch/linzi';
import {
  commandResponsesTopic,
  commandsTopic,
  parseCommandDownlink,
  statusTopic,
  telemetryTopic,
  type CommandDownlink,
  type CommandOutcome,
  type RegisteredTerminal,
  type TelemetryFix,
  type TransportCompany,
  type TruckRecord,
} from '@muckwatch/contracts';
import type { ApiClient } from './api-client.js';

let counter = 0;

/** A registered truck with a valid permit and its own terminal bound, made through the registry API. */
export interface CommandTruck {
  truckId: string;
  plate: string;
  companyId: string;
  terminalId: string;
  password: string;
}

/** `terminal`: the registry fields of its terminal (default an MQTT terminal of 锐明 MT5). */
export async function registerTruck(
  editor: ApiClient,
  tag: string,
  extra: Record<string, unknown> = {},
  terminalFields: Record<string, unknown> = { sim: '14805330000', maker: '锐明', model: 'MT5' },
): Promise<CommandTruck> {
  counter++;
  const body = `MC${tag.toUpperCase().replace(/[^0-9A-H]/g, '7').slice(0, 4)}${String(counter).padStart(2, '0')}`.slice(0, 8);
  const company = await editor.post<TransportCompany>('/api/v1/companies', { name: `管控测试运输公司-${tag}-${counter}`, creditCode: makeUscc('370305', body) });
  if (company.status !== 201) throw new Error(`company: ${company.status} ${JSON.stringify(company.body)}`);
  let truck: TruckRecord | null = null;
  while (!truck) {
    const plate = `鲁C${'ABCDEFGHJK'[Math.floor(Math.random() * 10)]}${String(Math.floor(Math.random() * 9000) + 1000)}`;
    const res = await editor.post<TruckRecord>('/api/v1/trucks', {
      plate,
      companyId: company.body.id,
      ratedLoadT: 25,
      sealed: true,
      permitNo: `准运-${tag}-${counter}`,
      permitValidFrom: '2026-01-01',
      permitValidTo: '2027-12-31',
      ...extra,
    });
    if (res.status === 409) continue;
    if (res.status !== 201) throw new Error(`truck: ${res.status} ${JSON.stringify(res.body)}`);
    truck = res.body;
  }
  const terminal = await editor.post<RegisteredTerminal>('/api/v1/terminals', { terminalId: `cmd-${tag}-${counter}`, ...terminalFields });
  if (terminal.status !== 201) throw new Error(`terminal: ${terminal.status} ${JSON.stringify(terminal.body)}`);
  const bound = await editor.put(`/api/v1/terminals/${terminal.body.terminal.terminalId}/binding`, { truckId: truck.truckId });
  if (bound.status !== 200) throw new Error(`binding: ${bound.status} ${JSON.stringify(bound.body)}`);
  return {
    truckId: truck.truckId,
    plate: truck.plate,
    companyId: company.body.id,
    terminalId: terminal.body.terminal.terminalId,
    password: terminal.body.credentials.password,
  };
}

/**
 * A terminal under test: connects with its credentials, says `online` (retained, with an
 * `offline` will), subscribes to its commands topic and answers each command per `answer`
 * (`null`: stays silent). Every command it receives is kept in `received`.
 */
export class FakeTerminal {
  readonly received: CommandDownlink[] = [];
  answer: CommandOutcome | null = 'acknowledged';
  private client: MqttClient | null = null;

  constructor(
    private readonly url: string,
    readonly terminalId: string,
    private readonly password: string | null,
  ) {}

  async connect(): Promise<void> {
    const client = await mqtt.connectAsync(this.url, {
      clientId: this.terminalId,
      ...(this.password ? { username: this.terminalId, password: this.password } : {}),
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 5000,
      will: { topic: statusTopic(this.terminalId), payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    client.on('message', (topic, payload) => {
      if (topic !== commandsTopic(this.terminalId)) return;
      const command = parseCommandDownlink(payload);
      if (!command) return;
      this.received.push(command);
      if (this.answer) {
        const outcome = this.answer;
        void client.publishAsync(
          commandResponsesTopic(this.terminalId),
          JSON.stringify({ commandId: command.commandId, outcome, ...(outcome === 'acknowledged' ? {} : { detail: `terminal says ${outcome}` }) }),
          { qos: 1 },
        ).catch(() => undefined); // disconnected meanwhile: the API times the attempt out
      }
    });
    const granted = await client.subscribeAsync(commandsTopic(this.terminalId), { qos: 1 });
    if (granted[0]?.qos === 128) throw new Error(`${this.terminalId} may not subscribe to its commands`);
    await client.publishAsync(statusTopic(this.terminalId), 'online', { qos: 1, retain: true });
    this.client = client;
  }

  async publishFixes(fixes: TelemetryFix[]): Promise<void> {
    await this.client!.publishAsync(telemetryTopic(this.terminalId), JSON.stringify(fixes), { qos: 1 });
  }

  /** Goes offline as a terminal does when told to (`offline` retained), then disconnects. */
  async disconnect(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (!client) return;
    await client.publishAsync(statusTopic(this.terminalId), 'offline', { qos: 1, retain: true }).catch(() => undefined);
    await client.endAsync(true).catch(() => undefined);
  }
}
