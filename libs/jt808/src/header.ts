/**
 * The JT/T 808 message header, both protocol versions:
 *
 * | field | 2013 | 2019 |
 * |---|---|---|
 * | message id | WORD | WORD |
 * | properties | WORD: bits 0–9 body length, 10–12 encryption, 13 sub-package, 14 = 0 | same, bit 14 = 1 |
 * | protocol version | — | BYTE |
 * | terminal phone | BCD[6] (12 digits) | BCD[10] (20 digits) |
 * | serial | WORD | WORD |
 * | sub-package item | total WORD + index WORD (only with bit 13) | same |
 *
 * then the body, then the check code (XOR of header and body).
 */
import { checksum, escape, hex2, hex4, JT808_FLAG, JT808_MAX_BODY_BYTES, type Jt808FrameError } from './framing.js';

export type Jt808Version = '2013' | '2019';

export interface Jt808Header {
  messageId: number;
  version: Jt808Version;
  /** The 2019 header's protocol-version byte (1 for the 2019 edition); 0 for 2013. */
  protocolVersion: number;
  /**
   * The terminal's phone number (SIM) as decimal digits with leading zeros stripped ('0' if all
   * zero): a SIM 13800138000 is '13800138000' whether the terminal sent BCD 013800138000 (2013) or
   * 00000000013800138000 (2019). Use this to find the terminal; `encodeFrame` pads it back.
   */
  phone: string;
  /** The phone field exactly as sent: 12 digits (2013) or 20 digits (2019). */
  phoneDigits: string;
  serial: number;
  /** Any of the encryption bits (10–12) set; bit 10 is RSA. The body is then not plain. */
  encrypted: boolean;
  /** The raw encryption bits (0–7). */
  encryption: number;
  /** Sub-package item: this piece is `index` (1-based) of `total`. */
  subpackage: { total: number; index: number } | null;
  /** The body length the header declares (equal to the body's length: decodeFrame checks it). */
  bodyLength: number;
}

const HEADER_2013 = 12;
const HEADER_2019 = 17;
const SUBPACKAGE_ITEM = 4;
const VERSION_BIT = 0x4000;
const SUBPACKAGE_BIT = 0x2000;

function headerLength(version: Jt808Version, subpackage: boolean): number {
  return (version === '2019' ? HEADER_2019 : HEADER_2013) + (subpackage ? SUBPACKAGE_ITEM : 0);
}

/** BCD bytes as decimal digits, or null if a nibble is not 0–9. */
export function readBcd(buf: Buffer, offset: number, length: number): string | null {
  let s = '';
  for (let i = offset; i < offset + length; i++) {
    const b = buf[i] ?? 0xff;
    const hi = b >> 4;
    const lo = b & 0x0f;
    if (hi > 9 || lo > 9) return null;
    s += String(hi) + String(lo);
  }
  return s;
}

/** Decimal digits as BCD[bytes], left-padded with zeros. Throws a RangeError if they are not digits or do not fit. */
export function writeBcd(digits: string, bytes: number): Buffer {
  if (!/^\d*$/.test(digits) || digits.length > bytes * 2) throw new RangeError(`'${digits}' is not at most ${bytes * 2} decimal digits`);
  const padded = digits.padStart(bytes * 2, '0');
  const out = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) out[i] = (Number(padded[2 * i]) << 4) | Number(padded[2 * i + 1]);
  return out;
}

/** Phone digits without their leading zeros ('0' when all are zero). */
export function normalizePhone(digits: string): string {
  const stripped = digits.replace(/^0+/, '');
  return stripped === '' ? '0' : stripped;
}

/**
 * Decode one frame's unescaped content (what `Jt808FrameSplitter` yields): verifies the check code,
 * the header and that the body is exactly as long as the header says. Never throws.
 *
 * Some terminals set the 2019 version bit but send a 2013 header; when the declared body length
 * fits the 2013 layout exactly and not the 2019 one, the frame is read as 2013.
 */
