/**
 * JT/T 808 framing: 0x7e flags, the 0x7d escape, the XOR check code, and a streaming splitter that
 * turns socket chunks into frames with bounded memory.
 *
 * On the wire a frame is `7e <escaped header + body + check code> 7e`; inside it 0x7e travels as
 * `7d 02` and 0x7d as `7d 01`. The check code is the XOR of every header and body byte.
 */

export const JT808_FLAG = 0x7e;
export const JT808_ESCAPE = 0x7d;

/** The body-length field has 10 bits: no body is longer than this. */
export const JT808_MAX_BODY_BYTES = 0x3ff;
/** The longest header: 2019 layout (17 bytes) with the 4-byte sub-package item. */
export const JT808_MAX_HEADER_BYTES = 21;
/**
 * The longest unescaped frame content (header + body + check code) any valid message can have:
 * 21 + 1023 + 1 = 1045 bytes. A frame being assembled beyond this can never decode, so the
 * splitter drops it as `oversized` rather than holding more.
 */
export const JT808_MAX_FRAME_BYTES = JT808_MAX_HEADER_BYTES + JT808_MAX_BODY_BYTES + 1;

export interface Jt808FrameError {
  reason: 'oversized' | 'bad_escape' | 'bad_checksum' | 'truncated' | 'bad_header' | 'bad_body';
  detail: string;
}

/** One frame out of the splitter: the unescaped content between the flags (check code not yet verified), or why it is unusable. */
export type Jt808RawFrame = { bytes: Buffer } | { error: Jt808FrameError };

/** XOR of every byte. */
export function checksum(buf: Buffer): number {
  let x = 0;
  for (let i = 0; i < buf.length; i++) x ^= buf[i] ?? 0;
  return x;
}

/** Escape frame content for the wire (no flags added). */
export function escape(buf: Buffer): Buffer {
  let extra = 0;
  for (let i = 0; i < buf.length; i++) if (buf[i] === JT808_FLAG || buf[i] === JT808_ESCAPE) extra++;
  if (extra === 0) return Buffer.from(buf);
  const out = Buffer.allocUnsafe(buf.length + extra);
  let j = 0;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i] ?? 0;
    if (b === JT808_FLAG) {
      out[j++] = JT808_ESCAPE;
      out[j++] = 0x02;
    } else if (b === JT808_ESCAPE) {
      out[j++] = JT808_ESCAPE;
      out[j++] = 0x01;
    } else {
      out[j++] = b;
    }
  }
  return out;
}

/**
 * Undo the escape of frame content (without its flags). Returns null when the content holds a bare
 * 0x7e, a 0x7d followed by anything but 01/02, or ends in a lone 0x7d.
 */
export function unescape(buf: Buffer): Buffer | null {
  const out = Buffer.allocUnsafe(buf.length);
  let j = 0;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i] ?? 0;
    if (b === JT808_FLAG) return null;
    if (b !== JT808_ESCAPE) {
      out[j++] = b;
      continue;
    }
    const next = buf[++i];
    if (next === 0x01) out[j++] = JT808_ESCAPE;
    else if (next === 0x02) out[j++] = JT808_FLAG;
    else return null;
  }
  return Buffer.from(out.subarray(0, j));
}

/**
 * Streaming frame splitter for one TCP connection. Feed it every chunk as it arrives; it returns the
 * frames completed by that chunk. It never throws and holds at most `maxFrameBytes` of one frame:
 *
 * - bytes before the first 0x7e are garbage and dropped (counted in `droppedBytes`);
 * - after a frame's closing flag the splitter waits for the next one's opening flag, but a
 *   terminal that shares one flag between two frames (`7e A 7e B 7e`) is read correctly too: any
 *   bytes between two flags are a frame, and an empty one (`7e 7e`) is no frame;
 * - a bad escape makes the frame a `bad_escape` error (its bytes up to the next flag are skipped);
 * - content longer than `maxFrameBytes` (unescaped) makes it an `oversized` error once its closing
 *   flag arrives, and nothing beyond the limit is kept meanwhile.
 */
export class Jt808FrameSplitter {
  private readonly maxFrameBytes: number;
  private frame: Buffer | null = null;
  private length = 0;
  /** Inside a frame (after an opening flag). */
  private open = false;
  private escapePending = false;
  private failure: Jt808FrameError | null = null;
  /** Bytes seen for the current frame, including those skipped after a failure. */
  private seen = 0;
  private dropped = 0;

  constructor(options: { maxFrameBytes?: number } = {}) {
    const max = options.maxFrameBytes ?? JT808_MAX_FRAME_BYTES;
    this.maxFrameBytes = Number.isInteger(max) && max > 0 ? Math.min(max, 1 << 20) : JT808_MAX_FRAME_BYTES;
  }

  /** Bytes of a frame begun but not finished (what the splitter holds). */
  get buffered(): number {
    return this.length + (this.escapePending ? 1 : 0);
  }

  /** Bytes dropped so far because they came before any opening flag. */
  get droppedBytes(): number {
    return this.dropped;
  }

  push(chunk: Buffer): Jt808RawFrame[] {
    const frames: Jt808RawFrame[] = [];
    if (!Buffer.isBuffer(chunk)) return frames;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i] ?? 0;
      if (b === JT808_FLAG) {
        if (this.open && this.seen > 0) frames.push(this.finish());
        this.open = true;
        this.reset();
        continue;
      }
      if (!this.open) {
        this.dropped++;
        continue;
      }
      this.seen++;
      if (this.failure) continue;
      if (this.escapePending) {
        this.escapePending = false;
        if (b === 0x01) this.append(JT808_ESCAPE);
        else if (b === 0x02) this.append(JT808_FLAG);
        else this.fail({ reason: 'bad_escape', detail: `0x7d followed by 0x${hex2(b)} at byte ${this.seen - 1} of the frame` });
      } else if (b === JT808_ESCAPE) {
        this.escapePending = true;
      } else {
        this.append(b);
      }
    }
    return frames;
  }

  private append(b: number): void {
    if (this.length >= this.maxFrameBytes) {
      this.fail({ reason: 'oversized', detail: `frame longer than ${this.maxFrameBytes} bytes` });
      return;
    }
    this.frame ??= Buffer.allocUnsafe(this.maxFrameBytes);
    this.frame[this.length++] = b;
  }

  private fail(error: Jt808FrameError): void {
    this.failure = error;
    this.length = 0;
    this.escapePending = false;
  }

  private finish(): Jt808RawFrame {
    if (this.failure) return { error: this.failure };
    if (this.escapePending) return { error: { reason: 'bad_escape', detail: 'frame ends in a lone 0x7d' } };
    return { bytes: this.frame ? Buffer.from(this.frame.subarray(0, this.length)) : Buffer.alloc(0) };
  }

  private reset(): void {
    this.length = 0;
    this.seen = 0;
    this.escapePending = false;
    this.failure = null;
  }
}

export function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

export function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}
