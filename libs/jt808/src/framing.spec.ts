import { describe, expect, it } from 'vitest';
import { checksum, escape, Jt808FrameSplitter, JT808_MAX_FRAME_BYTES, unescape, type Jt808RawFrame } from './framing.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const bytesOf = (frames: Jt808RawFrame[]): string[] => frames.map((f) => ('bytes' in f ? f.bytes.toString('hex') : `error:${f.error.reason}`));

// A recorded 2013 heartbeat (cuteLittleDevil/go-jt808 reply tests): 7e 0002 0000 012345678901 7fff 0a 7e
const HEARTBEAT = '7e000200000123456789017fff0a7e';
const HEARTBEAT_CONTENT = '000200000123456789017fff0a';

describe('escape and unescape', () => {
  it('escapes 0x7e as 7d 02 and 0x7d as 7d 01, and back', () => {
    expect(escape(hex('30 7e 08 7d 55')).toString('hex')).toBe('307d02087d0155');
    expect(unescape(hex('30 7d 02 08 7d 01 55'))!.toString('hex')).toBe('307e087d55');
  });

  it('leaves content without flag or escape bytes as it is', () => {
    expect(escape(hex('010203')).toString('hex')).toBe('010203');
    expect(unescape(hex('010203'))!.toString('hex')).toBe('010203');
  });

  it('refuses an escape byte followed by anything but 01/02, a trailing 7d, or a bare flag', () => {
    expect(unescape(hex('7d 03'))).toBeNull();
    expect(unescape(hex('01 7d'))).toBeNull();
    expect(unescape(hex('01 7e 02'))).toBeNull();
  });

  it('computes the check code as the XOR of every byte', () => {
    expect(checksum(hex('000200000123456789017fff'))).toBe(0x0a);
    expect(checksum(Buffer.alloc(0))).toBe(0);
  });
});

describe('Jt808FrameSplitter', () => {
  it('yields the unescaped content between the flags of a whole frame', () => {
    expect(bytesOf(new Jt808FrameSplitter().push(hex(HEARTBEAT)))).toEqual([HEARTBEAT_CONTENT]);
  });

  it('reassembles a frame fed one byte at a time, holding only the frame begun', () => {
    const splitter = new Jt808FrameSplitter();
    const frames: Jt808RawFrame[] = [];
    const wire = hex(HEARTBEAT);
    for (let i = 0; i < wire.length; i++) {
      frames.push(...splitter.push(wire.subarray(i, i + 1)));
      if (i > 0 && i < wire.length - 1) expect(splitter.buffered).toBe(i);
    }
    expect(bytesOf(frames)).toEqual([HEARTBEAT_CONTENT]);
    expect(splitter.buffered).toBe(0);
  });

  it('unescapes across chunk boundaries (the escape byte at the end of one chunk)', () => {
    // Recorded 2013 location with both escapes (SmallChi/JT808 demo data): serial 007e, an extra item 007d.
    const wire = hex(
      '7E 02 00 00 26 12 34 56 78 90 12 00 7D 02 00 00 00 01 00 00 00 02 00 BA 7F 0E 07 E4 F1 1C 00 28 00 3C 00 00 18 10 15 10 10 10 01 04 00 00 00 64 02 02 00 7D 01 13 7E',
    );
    const cut = wire.indexOf(0x7d) + 1;
    const splitter = new Jt808FrameSplitter();
    const frames = [...splitter.push(wire.subarray(0, cut)), ...splitter.push(wire.subarray(cut))];
    expect(frames).toHaveLength(1);
    const content = (frames[0] as { bytes: Buffer }).bytes;
    expect(content.length).toBe(wire.length - 4);
    expect(content.readUInt16BE(10)).toBe(0x007e);
    expect(content.indexOf(0x7d)).toBeGreaterThan(0);
  });

  it('drops garbage before the first flag and reads back-to-back frames', () => {
    const splitter = new Jt808FrameSplitter();
    const frames = splitter.push(Buffer.concat([Buffer.from('GET / HTTP/1.1\r\n'), hex(HEARTBEAT), hex(HEARTBEAT)]));
    expect(bytesOf(frames)).toEqual([HEARTBEAT_CONTENT, HEARTBEAT_CONTENT]);
    expect(splitter.droppedBytes).toBe(16);
  });

  it('reads frames that share one flag (7e A 7e B 7e)', () => {
    const shared = `7e${HEARTBEAT_CONTENT}7e${HEARTBEAT_CONTENT}7e`;
    expect(bytesOf(new Jt808FrameSplitter().push(hex(shared)))).toEqual([HEARTBEAT_CONTENT, HEARTBEAT_CONTENT]);
  });

  it('ignores runs of flags (no empty frames)', () => {
    expect(bytesOf(new Jt808FrameSplitter().push(hex(`7e7e7e7e${HEARTBEAT_CONTENT}7e7e7e`)))).toEqual([HEARTBEAT_CONTENT]);
  });

  it('reports a bad escape and carries on with the next frame', () => {
    const frames = new Jt808FrameSplitter().push(hex(`7e 0102 7d 03 0405 7e ${HEARTBEAT}`));
    expect(bytesOf(frames)).toEqual(['error:bad_escape', HEARTBEAT_CONTENT]);
    expect(bytesOf(new Jt808FrameSplitter().push(hex('7e 0102 7d 7e')))).toEqual(['error:bad_escape']);
  });

  it('caps a frame being assembled: oversized once it closes, nothing beyond the cap held meanwhile', () => {
    const splitter = new Jt808FrameSplitter({ maxFrameBytes: 64 });
    expect(splitter.push(Buffer.concat([hex('7e'), Buffer.alloc(10_000, 0x11)]))).toEqual([]);
    expect(splitter.buffered).toBe(0);
    const frames = splitter.push(Buffer.concat([hex('7e'), hex(HEARTBEAT)]));
    expect(bytesOf(frames)).toEqual(['error:oversized', HEARTBEAT_CONTENT]);
  });

  it('holds at most the protocol maximum by default', () => {
    const splitter = new Jt808FrameSplitter();
    splitter.push(Buffer.concat([hex('7e'), Buffer.alloc(JT808_MAX_FRAME_BYTES, 0x22)]));
    expect(splitter.buffered).toBe(JT808_MAX_FRAME_BYTES);
    splitter.push(Buffer.alloc(1, 0x22));
    expect(splitter.buffered).toBe(0);
    expect(bytesOf(splitter.push(hex('7e')))).toEqual(['error:oversized']);
  });
});
