/**
 * Property tests: random bytes and mutated recorded frames thrown at the whole receive path
 * (splitter → decodeFrame → reassembler → decodeMessage). Nothing may throw, memory stays bounded,
 * and every location that comes out holds finite numbers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checksum, escape, Jt808FrameSplitter, JT808_FLAG, JT808_MAX_FRAME_BYTES, unescape } from './framing.js';
import { decodeFrame } from './header.js';
import type { Jt808Location } from './location.js';
import { decodeMessage, type Jt808Message } from './messages.js';
import { Jt808Reassembler } from './reassembler.js';
import { ALL_RECORDED } from './testing/recorded-frames.js';

const RUNS = 400;

function expectSaneLocation(location: Jt808Location | { error: string }): void {
  if ('error' in location) {
    expect(typeof location.error).toBe('string');
    return;
  }
  for (const n of [location.lat, location.lon, location.altitudeM, location.speedKmh, location.headingDeg, location.fixTimeMs, location.alarm, location.status]) {
    expect(Number.isFinite(n)).toBe(true);
  }
  expect(location.alarm).toBeGreaterThanOrEqual(0);
  expect(location.status).toBeGreaterThanOrEqual(0);
  expect(location.extras.size).toBeLessThanOrEqual(64);
}

function expectSaneMessage(message: Jt808Message): void {
  if (message.kind === 'location') expectSaneLocation(message.location);
  if (message.kind === 'bulk_location') {
    expect(message.locations.length).toBeLessThanOrEqual(1023);
    message.locations.forEach(expectSaneLocation);
  }
}

/** The receive path as the gateway runs it, with its bounds checked after every chunk. */
function receive(chunks: Uint8Array[], maxFrameBytes = JT808_MAX_FRAME_BYTES): number {
  const splitter = new Jt808FrameSplitter({ maxFrameBytes });
  const reassembler = new Jt808Reassembler({ maxPending: 4, maxBytes: 8 * 1024, ttlMs: 1000 });
  let decoded = 0;
  chunks.forEach((chunk, t) => {
    for (const raw of splitter.push(Buffer.from(chunk))) {
      if ('error' in raw) continue;
      expect(raw.bytes.length).toBeLessThanOrEqual(maxFrameBytes);
      const frame = decodeFrame(raw.bytes);
      if ('error' in frame) continue;
      const body = frame.header.subpackage ? reassembler.add(frame.header, frame.body, t * 100) : frame.body;
      if (body === null) continue;
      expectSaneMessage(decodeMessage(frame.header, body));
      decoded++;
    }
    expect(splitter.buffered).toBeLessThanOrEqual(maxFrameBytes + 1);
    expect(reassembler.bytes).toBeLessThanOrEqual(8 * 1024);
    expect(reassembler.size).toBeLessThanOrEqual(4);
  });
  return decoded;
}

/** A recorded frame's content with mutations, re-checksummed (so most reach the body decoders) and escaped for the wire. */
const mutatedFrame = fc
  .record({
    frame: fc.constantFrom(...ALL_RECORDED),
    edits: fc.array(
      fc.oneof(
        fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
        fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 40 }) }),
        fc.record({ op: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 40 }) }),
        fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
      ),
      { maxLength: 4 },
    ),
    fixChecksum: fc.boolean(),
    fixLength: fc.boolean(),
  })
  .map(({ frame, edits, fixChecksum, fixLength }) => {
    const wire = Buffer.from(frame.hex, 'hex');
    let content = unescape(wire.subarray(1, -1)) ?? Buffer.alloc(0);
    content = content.subarray(0, Math.max(0, content.length - 1));
    for (const edit of edits) {
      const at = content.length === 0 ? 0 : edit.at % content.length;
      if (edit.op === 'set' && content.length > 0) {
        content = Buffer.from(content);
        content[at] = edit.value;
      } else if (edit.op === 'insert') content = Buffer.concat([content.subarray(0, at), edit.bytes, content.subarray(at)]);
      else if (edit.op === 'delete') content = Buffer.concat([content.subarray(0, at), content.subarray(at + edit.count)]);
      else if (edit.op === 'truncate') content = content.subarray(0, at);
    }
    if (fixLength && content.length >= 4) {
      // keep the header's body length in step with the edits so the body decoders see them
      content = Buffer.from(content);
      const props = content.readUInt16BE(2);
      const headerBytes = (props & 0x4000 ? 17 : 12) + (props & 0x2000 ? 4 : 0);
      const bodyLength = Math.max(0, Math.min(0x3ff, content.length - headerBytes));
      content.writeUInt16BE((props & ~0x3ff) | bodyLength, 2);
    }
    const check = fixChecksum ? checksum(content) : (checksum(content) ^ 0x5a);
    return Buffer.concat([Buffer.from([JT808_FLAG]), escape(Buffer.concat([content, Buffer.from([check])])), Buffer.from([JT808_FLAG])]);
  });

/** Cut a byte stream into chunks at arbitrary points. */
function chunked(stream: Buffer, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => (stream.length === 0 ? 0 : c % stream.length)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(stream.subarray(from, p));
    from = p;
  }
  chunks.push(stream.subarray(from));
  return chunks;
}

describe('the receive path under hostile input', () => {
  it('never throws on random bytes, and holds at most one frame', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 3000 }), { maxLength: 8 }), fc.integer({ min: 16, max: 4096 }), (chunks, max) => {
        receive(chunks, max);
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws on random bytes rich in flags and escapes', () => {
    const hostileByte = fc.oneof(fc.constantFrom(0x7e, 0x7d, 0x01, 0x02, 0x00, 0x40, 0x20), fc.integer({ min: 0, max: 255 }));
    fc.assert(
      fc.property(fc.array(fc.array(hostileByte, { maxLength: 600 }).map((a) => Uint8Array.from(a)), { maxLength: 10 }), (chunks) => {
        receive(chunks);
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws on mutated recorded frames, cut into chunks anywhere', () => {
    let reachedBodies = 0;
    fc.assert(
      fc.property(fc.array(mutatedFrame, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 6 }), (frames, cuts) => {
        reachedBodies += receive(chunked(Buffer.concat(frames), cuts));
      }),
      { numRuns: RUNS * 2 },
    );
    // The mutants must get past the check code and header, or this property would test nothing.
    expect(reachedBodies).toBeGreaterThan(RUNS / 2);
  });

  it('still decodes every recorded frame when they arrive glued together and cut anywhere', () => {
    const stream = Buffer.concat(ALL_RECORDED.filter((f) => f.name !== 'badChecksumTraccar').map((f) => Buffer.from(f.hex, 'hex')));
    const expected = ALL_RECORDED.length - 1;
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 40 }), (cuts) => {
        expect(receive(chunked(stream, cuts))).toBe(expected);
      }),
      { numRuns: 100 },
    );
  });
});
