/**
 * Reassembly of sub-packaged terminal messages (header bit 13). The pieces of one message share
 * phone, message id and total, and carry consecutive serials, so the first piece's serial
 * (`serial − index + 1`) names the message. Memory is bounded three ways: messages pending,
 * bytes held, and the age of a pending message; past a bound the oldest pending message is dropped.
 */
import type { Jt808Header } from './header.js';

/** What each held piece is charged beyond its bytes (the map entry), so that empty pieces also count. */
const PIECE_OVERHEAD_BYTES = 16;

interface Pending {
  key: string;
  total: number;
  firstAtMs: number;
  pieces: Map<number, Buffer>;
  bytes: number;
}

export interface Jt808ReassemblerOptions {
  /** Messages being assembled at once (default 16). */
  maxPending?: number;
  /** Bytes held across them (default 256 KiB). */
  maxBytes?: number;
  /** A message whose pieces have not all come within this time is dropped (default 60 s). */
  ttlMs?: number;
}

export class Jt808Reassembler {
  private readonly maxPending: number;
  private readonly maxBytes: number;
  private readonly ttlMs: number;
  private readonly pending = new Map<string, Pending>();
  private heldBytes = 0;
  private droppedCount = 0;

  constructor(options: Jt808ReassemblerOptions = {}) {
    this.maxPending = positive(options.maxPending, 16);
    this.maxBytes = positive(options.maxBytes, 256 * 1024);
    this.ttlMs = positive(options.ttlMs, 60_000);
  }

  /** Messages being assembled. */
  get size(): number {
    return this.pending.size;
  }

  /** Bytes held (with a small charge per piece). */
  get bytes(): number {
    return this.heldBytes;
  }

  /** Messages dropped so far (expired, evicted, or too big to hold). */
  get dropped(): number {
    return this.droppedCount;
  }

  /**
   * Add one piece. Returns the whole body once its last missing piece arrives, else null. A body
   * without a sub-package item is whole already and is returned as it is. A piece sent twice
   * replaces the first.
   */
  add(header: Jt808Header, body: Buffer, nowMs: number): Buffer | null {
    const sub = header.subpackage;
    if (!sub) return body;
    if (sub.total < 1 || sub.index < 1 || sub.index > sub.total) return null;
    if (sub.total === 1) return body;
    this.sweep(nowMs);
    const firstSerial = (header.serial - sub.index + 1 + 0x10000) & 0xffff;
    const key = `${header.phone}/${header.messageId}/${sub.total}/${firstSerial}`;
    let entry = this.pending.get(key);
    if (!entry) {
      while (this.pending.size >= this.maxPending) this.dropOldest();
      entry = { key, total: sub.total, firstAtMs: nowMs, pieces: new Map(), bytes: 0 };
      this.pending.set(key, entry);
    }
    const previous = entry.pieces.get(sub.index);
    const cost = body.length + PIECE_OVERHEAD_BYTES;
    const previousCost = previous ? previous.length + PIECE_OVERHEAD_BYTES : 0;
    if (entry.bytes - previousCost + cost > this.maxBytes) {
      // This message alone would exceed the whole budget: it can never be assembled.
      this.drop(entry);
      return null;
    }
    entry.pieces.set(sub.index, Buffer.from(body));
    entry.bytes += cost - previousCost;
    this.heldBytes += cost - previousCost;
    while (this.heldBytes > this.maxBytes) {
      const oldest = this.oldestOtherThan(entry);
      if (!oldest) break;
      this.drop(oldest);
    }
    if (entry.pieces.size < entry.total) return null;
    const parts: Buffer[] = [];
    for (let i = 1; i <= entry.total; i++) parts.push(entry.pieces.get(i) ?? Buffer.alloc(0));
    this.forget(entry);
    return Buffer.concat(parts);
  }

  /** Drop messages older than the time-to-live; returns how many. */
  sweep(nowMs: number): number {
    let n = 0;
    for (const entry of [...this.pending.values()]) {
      if (nowMs - entry.firstAtMs >= this.ttlMs) {
        this.drop(entry);
        n++;
      }
    }
    return n;
  }

  private oldestOtherThan(keep: Pending): Pending | undefined {
    for (const entry of this.pending.values()) if (entry !== keep) return entry;
    return undefined;
  }

  private dropOldest(): void {
    const oldest = this.pending.values().next();
    if (!oldest.done) this.drop(oldest.value);
  }

  private drop(entry: Pending): void {
    this.forget(entry);
    this.droppedCount++;
  }

  private forget(entry: Pending): void {
    if (this.pending.delete(entry.key)) this.heldBytes -= entry.bytes;
  }
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}
