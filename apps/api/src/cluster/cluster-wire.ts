/**
 * The cluster bus's wire format (ClusterBus): a domain event as JSON in NOTIFY payloads, which
 * PostgreSQL limits to 8,000 bytes. An event that does not fit goes in parts, each carrying a
 * piece of the event's JSON text; the receiver puts them together. Pure, so the fuzz suite can
 * throw anything at `MessageAssembler.accept`.
 */
import { createHash } from 'node:crypto';

/** The PostgreSQL channel the instances of one cluster (CLUSTER_NAME) listen on. */
export function clusterChannel(clusterName: string): string {
  return `muckwatch_events_${createHash('sha256').update(clusterName).digest('hex').slice(0, 16)}`;
}

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
/** Most text held in incomplete messages (UTF-16 code units); past it the oldest give way. */
const MAX_HELD_CHARS = 8_000_000;

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
  private readonly assembling = new Map<string, { parts: Array<string | undefined>; got: number; startedMs: number; chars: number }>();
  private held = 0;

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
        this.forget(this.assembling.keys().next().value as string);
      }
      entry = { parts: new Array<string | undefined>(k as number), got: 0, startedMs: nowMs, chars: 0 };
      this.assembling.set(key, entry);
    }
    if (entry.parts.length !== k) throw new TypeError('parts disagree on their count');
    if (entry.parts[i as number] === undefined) {
      entry.parts[i as number] = d;
      entry.got += 1;
      entry.chars += d.length;
      this.held += d.length;
      while (this.held > MAX_HELD_CHARS && this.assembling.size > 0) this.forget(this.assembling.keys().next().value as string);
      if (!this.assembling.has(key)) return null;
    }
    if (entry.got < entry.parts.length) return null;
    this.forget(key);
    return toWhole(JSON.parse(entry.parts.join('')));
  }

  /** Messages being put together (tests, bounds). */
  get pending(): number {
    return this.assembling.size;
  }

  /** Text held in incomplete messages (tests, bounds). */
  get heldChars(): number {
    return this.held;
  }

  private forget(key: string): void {
    const entry = this.assembling.get(key);
    if (!entry) return;
    this.held -= entry.chars;
    this.assembling.delete(key);
  }

  private expire(nowMs: number): void {
    for (const [key, entry] of this.assembling) {
      if (nowMs - entry.startedMs <= ASSEMBLY_TIMEOUT_MS) break;
      this.forget(key);
    }
  }
}

const str = (v: unknown, max = 200): boolean => typeof v === 'string' && v.length <= max;
const strOrNull = (v: unknown): boolean => v === null || str(v);
const num = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
const obj = (v: unknown): v is Record<string, unknown> => isObject(v);
/** A violation as the live gateway reads it (it routes by town). */
const violationShape = (v: unknown): boolean => obj(v) && str(v['id']) && str(v['terminalId']) && strOrNull(v['townCode']) && str(v['type']);

/**
 * What each cross-instance event must look like to be delivered: another instance sends only
 * these, but whatever else reaches the channel (anyone with the database's credentials can
 * NOTIFY) must not reach a listener that would throw on it. Shapes, not full validation: the
 * listeners read these fields.
 */
const SHAPES: Record<string, (p: unknown) => boolean> = {
  'registry.changed': (p) => obj(p) && str(p['resourceType']) && str(p['resourceId']) && str(p['action']) && str(p['at']),
  'collection_points.changed': (p) => obj(p) && str(p['id']) && str(p['at']),
  'jt808.auth_code.revoked': (p) => obj(p) && str(p['terminalId']) && (p['reason'] === 'revoked' || p['reason'] === 'reissued') && str(p['at']),
  'violation.opened': (p) => obj(p) && violationShape(p['violation']),
  'violation.closed': (p) => obj(p) && violationShape(p['violation']),
  'case.changed': (p) => obj(p) && violationShape(p['violation']) && strOrNull(p['previousDepartmentCode'] ?? null),
  'ranking.frozen': (p) => obj(p) && str(p['month']) && num(p['revision']),
  'session.changed': (p) => obj(p) && (str(p['sessionId']) || str(p['userId'])),
  'live.positions': (p) =>
    obj(p) && Array.isArray(p['positions']) && p['positions'].length <= 100_000 && p['positions'].every((x) => obj(x) && str(x['terminalId']) && num(x['lat']) && num(x['lon'])),
  'fixes.stored': (p) =>
    obj(p) &&
    str(p['from']) &&
    Array.isArray(p['terminals']) &&
    p['terminals'].length <= 100_000 &&
    p['terminals'].every((t) => Array.isArray(t) && t.length === 3 && str(t[0]) && num(t[1]) && num(t[2]) && (t[1] as number) <= (t[2] as number)),
};

/** Whether a message from the channel is a cross-instance event this build knows, in the shape its listeners read. */
export function isDeliverable(message: WireMessage, names: readonly string[]): boolean {
  const shape = SHAPES[message.name];
  return names.includes(message.name) && shape !== undefined && shape(message.payload);
}