export function decodeFrame(bytes: Buffer): { header: Jt808Header; body: Buffer } | { error: Jt808FrameError } {
  if (!Buffer.isBuffer(bytes) || bytes.length < HEADER_2013 + 1) {
    return { error: { reason: 'truncated', detail: `frame of ${Buffer.isBuffer(bytes) ? bytes.length : 0} bytes is shorter than the smallest header and check code (13)` } };
  }
  const content = bytes.subarray(0, bytes.length - 1);
  const expected = checksum(content);
  const got = bytes.readUInt8(bytes.length - 1);
  if (expected !== got) return { error: { reason: 'bad_checksum', detail: `check code 0x${hex2(got)}, computed 0x${hex2(expected)}` } };

  const messageId = content.readUInt16BE(0);
  const props = content.readUInt16BE(2);
  const bodyLength = props & JT808_MAX_BODY_BYTES;
  const encryption = (props >> 10) & 0x07;
  const hasSubpackage = (props & SUBPACKAGE_BIT) !== 0;
  let version: Jt808Version = (props & VERSION_BIT) !== 0 ? '2019' : '2013';
  if (content.length !== headerLength(version, hasSubpackage) + bodyLength) {
    if (version === '2019' && content.length === headerLength('2013', hasSubpackage) + bodyLength) {
      version = '2013';
    } else {
      const headerBytes = headerLength(version, hasSubpackage);
      if (content.length < headerBytes) {
        return { error: { reason: 'truncated', detail: `0x${hex4(messageId)}: ${content.length} bytes cannot hold the ${version} header (${headerBytes})` } };
      }
      return {
        error: { reason: 'bad_body', detail: `0x${hex4(messageId)}: header declares a ${bodyLength}-byte body, the frame carries ${content.length - headerBytes}` },
      };
    }
  }
  let offset = 4;
  let protocolVersion = 0;
  if (version === '2019') protocolVersion = content.readUInt8(offset++);
  const phoneBytes = version === '2019' ? 10 : 6;
  const phoneDigits = readBcd(content, offset, phoneBytes);
  if (phoneDigits === null) {
    return { error: { reason: 'bad_header', detail: `0x${hex4(messageId)}: phone number is not BCD (${content.subarray(offset, offset + phoneBytes).toString('hex')})` } };
  }
  offset += phoneBytes;
  const serial = content.readUInt16BE(offset);
  offset += 2;
  let subpackage: Jt808Header['subpackage'] = null;
  if (hasSubpackage) {
    const total = content.readUInt16BE(offset);
    const index = content.readUInt16BE(offset + 2);
    offset += 4;
    if (total < 1 || index < 1 || index > total) {
      return { error: { reason: 'bad_header', detail: `0x${hex4(messageId)}: sub-package ${index} of ${total}` } };
    }
    subpackage = { total, index };
  }
  const header: Jt808Header = {
    messageId,
    version,
    protocolVersion,
    phone: normalizePhone(phoneDigits),
    phoneDigits,
    serial,
    encrypted: encryption !== 0,
    encryption,
    subpackage,
    bodyLength,
  };
  return { header, body: Buffer.from(content.subarray(offset)) };
}

export interface Jt808EncodeHeader {
  messageId: number;
  /** Decimal digits, at most 12 (2013) or 20 (2019); left-padded with zeros. */
  phone: string;
  serial: number;
  version: Jt808Version;
  /** 2019 protocol-version byte; default 1. */
  protocolVersion?: number;
  /** Sub-package item (terminals' multi-piece uploads; the simulator uses it). */
  subpackage?: { total: number; index: number };
}

/**
 * A whole frame for the wire: header, body, check code, escaped, between 0x7e flags.
 * Throws a RangeError for a body over 1023 bytes or a phone that is not digits or too long: these
 * are the caller's programming errors, never terminal input.
 */
export function encodeFrame(h: Jt808EncodeHeader, body: Buffer): Buffer {
  if (body.length > JT808_MAX_BODY_BYTES) throw new RangeError(`JT/T 808 body of ${body.length} bytes exceeds ${JT808_MAX_BODY_BYTES}`);
  const is2019 = h.version === '2019';
  const sub = h.subpackage;
  const head = Buffer.alloc(headerLength(h.version, sub !== undefined));
  head.writeUInt16BE(h.messageId & 0xffff, 0);
  head.writeUInt16BE(body.length | (sub ? SUBPACKAGE_BIT : 0) | (is2019 ? VERSION_BIT : 0), 2);
  let offset = 4;
  if (is2019) head[offset++] = (h.protocolVersion ?? 1) & 0xff;
  const phone = writeBcd(h.phone, is2019 ? 10 : 6);
  phone.copy(head, offset);
  offset += phone.length;
  head.writeUInt16BE(h.serial & 0xffff, offset);
  offset += 2;
  if (sub) {
    head.writeUInt16BE(sub.total & 0xffff, offset);
    head.writeUInt16BE(sub.index & 0xffff, offset + 2);
  }
  const content = Buffer.concat([head, body, Buffer.from([0])]);
  content[content.length - 1] = checksum(content.subarray(0, content.length - 1));
  return Buffer.concat([Buffer.from([JT808_FLAG]), escape(content), Buffer.from([JT808_FLAG])]);
}

/**
 * A body too long for one frame as sub-packaged frames (header bit 13), pieces of at most
 * `pieceBytes` with consecutive serials from `h.serial`, as a terminal uploads them.
 */
export function encodeSubpackagedFrames(h: Omit<Jt808EncodeHeader, 'subpackage'>, body: Buffer, pieceBytes = JT808_MAX_BODY_BYTES): Buffer[] {
  const size = Math.max(1, Math.min(JT808_MAX_BODY_BYTES, Math.floor(pieceBytes)));
  const total = Math.max(1, Math.ceil(body.length / size));
  if (total > 0xffff) throw new RangeError(`a body of ${body.length} bytes needs ${total} pieces; at most 65535`);
  const frames: Buffer[] = [];
  for (let i = 0; i < total; i++) {
    frames.push(encodeFrame({ ...h, serial: (h.serial + i) & 0xffff, subpackage: { total, index: i + 1 } }, body.subarray(i * size, (i + 1) * size)));
  }
  return frames;
}
