/**
 * The location report body (0x0200, and each item of 0x0704):
 *
 * | field | type | unit |
 * |---|---|---|
 * | alarm flags | DWORD | bits |
 * | status | DWORD | bit 0 ACC on, 1 fix valid, 2 south, 3 west, 8–9 load (00 empty, 01 half, 11 full) |
 * | latitude, longitude | DWORD, DWORD | 1e-6 degree, unsigned (hemisphere in status bits 2/3) |
 * | altitude | WORD | metre |
 * | speed | WORD | 0.1 km/h |
 * | heading | WORD | degree, 0–359 from north |
 * | time | BCD[6] | YYMMDDhhmmss, GMT+8 |
 *
 * then additional items `id BYTE, length BYTE, value BYTE[length]` to the end of the body.
 */
import { hex2 } from './framing.js';

export const LOCATION_BASE_BYTES = 28;
/** Additional items read per location; a body with more is cut there (`extrasTruncated`). */
export const MAX_LOCATION_EXTRAS = 64;

/** JT/T 808 times are Beijing time, GMT+8 (China has kept no summer time since 1991). */
const GMT8_MS = 8 * 3_600_000;

export type Jt808LoadState = 'empty' | 'half' | 'full';

export interface Jt808Location {
  /** Raw alarm flags (unsigned DWORD). */
  alarm: number;
  /** Raw status word (unsigned DWORD). */
  status: number;
  /** Degrees, negative in the south (status bit 2). */
  lat: number;
  /** Degrees, negative in the west (status bit 3). */
  lon: number;
  altitudeM: number;
  speedKmh: number;
  headingDeg: number;
  /** Fix time, epoch ms (from the terminal's GMT+8 clock). Always a real instant: an impossible date makes the location an error. */
  fixTimeMs: number;
  /** Status bit 1: the GNSS fix is valid. */
  valid: boolean;
  /** Status bit 0: ACC (ignition) on. */
  accOn: boolean;
  /** Status bits 8–9: 00 empty, 01 half, 11 full; null for the reserved 10. */
  loadState: Jt808LoadState | null;
  /** Every additional item, id → raw value (the last one wins for a repeated id). */
  extras: Map<number, Buffer>;
  /** The additional items were cut short (an item longer than the body, or over MAX_LOCATION_EXTRAS items). */
  extrasTruncated: boolean;
  /** Item 0x01: odometer, km (DWORD × 0.1). */
  mileageKm: number | null;
  /** Item 0x03: speed from the driving recorder, km/h (WORD × 0.1). */
  recorderSpeedKmh: number | null;
  /** Item 0x30: mobile network signal strength. */
  signal: number | null;
  /** Item 0x31: GNSS satellites in view. */
  satellites: number | null;
}

const LOAD_STATES: ReadonlyArray<Jt808LoadState | null> = ['empty', 'half', null, 'full'];

/** Decimal value of one BCD byte, or -1 if it is not BCD. */
function bcd(b: number): number {
  const hi = b >> 4;
  const lo = b & 0x0f;
  return hi > 9 || lo > 9 ? -1 : hi * 10 + lo;
}

