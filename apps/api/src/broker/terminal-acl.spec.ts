import { describe, expect, it } from 'vitest';
import { terminalMayPublish, terminalMaySubscribe } from './embedded-broker.js';

describe('what a terminal may publish', () => {
  it('its own telemetry, status and command answers, nothing else', () => {
    expect(terminalMayPublish('013805330001', 'muckwatch/v1/terminals/013805330001/telemetry')).toBe(true);
    expect(terminalMayPublish('013805330001', 'muckwatch/v1/terminals/013805330001/status')).toBe(true);
    expect(terminalMayPublish('013805330001', 'muckwatch/v1/terminals/013805330001/command-responses')).toBe(true);
    for (const topic of [
      'muckwatch/v1/terminals/013805330002/telemetry',
      'muckwatch/v1/terminals/013805330002/command-responses',
      'muckwatch/v1/terminals/013805330001/commands',
      'muckwatch/v1/terminals/013805330001/telemetry/extra',
      'muckwatch/v1/terminals/013805330001',
      'muckwatch/v1/terminals/+/telemetry',
      '$SYS/broker/uptime',
      'other/topic',
    ]) {
      expect(terminalMayPublish('013805330001', topic)).toBe(false);
    }
  });
});

describe('what a terminal may subscribe to', () => {
  it('its own commands topic, exactly', () => {
    expect(terminalMaySubscribe('013805330001', 'muckwatch/v1/terminals/013805330001/commands')).toBe(true);
    for (const topic of [
      'muckwatch/v1/terminals/013805330002/commands',
      'muckwatch/v1/terminals/+/commands',
      'muckwatch/v1/terminals/013805330001/#',
      'muckwatch/v1/terminals/#',
      'muckwatch/v1/terminals/013805330001/command-responses',
      'muckwatch/v1/terminals/013805330001/telemetry',
      '#',
    ]) {
      expect(terminalMaySubscribe('013805330001', topic)).toBe(false);
    }
  });
});
