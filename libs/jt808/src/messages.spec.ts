/**
 * Recorded terminal frames (./testing/recorded-frames.ts), one case per frame, through the whole
 * receive path: splitter → decodeFrame → decodeMessage. The expectations are ours.
 */
import { describe, expect, it } from 'vitest';
import { Jt808FrameSplitter } from './framing.js';
import { decodeFrame, type Jt808Header } from './header.js';
import type { Jt808Location } from './location.js';
import { decodeMessage, type Jt808Message } from './messages.js';
import { recordedWire, type RecordedFrameName } from './testing/recorded-frames.js';

/** Beijing wall-clock time as the terminal wrote it, to epoch ms. */
const bj = (local: string): number => Date.parse(`${local}+08:00`);

function receive(name: RecordedFrameName): { header: Jt808Header; message: Jt808Message } {
  const frames = new Jt808FrameSplitter().push(recordedWire(name));
  expect(frames).toHaveLength(1);
  const frame = frames[0]!;
  if ('error' in frame) throw new Error(`splitter: ${frame.error.reason}`);
  const decoded = decodeFrame(frame.bytes);
  if ('error' in decoded) throw new Error(`decodeFrame: ${decoded.error.reason} ${decoded.error.detail}`);
  return { header: decoded.header, message: decodeMessage(decoded.header, decoded.body) };
}

type HeaderExpectation = Pick<Jt808Header, 'version' | 'phone' | 'serial'> & Partial<Jt808Header>;
type LocationExpectation = Partial<Omit<Jt808Location, 'extras'>> & { extraIds?: number[] };

function expectLocation(location: Jt808Location | { error: string }, expected: LocationExpectation): void {
  if ('error' in location) throw new Error(location.error);
  const { extraIds, ...fields } = expected;
  expect(location).toMatchObject(fields);
  if (extraIds) expect([...location.extras.keys()]).toEqual(extraIds);
  expect(Number.isFinite(location.fixTimeMs)).toBe(true);
}

describe('location reports (0x0200), recorded frames', () => {
  const cases: Array<[RecordedFrameName, HeaderExpectation, LocationExpectation]> = [
    [
      'locationTraccarMileageSignal',
      { version: '2013', phone: '1601285614', phoneDigits: '001601285614', serial: 2, protocolVersion: 0 },
      {
        alarm: 0, status: 0x40001, lat: 6.152695, lon: 106.720495, altitudeM: 0, speedKmh: 0, headingDeg: 0,
        fixTimeMs: bj('2017-01-17T10:04:42'), valid: false, accOn: true, loadState: 'empty',
        mileageKm: 4326.4, signal: 27, satellites: 3, recorderSpeedKmh: null, extraIds: [0x01, 0x2a, 0x30, 0x31],
      },
    ],
    [
      'locationTraccarRecorderSpeed',
      { version: '2013', phone: '13833501744', phoneDigits: '013833501744', serial: 25 },
      {
        status: 0xc2, lat: 22.6426, lon: 114.032984, altitudeM: 128, headingDeg: 8, fixTimeMs: bj('2015-08-18T07:21:21'),
        valid: true, accOn: false, mileageKm: 75.7, recorderSpeedKmh: 0, signal: null, satellites: null, extraIds: [0x01, 0x02, 0x03],
      },
    ],
    [
      'locationTraccarIccidItem',
      { version: '2013', phone: '30300000228', serial: 66 },
      {
        status: 3, lat: 23.169716, lon: 113.450696, headingDeg: 5, fixTimeMs: bj('2018-09-21T16:14:57'), valid: true, accOn: true,
        mileageKm: 114.4, signal: 16, satellites: 10, extraIds: [0x01, 0x30, 0x31, 0xeb],
      },
    ],
    [
      'locationTraccarSouthWest',
      { version: '2013', phone: '1401249917', serial: 7 },
      { status: 0x400e, lat: -19.591535, lon: -46.912186, fixTimeMs: bj('2015-01-01T19:42:57'), valid: true, accOn: false, mileageKm: 11.9 },
    ],
    [
      'locationTraccarWestAlarm',
      { version: '2013', phone: '94027587492', serial: 10 },
      { alarm: 1, status: 0x0a, lat: 50.871735, lon: -1.255923, speedKmh: 2, fixTimeMs: bj('2013-04-12T16:49:52'), mileageKm: 1.8, extraIds: [0x01, 0x36] },
    ],
    [
      'locationNetEscaped',
      { version: '2013', phone: '123456789012', serial: 0x7e },
      {
        alarm: 1, status: 2, lat: 12.222222, lon: 132.444444, altitudeM: 40, speedKmh: 6, headingDeg: 0,
        fixTimeMs: bj('2018-10-15T10:10:10'), valid: true, mileageKm: 10, extraIds: [0x01, 0x02],
      },
    ],
    [
      'locationGo2013',
      { version: '2013', phone: '12345678901', phoneDigits: '012345678901', serial: 0x7fff },
      {
        alarm: 1024, status: 2048, lat: 116.307629, lon: 40.058359, altitudeM: 312, speedKmh: 0.3, headingDeg: 99,
        fixTimeMs: bj('2020-07-07T19:23:59'), valid: false, mileageKm: 1.1, recorderSpeedKmh: 3.3, signal: 30, satellites: 40,
        extraIds: [0x01, 0x02, 0x03, 0x04, 0x05, 0x11, 0x12, 0x13, 0x25, 0x2a, 0x2b, 0x30, 0x31],
      },
    ],
    [
      'locationGo2019',
      { version: '2019', protocolVersion: 1, phone: '17299841738', phoneDigits: '00000000017299841738', serial: 0xffff },
      { alarm: 1024, status: 2048, lat: 116.307629, lon: 40.058359, speedKmh: 0.3, fixTimeMs: bj('2020-07-07T19:23:59'), satellites: 40 },
    ],
    [
      'locationXtream2019',
      { version: '2019', protocolVersion: 1, phone: '13912344329', phoneDigits: '00000000013912344329', serial: 0 },
      {
        alarm: 111, status: 22, lat: -31.234567, lon: 121.987654, altitudeM: 123, speedKmh: 6.6, headingDeg: 3,
        fixTimeMs: bj('2025-01-29T22:33:44'), valid: true, accOn: false, mileageKm: 1.2, extraIds: [0x02, 0x01],
      },
    ],
    [
      'locationXtream2019SouthWest',
      { version: '2019', phone: '13912344329', serial: 0 },
      {
        alarm: 123, status: 222, lat: -31.000562, lon: -121.451372, altitudeM: 666, speedKmh: 7.8, fixTimeMs: bj('2014-10-21T19:51:09'),
        mileageKm: 11.1, recorderSpeedKmh: 66.6, signal: 33, satellites: 55, extraIds: [0x01, 0x02, 0x03, 0x04, 0x25, 0x30, 0x12, 0x13, 0x31, 0x64],
      },
    ],
  ];

  it.each(cases)('%s', (name, header, location) => {
    const received = receive(name);
    expect(received.header).toMatchObject({ messageId: 0x0200, encrypted: false, subpackage: null, ...header });
    expect(received.message.kind).toBe('location');
    if (received.message.kind === 'location') expectLocation(received.message.location, location);
  });
});

