import type { CommandKind, CommandParams, TerminalCommandAction, TerminalCommandMapping, TerminalModelMapping } from '@muckwatch/contracts';
import { encodeGbk, setParameters, terminalControl, textMessage, type Jt808Version } from '@muckwatch/jt808';

/** A platform message to send, or why the terminal's model cannot take the command. */
export type Jt808Downlink = { messageId: number; body: Buffer } | { unsupported: string };

const ACTION_OF: Readonly<Record<Exclude<CommandKind, 'display_text'>, TerminalCommandAction>> = {
  lock: 'lock',
  unlock: 'unlock',
  speed_cap: 'speedCap',
  speed_release: 'speedRelease',
  lift_inhibit: 'liftInhibit',
  lift_release: 'liftRelease',
};

/**
 * The JT/T 808 downlink of a command for a terminal of the given model: text to the driver's
 * display is the standard 0x8300; the control actions are what the model's mapping says (0x8105
 * terminal control, 0x8103 parameters, or the vendor's own message). Pure.
 */
export function jt808Downlink(kind: CommandKind, params: CommandParams, mapping: TerminalModelMapping, version: Jt808Version): Jt808Downlink {
  if (kind === 'display_text') {
    // Flag bit 2 (0x04): show on the terminal's display; bit 3 (0x08): read it aloud (TTS).
    return { messageId: 0x8300, body: textMessage(params.text ?? '', 0x0c, version) };
  }
  const action = ACTION_OF[kind];
  const command = mapping.commands?.[action];
  if (!command) return { unsupported: `the terminal model has no JT/T 808 mapping for ${action}` };
  return encodeCommand(command, params);
}

function encodeCommand(command: TerminalCommandMapping, params: CommandParams): Jt808Downlink {
  const speed = Math.round(params.speedKmh ?? 0);
  switch (command.via) {
    case 'terminal-control':
      return { messageId: 0x8105, body: terminalControl(command.command, command.params.replaceAll('{speedKmh}', String(speed))) };
    case 'set-parameters':
      return {
        messageId: 0x8103,
        body: setParameters(
          command.parameters.map((p) => {
            const value = p.value === '{speedKmh}' ? speed : p.value;
            return { id: p.id, value: parameterValue(p.type, value) };
          }),
        ),
      };
    case 'vendor-message': {
      const hex = command.bodyTemplate
        .replaceAll('{speedKmh:u8}', (speed & 0xff).toString(16).padStart(2, '0'))
        .replaceAll('{speedKmh:u16}', (speed & 0xffff).toString(16).padStart(4, '0'));
      if (!/^([0-9a-fA-F]{2})*$/.test(hex)) return { unsupported: `the vendor body template is not hex after its placeholders: ${hex.slice(0, 64)}` };
      return { messageId: command.messageId, body: Buffer.from(hex, 'hex') };
    }
  }
}

function parameterValue(type: 'byte' | 'word' | 'dword' | 'string', value: number | string): Buffer {
  if (type === 'string') return encodeGbk(String(value));
  const n = typeof value === 'number' ? value : Number(value);
  const size = type === 'byte' ? 1 : type === 'word' ? 2 : 4;
  const buf = Buffer.alloc(size);
  buf.writeUIntBE(Math.max(0, Math.min(Math.trunc(n), 2 ** (size * 8) - 1)), 0, size);
  return buf;
}

/** A terminal's 0x0001 result as the command's outcome (JT/T 808: 0 success, 1 failure, 2 message error, 3 not supported). */
export function answerOf(result: number): { outcome: 'acknowledged' } | { outcome: 'refused' | 'unsupported' | 'failed'; detail: string } {
  switch (result) {
    case 0:
      return { outcome: 'acknowledged' };
    case 1:
      return { outcome: 'refused', detail: 'JT/T 808 result 1: the terminal could not carry it out' };
    case 3:
      return { outcome: 'unsupported', detail: 'JT/T 808 result 3: the terminal does not support this message' };
    default:
      return { outcome: 'failed', detail: `JT/T 808 result ${result}: the terminal found the message in error` };
  }
}
