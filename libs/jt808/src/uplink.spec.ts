/** What a simulated terminal encodes decodes back to what it meant, in both editions. */
import { describe, expect, it } from 'vitest';
import { Jt808FrameSplitter } from './framing.js';
import { decodeFrame, encodeFrame, type Jt808Version } from './header.js';
import { decodeLocation, encodeLocation, type Jt808LocationInput } from './location.js';
import { decodeMessage, MSG, type Jt808Message } from './messages.js';
import { encodeAuthenticate, encodeBulkLocation, encodeHeartbeat, encodeRegister, encodeTerminalResponse } from './uplink.js';

const VERSIONS: Jt808Version[] = ['2013', '2019'];

function roundTrip(messageId: number, body: Buffer, version: Jt808Version, phone = '13805330001'): Jt808Message {
  const wire = encodeFrame({ messageId, phone, serial: 4242, version }, body);
  const [raw] = new Jt808FrameSplitter().push(wire);
  if (!raw || 'error' in raw) throw new Error('no frame');
  const decoded = decodeFrame(raw.bytes);
  if ('error' in decoded) throw new Error(decoded.error.detail);
  expect(decoded.header).toMatchObject({ messageId, version, phone, serial: 4242 });
  return decodeMessage(decoded.header, decoded.body);
}

const linziFix: Jt808LocationInput = {
  lat: 36.816226,
  lon: 118.300179,
  fixTimeMs: Date.parse('2026-11-26T08:30:15+08:00'),
  speedKmh: 42.5,
  headingDeg: 271,
  altitudeM: 48,
  accOn: true,
  valid: true,
  loadState: 'full',
  mileageKm: 12345.6,
  recorderSpeedKmh: 42.4,
  signal: 25,
  satellites: 11,
  alarm: 0x80000001,
};

describe.each(VERSIONS)('terminal messages round trip (%s)', (version) => {
  it('registration', () => {
    const input = { province: 37, city: 305, makerId: 'MW001', model: 'MW-ZT808', terminalId: 'T000042', plateColor: 2, plate: '鲁C·D12345' };
    expect(roundTrip(MSG.register, encodeRegister(input, version), version)).toEqual({ kind: 'register', ...input });
  });

  it('authentication', () => {
    const input = version === '2019' ? { authCode: 'mw-8f3a21', imei: '861234567890123', softwareVersion: 'MW-1.4.2' } : { authCode: 'mw-8f3a21' };
    expect(roundTrip(MSG.authenticate, encodeAuthenticate(input, version), version)).toEqual({ kind: 'authenticate', ...input });
  });

  it('heartbeat and logout', () => {
    expect(roundTrip(MSG.heartbeat, encodeHeartbeat(), version)).toEqual({ kind: 'heartbeat' });
    expect(roundTrip(MSG.logout, Buffer.alloc(0), version)).toEqual({ kind: 'logout' });
  });

  it('terminal general response', () => {
    expect(roundTrip(MSG.terminalGeneralResponse, encodeTerminalResponse(77, 0x8300, 0), version)).toEqual({
      kind: 'general_response',
      replySerial: 77,
      replyId: 0x8300,
      result: 0,
    });
  });

  it('location', () => {
    const message = roundTrip(MSG.location, encodeLocation(linziFix), version);
    if (message.kind !== 'location') throw new Error(message.kind);
    expect(message.location).toMatchObject({
      alarm: 0x80000001,
      lat: 36.816226,
      lon: 118.300179,
      fixTimeMs: linziFix.fixTimeMs,
      speedKmh: 42.5,
      headingDeg: 271,
      altitudeM: 48,
      accOn: true,
      valid: true,
      loadState: 'full',
      mileageKm: 12345.6,
      recorderSpeedKmh: 42.4,
      signal: 25,
      satellites: 11,
      extrasTruncated: false,
    });
  });

  it('batch of locations, blind-area backfill', () => {
    const fixes = [0, 1, 2].map((i) => ({ ...linziFix, fixTimeMs: linziFix.fixTimeMs + i * 10_000, lat: linziFix.lat + i / 1e4 }));
    const message = roundTrip(MSG.bulkLocation, encodeBulkLocation(1, fixes), version);
    if (message.kind !== 'bulk_location') throw new Error(message.kind);
    expect(message.type).toBe(1);
    expect(message.locations.map((l) => ('error' in l ? l.error : [l.lat, l.fixTimeMs]))).toEqual(fixes.map((f) => [Number(f.lat.toFixed(6)), f.fixTimeMs]));
  });
});

describe('location status bits', () => {
  const base = { lat: 0, lon: 0, fixTimeMs: Date.parse('2026-01-01T00:00:00+08:00') };

  it.each([
    ['empty', 0b00],
    ['half', 0b01],
    ['full', 0b11],
  ] as const)('load state %s is status bits 8–9 = %i', (state, bits) => {
    const body = encodeLocation({ ...base, loadState: state });
    expect((body.readUInt32BE(4) >>> 8) & 0x03).toBe(bits);
    expect(decodeLocation(body)).toMatchObject({ loadState: state });
  });

  it('reads the reserved load bits 10 as no load state', () => {
    const body = encodeLocation({ ...base, status: 0x0200 });
    expect(decodeLocation(body)).toMatchObject({ loadState: null });
  });

  it('signs latitude and longitude by the south and west bits', () => {
    const body = encodeLocation({ ...base, lat: -33.8688, lon: -151.2093 });
    expect(body.readUInt32BE(4) & 0x0c).toBe(0x0c);
    expect(decodeLocation(body)).toMatchObject({ lat: -33.8688, lon: -151.2093 });
  });

  it('keeps the status and alarm words unsigned', () => {
    const body = encodeLocation({ ...base, status: 0xffffffff, alarm: 0xfffffffe });
    expect(decodeLocation(body)).toMatchObject({ status: 0xffffffff, alarm: 0xfffffffe, accOn: true, valid: true });
  });
});
