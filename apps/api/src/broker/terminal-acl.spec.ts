import { describe, expect, it } from 'vitest';
import { terminalMayPublish } from './embedded-broker.js';

describe('what a terminal may publish', () => {
  it('its own telemetry and status, nothing else', () => {
    expect(terminalMayPublish('013805330001', 'muckwatch/v1/terminals/013805330001/telemetry')).toBe(true);
    expect(terminalMayPublish('013805330001', 'muckwatch/v1/terminals/013805330001/status')).toBe(true);
    for (const topic of [
      'muckwatch/v1/terminals/013805330002/telemetry',
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