/** BCD[6] YYMMDDhhmmss in GMT+8 as epoch ms, or an explanation of why it is no time. */
export function decodeBcdTime(buf: Buffer, offset: number): number | string {
  const parts: number[] = [];
  for (let i = 0; i < 6; i++) parts.push(bcd(buf[offset + i] ?? 0xff));
  const text = buf.subarray(offset, offset + 6).toString('hex');
  if (parts.some((p) => p < 0)) return `fix time ${text} is not BCD`;
  const [yy, mo, dd, hh, mi, ss] = parts as [number, number, number, number, number, number];
  const year = 2000 + yy;
  if (mo < 1 || mo > 12 || dd < 1 || dd > daysInMonth(year, mo) || hh > 23 || mi > 59 || ss > 59) return `fix time ${text} is not a date and time`;
  return Date.UTC(year, mo - 1, dd, hh, mi, ss) - GMT8_MS;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Epoch ms as BCD[6] YYMMDDhhmmss in GMT+8 (years 2000–2099; throws a RangeError outside them). */
export function encodeBcdTime(timeMs: number): Buffer {
  const d = new Date(Math.floor(timeMs / 1000) * 1000 + GMT8_MS);
  const year = d.getUTCFullYear();
  if (!Number.isFinite(timeMs) || year < 2000 || year > 2099) throw new RangeError(`fix time ${timeMs} is outside 2000–2099`);
  const fields = [year - 2000, d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()];
  return Buffer.from(fields.map((v) => ((Math.floor(v / 10) << 4) | v % 10) & 0xff));
}

/**
 * Decode one location body. Never throws: a body too short for the 28 fixed bytes, or with an
 * impossible fix time, is `{ error }`. Additional items are read while they fit.
 */
export function decodeLocation(body: Buffer): Jt808Location | { error: string } {
  if (body.length < LOCATION_BASE_BYTES) return { error: `location body of ${body.length} bytes is shorter than ${LOCATION_BASE_BYTES}` };
  const alarm = body.readUInt32BE(0);
  const status = body.readUInt32BE(4);
  const fixTime = decodeBcdTime(body, 22);
  if (typeof fixTime === 'string') return { error: fixTime };
  const south = (status & 0x04) !== 0;
  const west = (status & 0x08) !== 0;
  const lat = body.readUInt32BE(8) / 1e6;
  const lon = body.readUInt32BE(12) / 1e6;
  const location: Jt808Location = {
    alarm,
    status,
    lat: south ? -lat : lat,
    lon: west ? -lon : lon,
    altitudeM: body.readInt16BE(16),
    speedKmh: body.readUInt16BE(18) / 10,
    headingDeg: body.readUInt16BE(20),
    fixTimeMs: fixTime,
    valid: (status & 0x02) !== 0,
    accOn: (status & 0x01) !== 0,
    loadState: LOAD_STATES[(status >>> 8) & 0x03] ?? null,
    extras: new Map(),
    extrasTruncated: false,
    mileageKm: null,
    recorderSpeedKmh: null,
    signal: null,
    satellites: null,
  };
  let offset = LOCATION_BASE_BYTES;
  let items = 0;
  while (offset < body.length) {
    if (items >= MAX_LOCATION_EXTRAS || offset + 2 > body.length) {
      location.extrasTruncated = true;
      break;
    }
    const id = body.readUInt8(offset);
    const length = body.readUInt8(offset + 1);
    if (offset + 2 + length > body.length) {
      location.extrasTruncated = true;
      break;
    }
    const value = Buffer.from(body.subarray(offset + 2, offset + 2 + length));
    location.extras.set(id, value);
    offset += 2 + length;
    items++;
  }
  const mileage = location.extras.get(0x01);
  if (mileage?.length === 4) location.mileageKm = mileage.readUInt32BE(0) / 10;
  const recorderSpeed = location.extras.get(0x03);
  if (recorderSpeed?.length === 2) location.recorderSpeedKmh = recorderSpeed.readUInt16BE(0) / 10;
  const signal = location.extras.get(0x30);
  if (signal?.length === 1) location.signal = signal.readUInt8(0);
  const satellites = location.extras.get(0x31);
  if (satellites?.length === 1) location.satellites = satellites.readUInt8(0);
  return location;
}

/** What a (simulated) terminal reports; flags fill the status word unless `status` is given whole. */
export interface Jt808LocationInput {
  lat: number;
  lon: number;
  fixTimeMs: number;
  speedKmh?: number;
  headingDeg?: number;
  altitudeM?: number;
  alarm?: number;
  /** Raw status word; when absent it is built from valid, accOn, loadState and the hemispheres. */
  status?: number;
  valid?: boolean;
  accOn?: boolean;
  loadState?: Jt808LoadState | null;
  mileageKm?: number | null;
  recorderSpeedKmh?: number | null;
  signal?: number | null;
  satellites?: number | null;
  /** More additional items, id → raw value (each at most 255 bytes). */
  extras?: Map<number, Buffer>;
}

function clampInt(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(n)));
}

/** A 0x0200 body (also one 0x0704 item). */
export function encodeLocation(input: Jt808LocationInput): Buffer {
  let status = input.status;
  if (status === undefined) {
    status = 0;
    if (input.accOn) status |= 0x01;
    if (input.valid ?? true) status |= 0x02;
    if (input.lat < 0) status |= 0x04;
    if (input.lon < 0) status |= 0x08;
    const load = input.loadState ? LOAD_STATES.indexOf(input.loadState) : 0;
    status |= load << 8;
  }
  const base = Buffer.alloc(LOCATION_BASE_BYTES);
  base.writeUInt32BE((input.alarm ?? 0) >>> 0, 0);
  base.writeUInt32BE(status >>> 0, 4);
  base.writeUInt32BE(clampInt(Math.abs(input.lat) * 1e6, 0, 0xffffffff), 8);
  base.writeUInt32BE(clampInt(Math.abs(input.lon) * 1e6, 0, 0xffffffff), 12);
  base.writeInt16BE(clampInt(input.altitudeM ?? 0, -0x8000, 0x7fff), 16);
  base.writeUInt16BE(clampInt((input.speedKmh ?? 0) * 10, 0, 0xffff), 18);
  base.writeUInt16BE(clampInt(input.headingDeg ?? 0, 0, 359), 20);
  encodeBcdTime(input.fixTimeMs).copy(base, 22);

  const items = new Map<number, Buffer>();
  if (input.mileageKm != null) items.set(0x01, u32(clampInt(input.mileageKm * 10, 0, 0xffffffff)));
  if (input.recorderSpeedKmh != null) items.set(0x03, u16(clampInt(input.recorderSpeedKmh * 10, 0, 0xffff)));
  if (input.signal != null) items.set(0x30, Buffer.from([clampInt(input.signal, 0, 255)]));
  if (input.satellites != null) items.set(0x31, Buffer.from([clampInt(input.satellites, 0, 255)]));
  for (const [id, value] of input.extras ?? []) {
    if (id < 0 || id > 255 || value.length > 255) throw new RangeError(`additional item 0x${hex2(id & 0xff)} of ${value.length} bytes does not fit`);
    items.set(id, value);
  }
  const parts: Buffer[] = [base];
  for (const [id, value] of items) parts.push(Buffer.from([id, value.length]), value);
  return Buffer.concat(parts);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0, 0);
  return b;
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n & 0xffff, 0);
  return b;
}
