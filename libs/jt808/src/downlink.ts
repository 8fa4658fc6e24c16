/**
 * Platform → terminal message bodies. Wrap each in `encodeFrame` with its message id (`MSG`).
 * The encoders throw a RangeError for values that cannot be sent (a body over 1023 bytes, a field
 * out of range): that is the caller's programming error, so callers bound user input first
 * (`JT808_MAX_TEXT_BYTES`, `JT808_MAX_PARAMETER_BYTES`).
 */
import { JT808_MAX_BODY_BYTES } from './framing.js';
import type { Jt808Version } from './header.js';
import { encodeGbk } from './text.js';

/** Result codes of the platform general response (0x8001). */
export const PLATFORM_RESULT = { ok: 0, failed: 1, malformed: 2, notSupported: 3, alarmConfirmed: 4 } as const;
/** Result codes of the registration response (0x8100). */
export const REGISTER_RESULT = { ok: 0, vehicleRegistered: 1, noSuchVehicle: 2, terminalRegistered: 3, noSuchTerminal: 4 } as const;

/** The most GBK bytes of text a 0x8300 body carries (1023 less the flag and 2019 type bytes). */
export const JT808_MAX_TEXT_BYTES = JT808_MAX_BODY_BYTES - 2;
/** The most bytes one terminal parameter value can have (its length is a BYTE). */
export const JT808_MAX_PARAMETER_BYTES = 0xff;

function word(n: number, field: string): Buffer {
  if (!Number.isInteger(n) || n < 0 || n > 0xffff) throw new RangeError(`${field} ${n} is not a WORD`);
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n, 0);
  return b;
}

function byte(n: number, field: string): Buffer {
  if (!Number.isInteger(n) || n < 0 || n > 0xff) throw new RangeError(`${field} ${n} is not a BYTE`);
  return Buffer.from([n]);
}

function bounded(body: Buffer, what: string): Buffer {
  if (body.length > JT808_MAX_BODY_BYTES) throw new RangeError(`${what} body of ${body.length} bytes exceeds ${JT808_MAX_BODY_BYTES}`);
  return body;
}

/** 0x8001 body: the serial and id of the terminal message answered, and the result (0 ok, 1 failed, 2 malformed, 3 not supported, 4 alarm confirmed). */
export function platformGeneralResponse(replySerial: number, replyId: number, result: 0 | 1 | 2 | 3 | 4): Buffer {
  return Buffer.concat([word(replySerial, 'reply serial'), word(replyId, 'reply id'), byte(result, 'result')]);
}

/** 0x8100 body: the registration's serial, the result, and (only on success) the authentication code the terminal must send in 0x0102. */
export function registerResponse(replySerial: number, result: number, authCode?: string): Buffer {
  const parts = [word(replySerial, 'reply serial'), byte(result, 'result')];
  if (result === REGISTER_RESULT.ok && authCode !== undefined) parts.push(encodeGbk(authCode));
  return bounded(Buffer.concat(parts), '0x8100');
}

/**
 * Terminal control commands (0x8105): 1 upgrade, 2 connect to a server, 3 power off, 4 reset,
 * 5 factory reset, 6 close data link, 7 close all wireless links. Commands 1 and 2 take their
 * parameters as one string, fields separated by ';'.
 */
export const TERMINAL_CONTROL = { upgrade: 1, connectServer: 2, powerOff: 3, reset: 4, factoryReset: 5, closeDataLink: 6, closeWireless: 7 } as const;

/** 0x8105 body: the command word and its parameters (GBK). */
export function terminalControl(command: number, params?: string): Buffer {
  const parts = [byte(command, 'command')];
  if (params !== undefined && params !== '') parts.push(encodeGbk(params));
  return bounded(Buffer.concat(parts), '0x8105');
}

/**
 * Text flags of 0x8300 (2013): bit 0 emergency, 2 show on the terminal's display, 3 speak (TTS),
 * 4 advertising screen. 2019 keeps bits 2–3 and adds the text-type byte after the flags.
 */
export const TEXT_FLAG = { emergency: 0x01, display: 0x04, tts: 0x08, advertising: 0x10 } as const;

/**
 * 0x8300 body: flags, then (2019 only) the text type (1 notice, 2 service), then the text in GBK.
 * Default flags: show and speak it.
 */
export function textMessage(text: string, flags: number = TEXT_FLAG.display | TEXT_FLAG.tts, version: Jt808Version = '2013', textType = 1): Buffer {
  const encoded = encodeGbk(text);
  if (encoded.length > JT808_MAX_TEXT_BYTES) throw new RangeError(`text of ${encoded.length} GBK bytes exceeds ${JT808_MAX_TEXT_BYTES}`);
  const head = version === '2019' ? Buffer.concat([byte(flags, 'flags'), byte(textType, 'text type')]) : byte(flags, 'flags');
  return bounded(Buffer.concat([head, encoded]), '0x8300');
}

/**
 * Parameter ids of 0x8103 that speed limits use (JT/T 808 table 12): the speed cap (km/h, DWORD)
 * and how long the speed may stay over it before the terminal alarms (s, DWORD); 0x005b is the
 * early-warning difference (WORD, 0.1 km/h).
 */
export const TERMINAL_PARAM = { heartbeatIntervalS: 0x0001, maxSpeedKmh: 0x0055, overspeedDurationS: 0x0056, overspeedWarningDelta: 0x005b } as const;

/** A DWORD parameter value. */
export function dwordParam(n: number): Buffer {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`${n} is not a DWORD`);
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n, 0);
  return b;
}

/** 0x8103 body: the number of parameters, then each as id DWORD, length BYTE, value. */
export function setParameters(params: Array<{ id: number; value: Buffer }>): Buffer {
  if (params.length > 0xff) throw new RangeError(`${params.length} parameters in one message; at most 255`);
  const parts = [byte(params.length, 'parameter count')];
  for (const { id, value } of params) {
    if (value.length > JT808_MAX_PARAMETER_BYTES) throw new RangeError(`parameter 0x${id.toString(16)} value of ${value.length} bytes; at most ${JT808_MAX_PARAMETER_BYTES}`);
    parts.push(dwordParam(id), byte(value.length, 'parameter length'), value);
  }
  return bounded(Buffer.concat(parts), '0x8103');
}
