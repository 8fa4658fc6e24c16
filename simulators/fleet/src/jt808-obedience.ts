import type { CommandKind, CommandParams, TerminalCommandAction, TerminalCommandMapping, TerminalModelMapping } from '@muckwatch/contracts';
import { decodeGbk, type Jt808Version } from '@muckwatch/jt808';
import type { TruckControl } from './truck-control.js';

/**
 * A simulated JT/T 808 terminal reading the platform's downlinks the way its model's mapping
 * says they are written (the platform's side: apps/api/src/jt808/jt808-commands.ts): 0x8300 is
 * text for the display; 0x8105 command words, 0x8103 parameters and vendor messages are whatever
 * the model maps the control actions to. Pure, bounded by the frame it reads.
 */

const KIND_OF: Readonly<Record<TerminalCommandAction, CommandKind>> = {
  lock: 'lock',
  unlock: 'unlock',
  speedCap: 'speed_cap',
  speedRelease: 'speed_release',
  liftInhibit: 'lift_inhibit',
  liftRelease: 'lift_release',
};

/** JT/T 808 0x0001 results. */
export const TERMINAL_RESULT = { ok: 0, failed: 1, malformed: 2, notSupported: 3 } as const;

export type DecodedCommand = { kind: CommandKind; params: CommandParams } | { error: 'unsupported' | 'malformed'; detail: string };

/** 0x8103 body → its parameters (id, raw value); null when the body is cut short. */
export function readParameters(body: Buffer): Array<{ id: number; value: Buffer }> | null {
  if (body.length < 1) return null;
  const count = body[0]!;
  const out: Array<{ id: number; value: Buffer }> = [];
  let at = 1;
  for (let i = 0; i < count; i++) {
    if (at + 5 > body.length) return null;
    const id = body.readUInt32BE(at);
    const length = body[at + 4]!;
    at += 5;
    if (at + length > body.length) return null;
    out.push({ id, value: body.subarray(at, at + length) });
    at += length;
  }
  return out;
}

function unsignedBE(value: Buffer): number | null {
  if (value.length < 1 || value.length > 4) return null;
  return value.readUIntBE(0, value.length);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Matches `text` against a template with one placeholder; the placeholder's value, true (no placeholder), or null. */
function matchTemplate(template: string, text: string, placeholders: Record<string, { pattern: string; parse: (s: string) => number }>): number | true | null {
  for (const [name, { pattern, parse }] of Object.entries(placeholders)) {
    const index = template.indexOf(name);
    if (index < 0) continue;
    const regex = new RegExp(`^${escapeRegex(template.slice(0, index))}(${pattern})${escapeRegex(template.slice(index + name.length))}$`, 'i');
    const match = regex.exec(text);
    return match ? parse(match[1]!) : null;
  }
  return template.toLowerCase() === text.toLowerCase() ? true : null;
}

/** Whether one mapped downlink is the message received; the speed it carries, if any. */
function matches(command: TerminalCommandMapping, messageId: number, body: Buffer): { speedKmh?: number } | null {
  switch (command.via) {
    case 'terminal-control': {
      if (messageId !== 0x8105 || body.length < 1 || body[0] !== command.command) return null;
      const got = matchTemplate(command.params, decodeGbk(body.subarray(1)), { '{speedKmh}': { pattern: '\\d{1,3}', parse: Number } });
      return got === null ? null : got === true ? {} : { speedKmh: got };
    }
    case 'set-parameters': {
      if (messageId !== 0x8103) return null;
      const received = readParameters(body);
      if (!received || received.length !== command.parameters.length) return null;
      let speedKmh: number | undefined;
      for (const expected of command.parameters) {
        const got = received.find((p) => p.id === expected.id);
        if (!got) return null;
        if (expected.type === 'string') {
          if (expected.value !== '{speedKmh}' && decodeGbk(got.value) !== String(expected.value)) return null;
          if (expected.value === '{speedKmh}') speedKmh = Number(decodeGbk(got.value));
          continue;
        }
        const n = unsignedBE(got.value);
        if (n === null) return null;
        if (expected.value === '{speedKmh}') speedKmh = n;
        else if (n !== Number(expected.value)) return null;
      }
      return speedKmh === undefined ? {} : { speedKmh };
    }
    case 'vendor-message': {
      if (messageId !== command.messageId) return null;
      const got = matchTemplate(command.bodyTemplate, body.toString('hex'), {
        '{speedKmh:u8}': { pattern: '[0-9a-f]{2}', parse: (s) => parseInt(s, 16) },
        '{speedKmh:u16}': { pattern: '[0-9a-f]{4}', parse: (s) => parseInt(s, 16) },
      });
      return got === null ? null : got === true ? {} : { speedKmh: got };
    }
  }
}

/** Which platform command a downlink is under the model's mapping. */
export function decodeCommand(messageId: number, body: Buffer, mapping: TerminalModelMapping, version: Jt808Version): DecodedCommand {
  if (messageId === 0x8300) {
    const head = version === '2019' ? 2 : 1;
    if (body.length <= head) return { error: 'malformed', detail: '0x8300 without text' };
    return { kind: 'display_text', params: { text: decodeGbk(body.subarray(head)) } };
  }
  const entries = Object.entries(mapping.commands ?? {}) as Array<[TerminalCommandAction, TerminalCommandMapping]>;
  // Exact downlinks first: speedRelease's fixed 200 must not read as a cap of 200.
  const templated = (c: TerminalCommandMapping): boolean => JSON.stringify(c).includes('{speedKmh');
  entries.sort(([, a], [, b]) => Number(templated(a)) - Number(templated(b)));
  for (const [action, command] of entries) {
    const got = matches(command, messageId, body);
    if (got) return { kind: KIND_OF[action], params: got.speedKmh === undefined ? {} : { speedKmh: got.speedKmh } };
  }
  return { error: 'unsupported', detail: `0x${messageId.toString(16).padStart(4, '0')} is no command of this model` };
}

/** Obeys a downlink; the 0x0001 result to answer with (0 done, 1 refused, 2 malformed, 3 not supported). */
export function obeyDownlink(control: TruckControl, messageId: number, body: Buffer, mapping: TerminalModelMapping, version: Jt808Version): number {
  const command = decodeCommand(messageId, body, mapping, version);
  if ('error' in command) return command.error === 'malformed' ? TERMINAL_RESULT.malformed : TERMINAL_RESULT.notSupported;
  return control.apply(command.kind, command.params).outcome === 'acknowledged' ? TERMINAL_RESULT.ok : TERMINAL_RESULT.failed;
}
