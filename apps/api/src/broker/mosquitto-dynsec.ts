import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import {
  COMMAND_RESPONSES_TOPIC_FILTER,
  COMMANDS_TOPIC_FILTER,
  STATUS_TOPIC_FILTER,
  TELEMETRY_TOPIC_FILTER,
  commandResponsesTopic,
  commandsTopic,
  statusTopic,
  telemetryTopic,
} from '@muckwatch/contracts';
import type { BrokerAccount } from './embedded-broker.js';

const CONTROL_TOPIC = '$CONTROL/dynamic-security/v1';
const RESPONSE_TOPIC = `${CONTROL_TOPIC}/response`;
/** The role the API's ingest account holds: read every terminal's topics, publish commands to them. */
export const INGEST_ROLE = 'muckwatch-ingest';

type Command = Record<string, unknown> & { command: string };
interface CommandResponse {
  command: string;
  error?: string;
  correlationData?: string;
}

/** `terminal-<id>`: the one role of a terminal: publish its telemetry, status and command answers; read its commands. */
export function terminalRole(terminalId: string): string {
  return `terminal-${terminalId}`;
}

/**
 * Mosquitto's dynamic-security plugin, administered over MQTT (`$CONTROL/dynamic-security/v1`)
 * as its admin client. Mosquitto 2.0 does not substitute `%u` in dynamic-security ACLs, so each
 * terminal gets a role of its own naming its topics; its client is bound to client id =
 * username = terminal id. Subscriptions are refused by the default ACL access (subscribe: deny),
 * except a terminal's to its own commands topic.
 */
export class MosquittoDynsec {
  constructor(
    private readonly url: string,
    private readonly admin: BrokerAccount,
  ) {}

  /** Creates or replaces the terminal's client with this password (its old sessions are kicked). */
  async provisionTerminal(terminalId: string, password: string): Promise<void> {
    const rolename = terminalRole(terminalId);
    await this.run([
      { command: 'createRole', rolename, textdescription: `muckwatch terminal ${terminalId}` },
      { command: 'addRoleACL', rolename, acltype: 'publishClientSend', topic: telemetryTopic(terminalId), allow: true },
      { command: 'addRoleACL', rolename, acltype: 'publishClientSend', topic: statusTopic(terminalId), allow: true },
      { command: 'addRoleACL', rolename, acltype: 'publishClientSend', topic: commandResponsesTopic(terminalId), allow: true },
      { command: 'addRoleACL', rolename, acltype: 'subscribeLiteral', topic: commandsTopic(terminalId), allow: true },
      { command: 'addRoleACL', rolename, acltype: 'publishClientReceive', topic: commandsTopic(terminalId), allow: true },
      { command: 'deleteClient', username: terminalId },
      { command: 'createClient', username: terminalId, clientid: terminalId, password, roles: [{ rolename }] },
    ]);
  }

  /** Creates the ingest's account and role if missing, and sets its password. */
  async ensureIngestAccount(account: BrokerAccount): Promise<void> {
    const acls = [
      ...[TELEMETRY_TOPIC_FILTER, STATUS_TOPIC_FILTER, COMMAND_RESPONSES_TOPIC_FILTER].flatMap((topic) => [
        { acltype: 'subscribePattern', topic },
        { acltype: 'subscribePattern', topic: `$share/+/${topic}` },
        { acltype: 'publishClientReceive', topic },
      ]),
      // The commands the API sends (apps/api/src/commands/mqtt-command-door.ts).
      { acltype: 'publishClientSend', topic: COMMANDS_TOPIC_FILTER },
    ];
    await this.run([
      { command: 'createRole', rolename: INGEST_ROLE, textdescription: 'muckwatch API ingest: reads terminal topics' },
      ...acls.map((acl) => ({ command: 'addRoleACL', rolename: INGEST_ROLE, ...acl, allow: true })),
      { command: 'createClient', username: account.username, password: account.password, roles: [{ rolename: INGEST_ROLE }] },
      { command: 'setClientPassword', username: account.username, password: account.password },
    ]);
  }

  /**
   * Sends the commands in one message; "already exists" / "not found" answers are expected on
   * re-runs and ignored, any other error fails the call.
   */
  private async run(commands: Command[]): Promise<void> {
    const batch = randomUUID();
    const client = await mqtt.connectAsync(this.url, {
      username: this.admin.username,
      password: this.admin.password,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 5000,
    });
    try {
      const answered = new Promise<CommandResponse[]>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('Mosquitto dynamic-security: no response within 5 s')), 5000);
        client.on('message', (_topic, payload) => {
          const responses = (JSON.parse(payload.toString('utf8')) as { responses?: CommandResponse[] }).responses ?? [];
          if (responses.some((r) => r.correlationData?.startsWith(batch))) {
            clearTimeout(timer);
            resolve(responses);
          }
        });
      });
      await client.subscribeAsync(RESPONSE_TOPIC, { qos: 1 });
      const tagged = commands.map((command, index) => ({ ...command, correlationData: `${batch}:${index}` }));
      await client.publishAsync(CONTROL_TOPIC, JSON.stringify({ commands: tagged }), { qos: 1 });
      const failures = (await answered).filter((r) => r.error && !/already|not found|does not have/i.test(r.error));
      if (failures.length > 0) {
        throw new Error(`Mosquitto dynamic-security refused: ${failures.map((f) => `${f.command}: ${f.error}`).join('; ')}`);
      }
    } finally {
      await client.endAsync().catch(() => undefined);
    }
  }
}
