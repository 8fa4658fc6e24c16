import { describe, expect, it } from 'vitest';
import { Jt808FrameSplitter } from './framing.js';
import { decodeFrame, encodeSubpackagedFrames, type Jt808Header } from './header.js';
import { Jt808Reassembler } from './reassembler.js';

/** A terminal's sub-packaged upload, through the splitter and decodeFrame as the gateway receives it. */
function pieces(body: Buffer, pieceBytes: number, serial = 100, phone = '13800138000', messageId = 0x0704): Array<{ header: Jt808Header; body: Buffer }> {
  const wire = Buffer.concat(encodeSubpackagedFrames({ messageId, phone, serial, version: '2019' }, body, pieceBytes));
  return new Jt808FrameSplitter().push(wire).map((raw) => {
    if ('error' in raw) throw new Error(raw.error.detail);
    const decoded = decodeFrame(raw.bytes);
    if ('error' in decoded) throw new Error(decoded.error.detail);
    return decoded;
  });
}

const payload = (n: number, seed = 1): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff));

describe('Jt808Reassembler', () => {
  it('returns the whole body when the last piece arrives, in any order', () => {
    const body = payload(2500);
    const parts = pieces(body, 1000);
    expect(parts.map((p) => p.header.subpackage)).toEqual([
      { total: 3, index: 1 },
      { total: 3, index: 2 },
      { total: 3, index: 3 },
    ]);
    const r = new Jt808Reassembler();
    expect(r.add(parts[2]!.header, parts[2]!.body, 0)).toBeNull();
    expect(r.add(parts[0]!.header, parts[0]!.body, 1)).toBeNull();
    expect(r.size).toBe(1);
    expect(r.add(parts[1]!.header, parts[1]!.body, 2)).toEqual(body);
    expect(r.size).toBe(0);
    expect(r.bytes).toBe(0);
  });

  it('keeps two uploads of one terminal apart by their first serial', () => {
    const a = pieces(payload(30, 1), 10, 65534);
    const b = pieces(payload(30, 2), 10, 1);
    const r = new Jt808Reassembler();
    for (const p of [a[0]!, b[0]!, a[1]!, b[1]!]) expect(r.add(p.header, p.body, 0)).toBeNull();
    expect(r.add(a[2]!.header, a[2]!.body, 0)).toEqual(payload(30, 1));
    expect(r.add(b[2]!.header, b[2]!.body, 0)).toEqual(payload(30, 2));
  });

  it('passes a body that is not sub-packaged straight through', () => {
    const [whole] = pieces(payload(20), 1023);
    expect(whole!.header.subpackage).toEqual({ total: 1, index: 1 });
    expect(new Jt808Reassembler().add(whole!.header, whole!.body, 0)).toEqual(payload(20));
  });

  it('drops a message whose pieces do not all come within the time to live', () => {
    const parts = pieces(payload(30), 10);
    const r = new Jt808Reassembler({ ttlMs: 1000 });
    r.add(parts[0]!.header, parts[0]!.body, 0);
    r.add(parts[1]!.header, parts[1]!.body, 500);
    expect(r.sweep(999)).toBe(0);
    expect(r.sweep(1000)).toBe(1);
    expect(r.add(parts[2]!.header, parts[2]!.body, 1001)).toBeNull();
    expect(r.dropped).toBe(1);
  });

  it('holds at most maxPending messages, dropping the oldest', () => {
    const r = new Jt808Reassembler({ maxPending: 2 });
    const uploads = [1, 1000, 2000].map((serial) => pieces(payload(20), 10, serial));
    for (const upload of uploads) r.add(upload[0]!.header, upload[0]!.body, 0);
    expect(r.size).toBe(2);
    expect(r.add(uploads[0]![1]!.header, uploads[0]![1]!.body, 0)).toBeNull();
    expect(r.add(uploads[2]![1]!.header, uploads[2]![1]!.body, 0)).toEqual(payload(20));
  });

  it('holds at most maxBytes, and never a message that alone exceeds them', () => {
    const r = new Jt808Reassembler({ maxBytes: 2_000 });
    const big = pieces(payload(5_000), 1000);
    for (const p of big) expect(r.add(p.header, p.body, 0)).toBeNull();
    expect(r.bytes).toBeLessThanOrEqual(2_000);
    const small = pieces(payload(1_500), 1000, 500);
    r.add(small[0]!.header, small[0]!.body, 0);
    expect(r.add(small[1]!.header, small[1]!.body, 0)).toEqual(payload(1_500));
    expect(r.bytes).toBeLessThanOrEqual(2_000);
  });
});