describe('batch location reports (0x0704), recorded frames', () => {
  const cases: Array<[RecordedFrameName, HeaderExpectation, { type: number; count: number; first: LocationExpectation; last?: LocationExpectation }]> = [
    [
      'bulkTraccarBackfill2013',
      { version: '2013', phone: '13567777777', serial: 2037 },
      {
        type: 1, count: 8,
        first: { lat: 22.639634, lon: 114.031952, altitudeM: 370, headingDeg: 1, fixTimeMs: bj('2016-05-27T09:06:24'), valid: true, accOn: true, mileageKm: 2.9 },
        last: { fixTimeMs: bj('2016-05-27T09:10:02') },
      },
    ],
    [
      'bulkGo2013',
      { version: '2013', phone: '12345678901', serial: 0x7fff },
      { type: 1, count: 3, first: { alarm: 1024, status: 2048, lat: 116.307629, lon: 40.058359, headingDeg: 99, fixTimeMs: bj('2020-07-07T19:23:59') } },
    ],
    [
      'bulkXtream2019',
      { version: '2019', phone: '13912344329', serial: 0 },
      {
        type: 0, count: 2,
        first: { alarm: 1, status: 1, lat: 31.000562, lon: 121.451372, altitudeM: 666, speedKmh: 3.3, headingDeg: 89, fixTimeMs: bj('2024-10-29T21:39:03'), accOn: true, valid: false },
        last: { lat: 31.000563, lon: 121.451373, altitudeM: 777, speedKmh: 6.7, headingDeg: 90 },
      },
    ],
    [
      'bulkGo2019',
      { version: '2019', phone: '17299841738', serial: 0xffff },
      { type: 1, count: 3, first: { lat: 116.307629, lon: 40.058359, fixTimeMs: bj('2020-07-07T19:23:59') } },
    ],
  ];

  it.each(cases)('%s', (name, header, expected) => {
    const received = receive(name);
    expect(received.header).toMatchObject({ messageId: 0x0704, ...header });
    const message = received.message;
    if (message.kind !== 'bulk_location') throw new Error(message.kind);
    expect(message.type).toBe(expected.type);
    expect(message.locations).toHaveLength(expected.count);
    expectLocation(message.locations[0]!, expected.first);
    if (expected.last) expectLocation(message.locations[expected.count - 1]!, expected.last);
  });
});

