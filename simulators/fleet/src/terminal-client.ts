import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

/**
 * How a simulated terminal connects: as real terminals do, it retries forever, also after the
 * broker refused it (a CONNACK "server unavailable" while the broker or the API boots; MQTT.js
 * gives up after a refused CONNACK unless told otherwise).
 */
export function terminalClientOptions(options: IClientOptions & { clientId: string }): IClientOptions {
  return { clean: true, reconnectPeriod: 2000, connectTimeout: 10_000, ...options, reconnectOnConnackError: true };
}

/**
 * Connects like a terminal and resolves at the first successful CONNACK; refusals and network
 * errors on the way are retried, not thrown (`connectAsync` gives up at the first error).
 */
export function connectTerminalClient(url: string, options: IClientOptions & { clientId: string }): Promise<MqttClient> {
  const client = mqtt.connect(url, terminalClientOptions(options));
  client.on('error', () => undefined);
  return new Promise((resolve) => client.once('connect', () => resolve(client)));
}
