import { commandResponsesTopic, commandsTopic, COMMAND_LIMITS, parseCommandDownlink, type CommandResponse } from '@muckwatch/contracts';
import type { MqttClient } from 'mqtt';
import type { TruckControl } from './truck-control.js';

/** Largest command a simulated terminal reads; anything larger is dropped unread. */
const MAX_COMMAND_BYTES = 4096;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * A simulated terminal's answer to one payload on its commands topic
 * (libs/contracts/src/api/terminal-commands.ts): obeyed and acknowledged, refused (expired, bad
 * parameters), or failed when the body is not a command but names one; null when there is no
 * command id to answer to. Pure but for `control`.
 */
export function answerCommand(control: TruckControl, payload: Buffer, nowMs: number): CommandResponse | null {
  if (payload.length > MAX_COMMAND_BYTES) return null;
  const command = parseCommandDownlink(payload);
  if (!command) {
    let commandId: unknown;
    try {
      commandId = (JSON.parse(payload.toString()) as { commandId?: unknown } | null)?.commandId;
    } catch {
      return null;
    }
    return typeof commandId === 'string' && UUID.test(commandId) ? { commandId, outcome: 'failed', detail: 'the command does not follow the contract' } : null;
  }
  if (command.expiresAt !== null && Date.parse(command.expiresAt) < nowMs) {
    return { commandId: command.commandId, outcome: 'refused', detail: `expired at ${command.expiresAt}` };
  }
  const result = control.apply(command.kind, command.params);
  return result.outcome === 'acknowledged'
    ? { commandId: command.commandId, outcome: 'acknowledged' }
    : { commandId: command.commandId, outcome: 'refused', detail: result.detail.slice(0, COMMAND_LIMITS.detailLength) };
}

/**
 * Makes an MQTT terminal connection obey the platform: it subscribes to its own commands topic
 * (again after every reconnect: the session is clean) and answers each command on its own
 * response topic, QoS 1, as the broker ACLs allow (apps/api/src/broker/embedded-broker.ts).
 */
export function obeyOverMqtt(client: MqttClient, terminalId: string, control: TruckControl, onAnswer?: (answer: CommandResponse) => void): void {
  const topic = commandsTopic(terminalId);
  const subscribe = (): void => void client.subscribeAsync(topic, { qos: 1 }).catch(() => undefined);
  client.on('connect', subscribe);
  if (client.connected) subscribe();
  client.on('message', (received: string, payload: Buffer) => {
    if (received !== topic) return;
    const answer = answerCommand(control, payload, Date.now());
    if (!answer) return;
    onAnswer?.(answer);
    client.publish(commandResponsesTopic(terminalId), JSON.stringify(answer), { qos: 1 }, () => undefined);
  });
}