describe('registration (0x0100), recorded frames', () => {
  const cases: Array<[RecordedFrameName, HeaderExpectation, Omit<Extract<Jt808Message, { kind: 'register' }>, 'kind'>]> = [
    [
      'registerTraccar2013',
      { version: '2013', phone: '14130567872', serial: 36 },
      { province: 44, city: 303, makerId: '70111', model: 'BSJ-A6-BD', terminalId: '0567872', plateColor: 1, plate: '粤B88888' },
    ],
    [
      // model padded with NULs before the text
      'registerTraccar2013LeftPadded',
      { version: '2013', phone: '13511221122', serial: 5 },
      { province: 0, city: 0, makerId: '70107', model: 'HB-R03GBD', terminalId: '2366104', plateColor: 2, plate: '苏BA6860' },
    ],
    [
      // 33-byte body: the JT/T 808-2011 layout (8-byte model) under a 2013 header
      'registerTraccar2011',
      { version: '2013', phone: '13345678906', serial: 15 },
      { province: 44, city: 303, makerId: '70111', model: 'BSJ-M7B', terminalId: '0000000', plateColor: 1, plate: '粤B88888' },
    ],
    [
      'registerGo2011',
      { version: '2013', phone: '12345678901', serial: 0 },
      { province: 31, city: 115, makerId: 'cd', model: 'www.808.', terminalId: '7654321', plateColor: 1, plate: '测A1234' },
    ],
    [
      'registerGo2013',
      { version: '2013', phone: '12345678901', serial: 0 },
      { province: 31, city: 115, makerId: 'cd', model: 'www.808.com', terminalId: '7654321', plateColor: 1, plate: '测A1234' },
    ],
    [
      'registerGo2019',
      { version: '2019', protocolVersion: 1, phone: '17299841738', serial: 0 },
      { province: 31, city: 115, makerId: 'cd', model: 'www.808.com', terminalId: '7654321', plateColor: 1, plate: '测A1234' },
    ],
    [
      'registerScala2019',
      { version: '2019', protocolVersion: 1, phone: '13305189341', serial: 3 },
      { province: 44, city: 303, makerId: '44030070111', model: 'BSJ-GF06T', terminalId: '5189341', plateColor: 2, plate: '粤B88888' },
    ],
  ];

  it.each(cases)('%s', (name, header, expected) => {
    const received = receive(name);
    expect(received.header).toMatchObject({ messageId: 0x0100, ...header });
    expect(received.message).toEqual({ kind: 'register', ...expected });
  });
});

describe('authentication (0x0102), recorded frames', () => {
  const cases: Array<[RecordedFrameName, HeaderExpectation, Jt808Message]> = [
    ['authTraccar2013', { version: '2013', phone: '13511221122', serial: 6 }, { kind: 'authenticate', authCode: 'authentication' }],
    ['authTraccar2013Digits', { version: '2013', phone: '94027849470', serial: 132 }, { kind: 'authenticate', authCode: '2011110811332196' }],
    ['authGo2013', { version: '2013', phone: '12345678901', serial: 0 }, { kind: 'authenticate', authCode: '17299841738' }],
    [
      'authGo2019',
      { version: '2019', protocolVersion: 1, phone: '17299841738', serial: 0 },
      { kind: 'authenticate', authCode: '17299841738', imei: '123456789012345', softwareVersion: '3.7.15' },
    ],
    // The 2019 bit is set but the header is 2013's: the declared length decides.
    ['authNet2019BitOn2013Header', { version: '2013', protocolVersion: 0, phone: '10030000681', serial: 0x0902 }, { kind: 'authenticate', authCode: 'J10030000681' }],
  ];

  it.each(cases)('%s', (name, header, expected) => {
    const received = receive(name);
    expect(received.header).toMatchObject({ messageId: 0x0102, ...header });
    expect(received.message).toEqual(expected);
  });
});

describe('heartbeat (0x0002) and terminal general response (0x0001), recorded frames', () => {
  const cases: Array<[RecordedFrameName, HeaderExpectation & { messageId: number }, Jt808Message]> = [
    ['heartbeatGo2013', { messageId: 0x0002, version: '2013', phone: '12345678901', serial: 0x7fff, bodyLength: 0 }, { kind: 'heartbeat' }],
    ['heartbeatGo2019', { messageId: 0x0002, version: '2019', phone: '17299841738', serial: 0xffff, bodyLength: 0 }, { kind: 'heartbeat' }],
    ['heartbeatTraccar2013', { messageId: 0x0002, version: '2013', phone: '43048325465', serial: 183 }, { kind: 'heartbeat' }],
    [
      'generalResponseGo2013',
      { messageId: 0x0001, version: '2013', phone: '12345678901', serial: 0x7fff, bodyLength: 5 },
      { kind: 'general_response', replySerial: 123, replyId: 0x01c8, result: 3 },
    ],
  ];

  it.each(cases)('%s', (name, header, expected) => {
    const received = receive(name);
    expect(received.header).toMatchObject(header);
    expect(received.message).toEqual(expected);
  });
});

describe('recorded frames that are not usable', () => {
  it('badChecksumTraccar: a check code that does not match is refused', () => {
    const frames = new Jt808FrameSplitter().push(recordedWire('badChecksumTraccar'));
    const frame = frames[0]!;
    if ('error' in frame) throw new Error(frame.error.reason);
    expect(decodeFrame(frame.bytes)).toEqual({ error: { reason: 'bad_checksum', detail: 'check code 0xd0, computed 0xf0' } });
  });
});
