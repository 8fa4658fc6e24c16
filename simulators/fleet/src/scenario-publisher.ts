import { statusTopic, telemetryTopic } from '@muckwatch/contracts';
import type { Scenario } from './scenarios.js';
import { connectTerminalClient } from './terminal-client.js';

export interface ScenarioRunOptions {
  url: string;
  /** The terminal's broker credentials (a secured broker: username = terminal id). */
  username?: string;
  password?: string;
  /**
   * 'live': one fix per message, in order, each waiting for its PUBACK (a terminal reporting live);
   * 'backlog': arrays of up to 500 fixes (a terminal uploading what it buffered).
   */
  mode?: 'live' | 'backlog';
  connectTimeoutMs?: number;
}

/** Publishes a scenario's fixes like a real terminal: client id = terminal id, QoS 1, its own topic. */
export async function publishScenario(scenario: Scenario, options: ScenarioRunOptions): Promise<{ published: number }> {
  const client = await connectTerminalClient(
    options.url,
    {
      clientId: scenario.terminalId,
      reconnectPeriod: 1000,
      connectTimeout: options.connectTimeoutMs ?? 10_000,
      will: { topic: statusTopic(scenario.terminalId), payload: Buffer.from('offline'), qos: 1, retain: true },
      ...(options.username !== undefined && { username: options.username, password: options.password ?? '' }),
    },
  );
  try {
    const topic = telemetryTopic(scenario.terminalId);
    if (options.mode === 'backlog') {
      for (let i = 0; i < scenario.fixes.length; i += 500) {
        await client.publishAsync(topic, JSON.stringify(scenario.fixes.slice(i, i + 500)), { qos: 1 });
      }
    } else {
      for (const fix of scenario.fixes) await client.publishAsync(topic, JSON.stringify(fix), { qos: 1 });
    }
    return { published: scenario.fixes.length };
  } finally {
    await client.endAsync();
  }
}
