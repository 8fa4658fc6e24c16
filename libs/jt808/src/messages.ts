/**
 * Terminal → platform message bodies. `decodeMessage` never throws: an id it does not read is
 * `unknown`, a body that does not fit its layout is `malformed` with the reason.
 */
import { hex4 } from './framing.js';
import type { Jt808Header, Jt808Version } from './header.js';
import { decodeLocation, type Jt808Location } from './location.js';
import { decodeGbk } from './text.js';

export const MSG = {
  terminalGeneralResponse: 0x0001,
  heartbeat: 0x0002,
  logout: 0x0003,
  register: 0x0100,
  authenticate: 0x0102,
  location: 0x0200,
  bulkLocation: 0x0704,
  platformGeneralResponse: 0x8001,
  registerResponse: 0x8100,
  setParameters: 0x8103,
  terminalControl: 0x8105,
  textMessage: 0x8300,
} as const;

export type Jt808Message =
  | { kind: 'register'; province: number; city: number; makerId: string; model: string; terminalId: string; plateColor: number; plate: string }
  | { kind: 'authenticate'; authCode: string; imei?: string; softwareVersion?: string }
  | { kind: 'heartbeat' }
  | { kind: 'general_response'; replySerial: number; replyId: number; result: number }
  | { kind: 'location'; location: Jt808Location }
  | { kind: 'bulk_location'; type: number; locations: Array<Jt808Location | { error: string }> }
  | { kind: 'logout' }
  | { kind: 'unknown'; messageId: number }
  | { kind: 'malformed'; messageId: number; detail: string };

/**
 * Field widths of the registration body (0x0100) by edition: province WORD, city WORD, maker id,
 * terminal model, terminal id, plate colour BYTE, then the plate (or VIN when the colour is 0) to
 * the end. JT/T 808-2011 terminals still in service send the 2013 header with the shorter model.
 */
const REGISTER_LAYOUTS = {
  '2011': { maker: 5, model: 8, id: 7 },
  '2013': { maker: 5, model: 20, id: 7 },
  '2019': { maker: 11, model: 30, id: 30 },
} as const;

function fixedBytes(layout: { maker: number; model: number; id: number }): number {
  return 4 + layout.maker + layout.model + layout.id + 1;
}

/** 2019 authentication: code length BYTE, code, IMEI BYTE[15], software version BYTE[20]. */
const IMEI_BYTES = 15;
const SOFTWARE_VERSION_BYTES = 20;

export function decodeMessage(header: Jt808Header, body: Buffer): Jt808Message {
  const messageId = header.messageId;
  const malformed = (detail: string): Jt808Message => ({ kind: 'malformed', messageId, detail: `0x${hex4(messageId)}: ${detail}` });
  if (header.encrypted) return malformed(`body is encrypted (method ${header.encryption}), which is not supported`);
  switch (messageId) {
    case MSG.heartbeat:
      return { kind: 'heartbeat' };
    case MSG.logout:
      return { kind: 'logout' };
    case MSG.terminalGeneralResponse:
      if (body.length < 5) return malformed(`general response of ${body.length} bytes, needs 5`);
      return { kind: 'general_response', replySerial: body.readUInt16BE(0), replyId: body.readUInt16BE(2), result: body.readUInt8(4) };
    case MSG.register:
      return decodeRegister(header.version, body, malformed);
    case MSG.authenticate:
      return decodeAuthenticate(header.version, body, malformed);
    case MSG.location: {
      const location = decodeLocation(body);
      return 'error' in location ? malformed(location.error) : { kind: 'location', location };
    }
    case MSG.bulkLocation:
      return decodeBulkLocation(body, malformed);
    default:
      return { kind: 'unknown', messageId };
  }
}

function decodeRegister(version: Jt808Version, body: Buffer, malformed: (detail: string) => Jt808Message): Jt808Message {
  let layout: { maker: number; model: number; id: number } = REGISTER_LAYOUTS[version];
  if (version === '2013' && body.length < fixedBytes(layout) && body.length >= fixedBytes(REGISTER_LAYOUTS['2011'])) layout = REGISTER_LAYOUTS['2011'];
  const fixed = fixedBytes(layout);
  if (body.length < fixed) return malformed(`registration of ${body.length} bytes, the ${version} layout needs at least ${fixed}`);
  let offset = 4;
  const take = (n: number): Buffer => {
    const bytes = body.subarray(offset, offset + n);
    offset += n;
    return bytes;
  };
  const makerId = decodeGbk(take(layout.maker));
  const model = decodeGbk(take(layout.model));
  const terminalId = decodeGbk(take(layout.id));
  const plateColor = body.readUInt8(offset++);
  const plate = decodeGbk(body.subarray(offset));
  return { kind: 'register', province: body.readUInt16BE(0), city: body.readUInt16BE(2), makerId, model, terminalId, plateColor, plate };
}

function decodeAuthenticate(version: Jt808Version, body: Buffer, malformed: (detail: string) => Jt808Message): Jt808Message {
  if (version === '2013') {
    const authCode = decodeGbk(body);
    return authCode === '' ? malformed('empty authentication code') : { kind: 'authenticate', authCode };
  }
  if (body.length < 1) return malformed('empty authentication body');
  const codeLength = body.readUInt8(0);
  if (codeLength === 0 || 1 + codeLength > body.length) return malformed(`authentication code of ${codeLength} bytes in a ${body.length}-byte body`);
  const authCode = decodeGbk(body.subarray(1, 1 + codeLength));
  if (authCode === '') return malformed('empty authentication code');
  const message: Jt808Message = { kind: 'authenticate', authCode };
  let offset = 1 + codeLength;
  if (offset + IMEI_BYTES <= body.length) {
    message.imei = decodeGbk(body.subarray(offset, offset + IMEI_BYTES));
    offset += IMEI_BYTES;
    if (offset < body.length) message.softwareVersion = decodeGbk(body.subarray(offset, offset + SOFTWARE_VERSION_BYTES));
  }
  return message;
}

/**
 * 0x0704: count WORD, type BYTE (0 regular batch, 1 blind-area backfill), then `count` items of
 * length WORD + location body. Items are read while they fit the body, so the count can never make
 * the decoder do more than the body allows; an item that does not fit, or fewer items than the
 * count, end the list with an `{ error }` entry.
 */
function decodeBulkLocation(body: Buffer, malformed: (detail: string) => Jt808Message): Jt808Message {
  if (body.length < 3) return malformed(`batch of ${body.length} bytes, needs 3`);
  const count = body.readUInt16BE(0);
  const type = body.readUInt8(2);
  const locations: Array<Jt808Location | { error: string }> = [];
  let offset = 3;
  for (let i = 0; i < count; i++) {
    if (offset + 2 > body.length) {
      locations.push({ error: `batch declares ${count} locations, the body holds ${i}` });
      break;
    }
    const length = body.readUInt16BE(offset);
    if (offset + 2 + length > body.length) {
      locations.push({ error: `location ${i + 1} of ${count} declares ${length} bytes, ${body.length - offset - 2} remain` });
      break;
    }
    locations.push(decodeLocation(body.subarray(offset + 2, offset + 2 + length)));
    offset += 2 + length;
  }
  return { kind: 'bulk_location', type, locations };
}
