/**
 * Terminal → platform bodies, for simulated terminals and tests: the inverse of `decodeMessage`.
 * Wrap each in `encodeFrame` with its message id (`MSG`). Throws a RangeError for values the
 * layout cannot carry.
 */
import { JT808_MAX_BODY_BYTES } from './framing.js';
import type { Jt808Version } from './header.js';
import { encodeLocation, type Jt808LocationInput } from './location.js';
import type { Jt808Message } from './messages.js';
import { encodeGbk, fixedGbk } from './text.js';

export type Jt808RegisterInput = Omit<Extract<Jt808Message, { kind: 'register' }>, 'kind'>;

const REGISTER_WIDTHS = { '2013': { maker: 5, model: 20, id: 7 }, '2019': { maker: 11, model: 30, id: 30 } } as const;

function bounded(body: Buffer, what: string): Buffer {
  if (body.length > JT808_MAX_BODY_BYTES) throw new RangeError(`${what} body of ${body.length} bytes exceeds ${JT808_MAX_BODY_BYTES}`);
  return body;
}

/** 0x0100 body in the edition's field widths. */
export function encodeRegister(input: Jt808RegisterInput, version: Jt808Version = '2013'): Buffer {
  const w = REGISTER_WIDTHS[version];
  const head = Buffer.alloc(4);
  head.writeUInt16BE(input.province & 0xffff, 0);
  head.writeUInt16BE(input.city & 0xffff, 2);
  return bounded(
    Buffer.concat([
      head,
      fixedGbk(input.makerId, w.maker, 'maker id'),
      fixedGbk(input.model, w.model, 'terminal model'),
      fixedGbk(input.terminalId, w.id, 'terminal id'),
      Buffer.from([input.plateColor & 0xff]),
      encodeGbk(input.plate),
    ]),
    '0x0100',
  );
}

/** 0x0102 body: 2013 = the code alone; 2019 = code length, code, IMEI (15), software version (20). */
export function encodeAuthenticate(input: { authCode: string; imei?: string; softwareVersion?: string }, version: Jt808Version = '2013'): Buffer {
  const code = encodeGbk(input.authCode);
  if (version === '2013') return bounded(code, '0x0102');
  if (code.length > 0xff) throw new RangeError(`authentication code of ${code.length} bytes; at most 255`);
  return bounded(
    Buffer.concat([Buffer.from([code.length]), code, fixedGbk(input.imei ?? '', 15, 'IMEI'), fixedGbk(input.softwareVersion ?? '', 20, 'software version')]),
    '0x0102',
  );
}

/** 0x0002 body (empty). */
export function encodeHeartbeat(): Buffer {
  return Buffer.alloc(0);
}

/** 0x0001 body: the terminal's answer to a platform message. */
export function encodeTerminalResponse(replySerial: number, replyId: number, result: number): Buffer {
  const b = Buffer.alloc(5);
  b.writeUInt16BE(replySerial & 0xffff, 0);
  b.writeUInt16BE(replyId & 0xffff, 2);
  b[4] = result & 0xff;
  return b;
}

/** 0x0704 body: count, type (0 regular, 1 blind-area backfill), then each location with its length. */
export function encodeBulkLocation(type: number, locations: Jt808LocationInput[]): Buffer {
  const parts: Buffer[] = [];
  const head = Buffer.alloc(3);
  head.writeUInt16BE(locations.length & 0xffff, 0);
  head[2] = type & 0xff;
  parts.push(head);
  for (const location of locations) {
    const body = encodeLocation(location);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(body.length, 0);
    parts.push(length, body);
  }
  return bounded(Buffer.concat(parts), '0x0704');
}
