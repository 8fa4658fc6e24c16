/** Bad input gets a reason, never an exception or a made-up value. */
import { describe, expect, it } from 'vitest';
import { checksum, unescape } from './framing.js';
import { decodeFrame, encodeFrame, type Jt808Header } from './header.js';
import { decodeLocation, encodeLocation, MAX_LOCATION_EXTRAS } from './location.js';
import { decodeMessage } from './messages.js';

/** Frame content (unescaped, with check code) from a header and body given in hex. */
function content(hex: string): Buffer {
  const bytes = Buffer.from(hex.replace(/\s+/g, ''), 'hex');
  return Buffer.concat([bytes, Buffer.from([checksum(bytes)])]);
}

const header = (messageId: number, over: Partial<Jt808Header> = {}): Jt808Header => ({
  messageId,
  version: '2013',
  protocolVersion: 0,
  phone: '13800138000',
  phoneDigits: '013800138000',
  serial: 1,
  encrypted: false,
  encryption: 0,
  subpackage: null,
  bodyLength: 0,
  ...over,
});

const fix = { lat: 36.8, lon: 118.3, fixTimeMs: Date.parse('2026-11-26T08:30:15+08:00') };

describe('decodeFrame refuses', () => {
  it.each([
    ['a frame shorter than any header', '7e 02', 'truncated'],
    ['a body shorter than the header declares', '0200 0005 013800138000 0001 0102', 'bad_body'],
    ['a body longer than the header declares', '0002 0000 013800138000 0001 00', 'bad_body'],
    ['a 2019 frame cut inside its header', '0002 4000 01 0000000001380013', 'truncated'],
    ['a phone number that is not BCD', '0002 0000 01380013800a 0001', 'bad_header'],
    ['a sub-package index beyond the total', '0002 2000 013800138000 0001 0002 0003', 'bad_header'],
    ['a sub-package index of zero', '0002 2000 013800138000 0001 0002 0000', 'bad_header'],
  ])('%s', (_name, hex, reason) => {
    const result = decodeFrame(content(hex));
    expect('error' in result && result.error.reason).toBe(reason);
  });

  it('a frame whose check code does not match', () => {
    const bytes = content('0002 0000 013800138000 0001');
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    expect(decodeFrame(bytes)).toMatchObject({ error: { reason: 'bad_checksum' } });
  });
});

describe('decodeMessage names what is wrong', () => {
  it('leaves ids it does not read as unknown', () => {
    expect(decodeMessage(header(0x0900), Buffer.from('01', 'hex'))).toEqual({ kind: 'unknown', messageId: 0x0900 });
  });

  it('does not read encrypted bodies', () => {
    expect(decodeMessage(header(0x0200, { encrypted: true, encryption: 1 }), encodeLocation(fix))).toMatchObject({ kind: 'malformed', messageId: 0x0200 });
  });

  it.each([
    ['a location body shorter than 28 bytes', 0x0200, '00'.repeat(27), /shorter than 28/],
    ['a general response shorter than 5 bytes', 0x0001, '00010002', /needs 5/],
    ['a registration shorter than the 2011 layout', 0x0100, '00'.repeat(24), /needs at least/],
    ['a 2013 authentication without a code', 0x0102, '', /empty/],
    ['a batch without its count and type', 0x0704, '0001', /needs 3/],
  ])('%s', (_name, id, hex, detail) => {
    const message = decodeMessage(header(id), Buffer.from(hex, 'hex'));
    expect(message.kind).toBe('malformed');
    if (message.kind === 'malformed') expect(message.detail).toMatch(detail);
  });

  it('a 2019 authentication whose code length runs past the body', () => {
    expect(decodeMessage(header(0x0102, { version: '2019' }), Buffer.from('0a3132', 'hex'))).toMatchObject({ kind: 'malformed' });
  });
});

