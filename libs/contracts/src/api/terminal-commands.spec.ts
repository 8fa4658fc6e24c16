import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import {
  COMMAND_REQUEST_SCHEMA,
  COMMAND_RESPONSE_MAX_BYTES,
  commandResponsesTopic,
  commandsTopic,
  parseCommandDownlink,
  parseCommandResponse,
  parseCommandResponsesTopic,
} from './terminal-commands.js';

const ajv = new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true });
const validRequest = ajv.compile(COMMAND_REQUEST_SCHEMA);
const ID = '0b6f1f6e-8c1a-4d7e-9a55-2f1f0c9d1a11';

describe('a command request', () => {
  it('needs the params of its kind', () => {
    expect(validRequest({ kind: 'lock', reason: '未按规定路线行驶' })).toBe(true);
    expect(validRequest({ kind: 'speed_cap', reason: '限速', params: { speedKmh: 30 } })).toBe(true);
    expect(validRequest({ kind: 'display_text', reason: '通知', params: { text: '请减速慢行' } })).toBe(true);
    expect(validRequest({ kind: 'speed_cap', reason: '限速' })).toBe(false);
    expect(validRequest({ kind: 'speed_cap', reason: '限速', params: {} })).toBe(false);
    expect(validRequest({ kind: 'display_text', reason: '通知', params: { speedKmh: 30 } })).toBe(false);
  });

  it('refuses blank or long reasons, unknown kinds and out-of-range caps', () => {
    expect(validRequest({ kind: 'lock', reason: '   ' })).toBe(false);
    expect(validRequest({ kind: 'lock' })).toBe(false);
    expect(validRequest({ kind: 'lock', reason: 'x'.repeat(501) })).toBe(false);
    expect(validRequest({ kind: 'self_destruct', reason: 'x' })).toBe(false);
    expect(validRequest({ kind: 'speed_cap', reason: 'x', params: { speedKmh: 500 } })).toBe(false);
    expect(validRequest({ kind: 'lock', reason: 'x', extra: 1 })).toBe(false);
  });
});

describe('the MQTT wire format', () => {
  it('names one terminal per topic', () => {
    expect(commandsTopic('T1')).toBe('muckwatch/v1/terminals/T1/commands');
    expect(parseCommandResponsesTopic(commandResponsesTopic('T1'))).toBe('T1');
    expect(parseCommandResponsesTopic('muckwatch/v1/terminals/+/command-responses')).toBeNull();
    expect(parseCommandResponsesTopic('muckwatch/v1/terminals/T1/commands')).toBeNull();
  });

  it('reads an answer, and refuses what is not one', () => {
    expect(parseCommandResponse(JSON.stringify({ commandId: ID, outcome: 'acknowledged' }))).toEqual({ ok: true, response: { commandId: ID, outcome: 'acknowledged' } });
    expect(parseCommandResponse('{').ok).toBe(false);
    expect(parseCommandResponse(JSON.stringify({ commandId: 'x', outcome: 'acknowledged' })).ok).toBe(false);
    expect(parseCommandResponse(JSON.stringify({ commandId: ID, outcome: 'maybe' })).ok).toBe(false);
    expect(parseCommandResponse(JSON.stringify({ commandId: ID, outcome: 'failed', detail: 'x'.repeat(COMMAND_RESPONSE_MAX_BYTES) })).ok).toBe(false);
  });

  it('reads a downlink', () => {
    const downlink = { commandId: ID, kind: 'speed_cap', params: { speedKmh: 30 }, issuedAt: '2026-12-06T02:00:00.000Z', expiresAt: null, attempt: 1 };
    expect(parseCommandDownlink(JSON.stringify(downlink))).toEqual(downlink);
    expect(parseCommandDownlink(JSON.stringify({ ...downlink, kind: 'x' }))).toBeNull();
  });
});
