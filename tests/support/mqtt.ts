import mqtt, { type MqttClient } from 'mqtt';
import { telemetryTopic, type TelemetryFix } from '@muckwatch/contracts';

/** A terminal-like MQTT client (clean session) that publishes QoS 1 and waits for PUBACK. */
export async function connectTerminal(url: string, clientId: string): Promise<MqttClient> {
  return mqtt.connectAsync(url, { clientId, clean: true, reconnectPeriod: 500, connectTimeout: 10_000 });
}

export async function publishFixes(
  client: MqttClient,
  terminalId: string,
  payload: TelemetryFix | unknown[] | string,
): Promise<void> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  await client.publishAsync(telemetryTopic(terminalId), body, { qos: 1 });
}

/** Fixes along a short eastward line, one every `intervalSec`, starting at `startMs`. */
export function lineOfFixes(startMs: number, count: number, intervalSec = 10, extra: Partial<TelemetryFix> = {}): TelemetryFix[] {
  return Array.from({ length: count }, (_, i) => ({
    ts: new Date(startMs + i * intervalSec * 1000).toISOString(),
    lat: 36.82,
    lon: 118.3 + i * 0.0003,
    speedKmh: 30,
    headingDeg: 90,
    seq: i,
    ...extra,
  }));
}