describe('location bounds', () => {
  it.each([
    ['a month 13', '261326083015'],
    ['30 February', '260230083015'],
    ['hour 24', '261126243015'],
    ['nibbles that are not BCD', '26112608301a'],
    ['all zeros', '000000000000'],
  ])('makes a fix time of %s an error, never NaN', (_name, bcdTime) => {
    const body = encodeLocation(fix);
    Buffer.from(bcdTime, 'hex').copy(body, 22);
    expect(decodeLocation(body)).toEqual({ error: expect.stringMatching(/fix time/) as unknown });
  });

  it('reads 29 February of a leap year', () => {
    const body = encodeLocation(fix);
    Buffer.from('280229000000', 'hex').copy(body, 22);
    expect(decodeLocation(body)).toMatchObject({ fixTimeMs: Date.parse('2028-02-29T00:00:00+08:00') });
  });

  it('keeps the items that fit when one runs past the body', () => {
    const body = Buffer.concat([encodeLocation({ ...fix, mileageKm: 5 }), Buffer.from('300901', 'hex')]);
    const location = decodeLocation(body);
    expect(location).toMatchObject({ mileageKm: 5, signal: null, extrasTruncated: true });
  });

  it('reads at most MAX_LOCATION_EXTRAS additional items', () => {
    const items = Buffer.alloc(2 * 200);
    for (let i = 0; i < 200; i++) items[2 * i] = 0xe0 + (i % 16);
    const location = decodeLocation(Buffer.concat([encodeLocation(fix), items]));
    if ('error' in location) throw new Error(location.error);
    expect(location.extrasTruncated).toBe(true);
    expect(location.extras.size).toBeLessThanOrEqual(MAX_LOCATION_EXTRAS);
  });

  it('leaves a known item with the wrong length out of its typed field (raw value kept)', () => {
    const body = Buffer.concat([encodeLocation(fix), Buffer.from('31020a0b', 'hex')]);
    expect(decodeLocation(body)).toMatchObject({ satellites: null, extrasTruncated: false });
  });
});

describe('batch bounds', () => {
  it('cannot be made to read more items than its body holds', () => {
    const one = encodeLocation(fix);
    const body = Buffer.concat([Buffer.from('ffff00', 'hex'), Buffer.from([0, one.length]), one]);
    const message = decodeMessage(header(0x0704), body);
    if (message.kind !== 'bulk_location') throw new Error(message.kind);
    expect(message.locations).toHaveLength(2);
    expect(message.locations[0]).toMatchObject({ lat: 36.8 });
    expect(message.locations[1]).toEqual({ error: 'batch declares 65535 locations, the body holds 1' });
  });

  it('reports an item that declares more bytes than remain, and one with a bad time, keeping the good ones', () => {
    const good = encodeLocation(fix);
    const badTime = encodeLocation(fix);
    badTime.fill(0x99, 22, 28);
    const body = Buffer.concat([Buffer.from('000301', 'hex'), Buffer.from([0, good.length]), good, Buffer.from([0, badTime.length]), badTime, Buffer.from('00ff00', 'hex')]);
    const message = decodeMessage(header(0x0704), body);
    if (message.kind !== 'bulk_location') throw new Error(message.kind);
    expect(message.locations.map((l) => ('error' in l ? l.error : 'ok'))).toEqual(['ok', 'fix time 999999999999 is not a date and time', 'location 3 of 3 declares 255 bytes, 1 remain']);
  });
});

describe('encodeFrame and decodeFrame agree on edge headers', () => {
  it('a 2019 phone of 20 digits and the all-zero phone', () => {
    for (const phone of ['12345678901234567890', '0']) {
      const wire = encodeFrame({ messageId: 0x0002, phone, serial: 0, version: '2019' }, Buffer.alloc(0));
      const decoded = decodeFrame(unescape(wire.subarray(1, -1))!);
      expect('header' in decoded && decoded.header.phone).toBe(phone);
    }
  });
});
