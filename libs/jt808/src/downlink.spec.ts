/**
 * Platform replies and commands, checked byte for byte against the replies recorded in public
 * decoders' tests (cuteLittleDevil/go-jt808 reply tests, makeclan/xtream-codec sample data).
 */
import { describe, expect, it } from 'vitest';
import { dwordParam, platformGeneralResponse, registerResponse, setParameters, TERMINAL_PARAM, terminalControl, textMessage } from './downlink.js';
import { Jt808FrameSplitter } from './framing.js';
import { decodeFrame, encodeFrame, type Jt808EncodeHeader } from './header.js';
import { MSG } from './messages.js';

const GO_2013 = { phone: '12345678901', serial: 0, version: '2013' } as const;
const GO_2019 = { phone: '17299841738', serial: 0, version: '2019', protocolVersion: 1 } as const;
const XTREAM_2019 = { phone: '13912344329', serial: 0, version: '2019', protocolVersion: 1 } as const;

describe('replies, recorded frames', () => {
  const cases: Array<[string, Omit<Jt808EncodeHeader, 'messageId'> & { messageId: number }, Buffer, string]> = [
    ['heartbeat answered, 2013 (go-jt808)', { messageId: MSG.platformGeneralResponse, ...GO_2013 }, platformGeneralResponse(0x7fff, 0x0002, 0), '7e8001000501234567890100007fff0002008e7e'],
    ['heartbeat answered, 2019 (go-jt808)', { messageId: MSG.platformGeneralResponse, ...GO_2019 }, platformGeneralResponse(0xffff, 0x0002, 0), '7e8001400501000000000172998417380000ffff000200867e'],
    ['authentication refused, 2013 (go-jt808)', { messageId: MSG.platformGeneralResponse, ...GO_2013 }, platformGeneralResponse(0, 0x0102, 1), '7e80010005012345678901000000000102010e7e'],
    ['authentication accepted, 2019 (go-jt808)', { messageId: MSG.platformGeneralResponse, ...GO_2019 }, platformGeneralResponse(0, 0x0102, 0), '7e80014005010000000001729984173800000000010200877e'],
    ['location answered, 2013 (go-jt808)', { messageId: MSG.platformGeneralResponse, ...GO_2013 }, platformGeneralResponse(0x7fff, 0x0200, 0), '7e8001000501234567890100007fff0200008e7e'],
    ['batch answered, 2013 (go-jt808)', { messageId: MSG.platformGeneralResponse, ...GO_2013 }, platformGeneralResponse(0x7fff, 0x0704, 0), '7e8001000501234567890100007fff0704008f7e'],
    ['batch answered, 2019 (go-jt808)', { messageId: MSG.platformGeneralResponse, ...GO_2019 }, platformGeneralResponse(0xffff, 0x0704, 0), '7e8001400501000000000172998417380000ffff070400877e'],
    ['location answered, 2019 (xtream)', { messageId: MSG.platformGeneralResponse, ...XTREAM_2019 }, platformGeneralResponse(111, 0x0200, 0), '7e8001400501000000000139123443290000006f020000dc7e'],
    ['registration accepted, 2013 (go-jt808)', { messageId: MSG.registerResponse, ...GO_2013 }, registerResponse(0, 0, '12345678901'), '7e8100000e01234567890100000000003132333435363738393031377e'],
    ['registration accepted, 2019 (go-jt808)', { messageId: MSG.registerResponse, ...GO_2019 }, registerResponse(0, 0, '17299841738'), '7e8100400e010000000001729984173800000000003137323939383431373338ba7e'],
    ['registration accepted, 2019 (xtream)', { messageId: MSG.registerResponse, ...XTREAM_2019 }, registerResponse(111, 0, 'ok..ok..ok'), '7e8100400d01000000000139123443290000006f006f6b2e2e6f6b2e2e6f6bd27e'],
    [
      'GBK text, 2013 (xtream)',
      { messageId: MSG.textMessage, phone: '13912344323', serial: 0, version: '2013' },
      textMessage('HelloWorld 汉字 GBK 编码', 1, '2013'),
      '7e8300001901391234432300000148656c6c6f576f726c6420babad7d62047424b20b1e0c2ebf27e',
    ],
    [
      'GBK text, 2019 (xtream)',
      { messageId: MSG.textMessage, ...XTREAM_2019 },
      textMessage('HelloWorld 汉字 GBK 编码', 1, '2019'),
      '7e8300401a01000000000139123443290000010148656c6c6f576f726c6420babad7d62047424b20b1e0c2ebbb7e',
    ],
  ];

  it.each(cases)('%s', (_name, header, body, wire) => {
    expect(encodeFrame(header, body).toString('hex')).toBe(wire);
  });
});

describe('commands', () => {
  it('refuses registration without an authentication code unless it succeeded', () => {
    expect(registerResponse(7, 2, 'ignored').toString('hex')).toBe('000702');
  });

  it('sends a terminal control with its parameters', () => {
    expect(terminalControl(4).toString('hex')).toBe('04');
    expect(terminalControl(2, '0;;;;;;10.0.0.1;7611;;;').toString('hex')).toBe('02' + Buffer.from('0;;;;;;10.0.0.1;7611;;;').toString('hex'));
  });

  it('sets a speed cap: count, then id DWORD, length BYTE, value', () => {
    const body = setParameters([
      { id: TERMINAL_PARAM.maxSpeedKmh, value: dwordParam(60) },
      { id: TERMINAL_PARAM.overspeedDurationS, value: dwordParam(10) },
    ]);
    expect(body.toString('hex')).toBe('02' + '00000055' + '04' + '0000003c' + '00000056' + '04' + '0000000a');
  });

  it('escapes flag bytes in the body and the check code', () => {
    // serial 0x7e7d travels as 7d02 7d01
    const frame = encodeFrame({ messageId: MSG.platformGeneralResponse, phone: '13800138000', serial: 0x7e7d, version: '2013' }, platformGeneralResponse(0x7e, 0x7d, 0));
    expect(frame.subarray(1, -1).includes(0x7e)).toBe(false);
    const [raw] = new Jt808FrameSplitter().push(frame);
    if (!raw || 'error' in raw) throw new Error('no frame');
    const decoded = decodeFrame(raw.bytes);
    if ('error' in decoded) throw new Error(decoded.error.detail);
    expect(decoded.header).toMatchObject({ messageId: 0x8001, phone: '13800138000', phoneDigits: '013800138000', serial: 0x7e7d });
    expect(decoded.body.toString('hex')).toBe('007e007d00');
  });

  it('throws on what cannot be sent: an over-long text, a phone that is not digits', () => {
    expect(() => textMessage('渣'.repeat(600))).toThrow(RangeError);
    expect(() => encodeFrame({ messageId: 0x8001, phone: '1380013800A', serial: 0, version: '2013' }, Buffer.alloc(0))).toThrow(RangeError);
    expect(() => encodeFrame({ messageId: 0x8001, phone: '1'.repeat(13), serial: 0, version: '2013' }, Buffer.alloc(0))).toThrow(RangeError);
    expect(() => platformGeneralResponse(70_000, 1, 0)).toThrow(RangeError);
  });
});
