/**
 * The cluster bus's wire format (ClusterBus): a domain event as JSON in NOTIFY payloads, which
 * PostgreSQL limits to 8,000 bytes. An event that does not fit goes in parts, each carrying a
 * piece of the event's JSON text; the receiver puts them together. Pure, so the fuzz suite can
 * throw anything at `MessageAssembler.accept`.
 */

export interface WireMessage {
  /** The sending process (its own messages come back to it and are skipped). */
  from: string;
  /** The sender's message number: parts of one message share it. */
  seq: number;
  name: string;
  payload: unknown;
}

/** Below PostgreSQL's 8,000-byte NOTIFY payload, with room for the channel name. */
export const MAX_NOTIFY_BYTES = 7_800;
/** A part's piece of text, in UTF-8 bytes: JSON-escaped it at most doubles, and the envelope is small. */
const PIECE_BYTES = 3_600;
/** Most parts of one message (about 1.8 MB of event), and most messages being put together at once. */
export const MAX_PARTS = 512;
const MAX_ASSEMBLING = 256;
const ASSEMBLY_TIMEOUT_MS = 30_000;

type Whole = { f: string; s: number; n: string; p: unknown };
type Part = { f: string; s: number; i: number; k: number; d: string };

/** The NOTIFY payloads of one message, in order. */
export function splitMessage(message: WireMessage): string[] {
  const whole = JSON.stringify({ f: message.from, s: message.seq, n: message.name, p: message.payload } satisfies Whole);
  if (Buffer.byteLength(whole) <= MAX_NOTIFY_BYTES) return [whole];
  const pieces: string[] = [];
  let piece = '';
  let bytes = 0;
  for (const ch of whole) {
    const size = Buffer.byteLength(ch);
    if (bytes + size > PIECE_BYTES) {
      pieces.push(piece);
      piece = '';
      bytes = 0;
    }
    piece += ch;
    bytes += size;
  }
  if (piece) pieces.push(piece);
  if (pieces.length > MAX_PARTS) throw new RangeError(`event ${message.name} is too large for the cluster bus (${pieces.length} parts)`);
  return pieces.map((d, i) => JSON.stringify({ f: message.from, s: message.seq, i, k: pieces.length, d } satisfies Part));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 100;
const isSeq = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

function toWhole(value: unknown): WireMessage {
  if (!isObject(value) || !isId(value['f']) || !isSeq(value['s']) || typeof value['n'] !== 'string' || value['n'].length > 100 || !('p' in value)) {
    throw new TypeError('not a cluster message');
  }
  return { from: value['f'], seq: value['s'], name: value['n'], payload: value['p'] };
}

/** Puts parts together; whole messages pass straight through. Bounded in memory and time. */
export class MessageAssembler {
  private readonly assembling = new Map<string, { parts: Array<string | undefined>; got: number; startedMs: number }>();

  /**
   * A NOTIFY payload in; the message out once whole (null: a part of one still incomplete, or the
   * process's own message). Throws on anything malformed.
   */
  accept(text: string, self: string, nowMs: number): WireMessage | null {
    this.expire(nowMs);
    const value: unknown = JSON.parse(text);
    if (!isObject(value)) throw new TypeError('not a cluster message');
    if (value['f'] === self) return null;
    if (!('d' in value)) return toWhole(value);
    const { f, s, i, k, d } = value;
    if (!isId(f) || !isSeq(s) || !Number.isSafeInteger(k) || (k as number) < 2 || (k as number) > MAX_PARTS || !Number.isSafeInteger(i) || (i as number) < 0 || (i as number) >= (k as number) || typeof d !== 'string') {
      throw new TypeError('not a cluster message part');
    }
    const key = `${f}:${s}`;
    let entry = this.assembling.get(key);
    if (!entry) {
      if (this.assembling.size >= MAX_ASSEMBLING) {
        // The oldest incomplete message gives way (its sender's other parts were lost).
        const oldest = this.assembling.keys().next().value as string;
        this.assembling.delete(oldest);
      }
      entry = { parts: new Array<string | undefined>(k as number), got: 0, startedMs: nowMs };
      this.assembling.set(key, entry);
    }
    if (entry.parts.length !== k) throw new TypeError('parts disagree on their count');
    if (entry.parts[i as number] === undefined) {
      entry.parts[i as number] = d;
      entry.got += 1;
    }
    if (entry.got < entry.parts.length) return null;
    this.assembling.delete(key);
    return toWhole(JSON.parse(entry.parts.join('')));
  }

  /** Messages being put together (tests, bounds). */
  get pending(): number {
    return this.assembling.size;
  }

  private expire(nowMs: number): void {
    for (const [key, entry] of this.assembling) {
      if (nowMs - entry.startedMs <= ASSEMBLY_TIMEOUT_MS) break;
      this.assembling.delete(key);
    }
  }
}
