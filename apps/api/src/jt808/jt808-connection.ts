import type { Socket } from 'node:net';
import { validateTelemetryFixes, type FixRejection } from '@muckwatch/contracts';
import {
  Jt808FrameSplitter,
  Jt808Reassembler,
  MSG,
  decodeFrame,
  decodeMessage,
  encodeFrame,
  platformGeneralResponse,
  registerResponse,
  type Jt808Header,
  type Jt808Location,
  type Jt808Message,
  type Jt808Version,
} from '@muckwatch/jt808';
import type { MessageOrigin } from '../ingest/telemetry-message.js';
import type { Jt808Backend, Jt808Terminal } from './jt808-backend.js';
import { locationAsFix } from './jt808-location.js';

/** The bounds of one terminal connection; every one of them is what keeps a bad peer from hurting the rest. */
export interface Jt808Limits {
  /** A frame (unescaped) longer than this is refused and its bytes dropped. */
  maxFrameBytes: number;
  /** Frames a connection may send per second on average, and in a burst; beyond, reading pauses. */
  framesPerSecond: number;
  burstFrames: number;
  /** Reports waiting for their commit on one connection before reading pauses. */
  maxPendingReports: number;
  /** A connection must authenticate within this time. */
  authTimeoutMs: number;
  /** A connection that sends no complete frame for this long is closed (heartbeats keep it open). */
  idleTimeoutMs: number;
  /** A frame begun but not finished for this long closes the connection (a slow sender holding a socket). */
  partialFrameTimeoutMs: number;
  /** Replies the terminal does not read: more than this many bytes queued closes the connection. */
  maxQueuedWriteBytes: number;
}

export const DEFAULT_JT808_LIMITS: Jt808Limits = {
  maxFrameBytes: 4096,
  framesPerSecond: 20,
  burstFrames: 200,
  maxPendingReports: 64,
  authTimeoutMs: 60_000,
  idleTimeoutMs: 6 * 60_000,
  partialFrameTimeoutMs: 30_000,
  maxQueuedWriteBytes: 256 * 1024,
};


/** 0x8001 results. */
const OK = 0;
const FAILED = 1;
const MESSAGE_ERROR = 2;
const NOT_SUPPORTED = 3;

export interface ConnectionHooks {
  /** A terminal authenticated on this connection (the server closes any older connection of the same terminal). */
  authenticated(connection: Jt808Connection): void;
  closed(connection: Jt808Connection): void;
  /** Whether a refusal from this peer may be written as a row now (rows are rate-limited; every refusal is counted). */
  mayRecord(key: string): boolean;
  counted(reason: FixRejection['reason']): void;
}

/** A terminal's answer to a platform message (0x0001), awaited by a command. */
export interface TerminalAnswer {
  replyId: number;
  result: number;
}

/**
 * One terminal's TCP connection: framing, the session (register → authenticate → reports), and the
 * replies. Location reports are answered with 0x8001 only after the pipeline committed them; a
 * report on a connection that has not authenticated is refused and recorded. Never throws into the
 * server: every fault of a frame becomes a recorded refusal and, when the header could be read, a
 * 0x8001 with the matching result.
 */
export class Jt808Connection {
  readonly remote: string;
  phone: string | null = null;
  version: Jt808Version = '2013';
  private protocolVersion = 0;
  terminal: Jt808Terminal | null = null;
  private serial = 0;
  private readonly splitter: Jt808FrameSplitter;
  private readonly reassembler = new Jt808Reassembler({ maxPending: 16, maxBytes: 256 * 1024, ttlMs: 60_000 });
  private pendingReports = 0;
  private tokens: number;
  private tokensAtMs: number;
  private pausedUntilMs = 0;
  private resumeTimer: NodeJS.Timeout | null = null;
  private readonly openedAtMs: number;
  private lastFrameAtMs: number;
  private partialSinceMs: number | null = null;
  private authFailures = 0;
  private closed = false;
  /** Platform messages awaiting the terminal's 0x0001, by our serial. */
  private readonly answers = new Map<number, { resolve(answer: TerminalAnswer): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
  /** Frames are handled one after another (register and authenticate must finish before the next frame is read). */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: Socket,
    private readonly backend: Jt808Backend,
    private readonly limits: Jt808Limits,
    private readonly hooks: ConnectionHooks,
    private readonly now: () => number = Date.now,
  ) {
    this.remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    this.splitter = new Jt808FrameSplitter({ maxFrameBytes: limits.maxFrameBytes });
    this.openedAtMs = this.lastFrameAtMs = this.tokensAtMs = now();
    this.tokens = limits.burstFrames;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.received(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.onClose());
  }

  get terminalId(): string | null {
    return this.terminal?.terminalId ?? null;
  }

  /** Closes the connection (a newer connection of the same terminal, a revoked code, shutdown). */
  close(): void {
    this.socket.destroy();
  }

  /**
   * The server's once-a-second look: too long without authenticating, idle, or holding half a
   * frame closes the connection; reassembly that never completes is forgotten.
   */
  sweep(nowMs: number): void {
    this.reassembler.sweep(nowMs);
    if (this.closed) return;
    if (!this.terminal && nowMs - this.openedAtMs > this.limits.authTimeoutMs) {
      this.refuseConnection('not_authenticated', `no authentication within ${this.limits.authTimeoutMs / 1000} s`);
    } else if (nowMs - this.lastFrameAtMs > this.limits.idleTimeoutMs) {
      this.socket.destroy();
    } else if (this.partialSinceMs !== null && nowMs - this.partialSinceMs > this.limits.partialFrameTimeoutMs) {
      this.refuseConnection('flood', `a frame begun ${Math.round((nowMs - this.partialSinceMs) / 1000)} s ago never ended`);
    }
  }

  /** Sends a platform message; returns its serial. */
  send(messageId: number, body: Buffer): number {
    const serial = this.nextSerial();
    this.write(encodeFrame({ messageId, phone: this.phone ?? '0', serial, version: this.version, protocolVersion: this.protocolVersion }, body));
    return serial;
  }

  /** Sends a platform message and waits for the terminal's general response to it (0x0001). */
  request(messageId: number, body: Buffer, timeoutMs: number): Promise<TerminalAnswer> {
    if (this.closed) return Promise.reject(new Error('connection closed'));
    const serial = this.send(messageId, body);
    return new Promise<TerminalAnswer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.answers.delete(serial);
        reject(new Error(`no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.answers.set(serial, { resolve, reject, timer });
    });
  }

  private nextSerial(): number {
    this.serial = (this.serial + 1) & 0xffff;
    return this.serial;
  }

  private write(frame: Buffer): void {
    if (this.closed) return;
    if (this.socket.writableLength > this.limits.maxQueuedWriteBytes) {
      this.refuseConnection('flood', `the terminal reads none of its replies (${this.socket.writableLength} bytes queued)`);
      return;
    }
    this.socket.write(frame);
  }

  private received(chunk: Buffer): void {
    if (this.closed) return;
    const frames = this.splitter.push(chunk);
    const nowMs = this.now();
    if (frames.length > 0) {
      this.lastFrameAtMs = nowMs;
      this.partialSinceMs = null;
    }
    if (this.splitter.buffered > 0) this.partialSinceMs ??= nowMs;
    for (const frame of frames) {
      if ('error' in frame) {
        this.record({ reason: 'bad_frame', detail: `${frame.error.reason}: ${frame.error.detail}`, index: null }, 'frame', chunk);
        continue;
      }
      const bytes = frame.bytes;
      this.chain = this.chain.then(() => this.handleFrame(bytes)).catch(() => undefined);
    }
    this.throttle(frames.length, nowMs);
  }

  /** Token bucket: a connection over its share of frames has its reading paused until it is back within it. */
  private throttle(frames: number, nowMs: number): void {
    const { framesPerSecond, burstFrames } = this.limits;
    this.tokens = Math.min(burstFrames, this.tokens + ((nowMs - this.tokensAtMs) * framesPerSecond) / 1000) - frames;
    this.tokensAtMs = nowMs;
    if (this.tokens >= 0) return;
    const waitMs = Math.ceil((-this.tokens * 1000) / framesPerSecond);
    if (this.pausedUntilMs <= nowMs) {
      this.record({ reason: 'flood', detail: `more than ${framesPerSecond} frames/s (burst ${burstFrames}); reading paused ${waitMs} ms`, index: null }, 'flood', null);
    }
    this.pausedUntilMs = nowMs + waitMs;
    this.pause();
  }

  private pause(): void {
    this.socket.pause();
    if (this.resumeTimer) return;
    const tryResume = (): void => {
      this.resumeTimer = null;
      if (this.closed) return;
      const wait = this.pausedUntilMs - this.now();
      if (wait > 0 || this.pendingReports >= this.limits.maxPendingReports) {
        this.resumeTimer = setTimeout(tryResume, Math.max(wait, 10));
        return;
      }
      this.socket.resume();
    };
    this.resumeTimer = setTimeout(tryResume, Math.max(0, this.pausedUntilMs - this.now()));
  }

  private async handleFrame(bytes: Buffer): Promise<void> {
    if (this.closed) return;
    const decoded = decodeFrame(bytes);
    if ('error' in decoded) {
      this.record({ reason: 'bad_frame', detail: `${decoded.error.reason}: ${decoded.error.detail}`, index: null }, 'frame', bytes);
      return;
    }
    const { header } = decoded;
    let body = decoded.body;
    if (this.phone === null) {
      this.phone = header.phone;
    } else if (header.phone !== this.phone) {
      this.refuseConnection('terminal_refused', `phone number changed on one connection (${this.phone} → ${header.phone})`);
      return;
    }
    this.version = header.version;
    this.protocolVersion = header.protocolVersion;
    if (header.encrypted) {
      this.reply(header, NOT_SUPPORTED);
      this.record({ reason: 'unknown_message', detail: `0x${hex4(header.messageId)} is RSA-encrypted; encryption is not supported`, index: null }, header, bytes);
      return;
    }
    if (header.subpackage) {
      const whole = this.reassembler.add(header, body, this.now());
      if (whole === null) {
        // A piece of a message is not yet a fix: received, answered, and held until the last piece.
        this.reply(header, OK);
        return;
      }
      body = whole;
    }
    let message: Jt808Message;
    try {
      message = decodeMessage(header, body);
    } catch (error) {
      message = { kind: 'malformed', messageId: header.messageId, detail: (error as Error).message };
    }
    await this.handleMessage(header, message, bytes);
  }

  private async handleMessage(header: Jt808Header, message: Jt808Message, bytes: Buffer): Promise<void> {
    switch (message.kind) {
      case 'register':
        return this.onRegister(header, message, bytes);
      case 'authenticate':
        return this.onAuthenticate(header, message.authCode);
      case 'heartbeat':
        return this.reply(header, this.terminal ? OK : FAILED);
      case 'logout':
        this.reply(header, OK);
        this.socket.end();
        return;
      case 'general_response': {
        const waiting = this.answers.get(message.replySerial);
        if (waiting) {
          clearTimeout(waiting.timer);
          this.answers.delete(message.replySerial);
          waiting.resolve({ replyId: message.replyId, result: message.result });
        }
        return;
      }
      case 'location':
        return this.onLocations(header, [message.location], bytes);
      case 'bulk_location':
        return this.onLocations(header, message.locations, bytes);
      case 'unknown':
        this.reply(header, NOT_SUPPORTED);
        this.record({ reason: 'unknown_message', detail: `message 0x${hex4(message.messageId)} is not handled`, index: null }, header, bytes);
        return;
      case 'malformed':
        this.reply(header, MESSAGE_ERROR);
        this.record({ reason: 'malformed_message', detail: `0x${hex4(message.messageId)}: ${message.detail}`.slice(0, 500), index: null }, header, bytes);
        return;
    }
  }

  private async onRegister(header: Jt808Header, message: Extract<Jt808Message, { kind: 'register' }>, bytes: Buffer): Promise<void> {
    const outcome = await this.backend.register(header.phone, {
      makerId: message.makerId,
      model: message.model,
      terminalId: message.terminalId,
      plate: message.plate,
    });
    const serial = this.nextSerial();
    const body = outcome.ok ? registerResponse(header.serial, 0, outcome.authCode) : registerResponse(header.serial, outcome.result);
    this.write(encodeFrame({ messageId: MSG.registerResponse, phone: header.phone, serial, version: header.version, protocolVersion: header.protocolVersion }, body));
    if (!outcome.ok) this.record({ reason: 'terminal_refused', detail: `registration refused (${outcome.result}): ${outcome.reason}`, index: null }, header, bytes);
  }

  private async onAuthenticate(header: Jt808Header, authCode: string): Promise<void> {
    const outcome = await this.backend.authenticate(header.phone, authCode);
    if (this.closed) return;
    if (!outcome.ok) {
      this.reply(header, FAILED);
      // Not the frame: it holds the code the terminal offered (perhaps a revoked or near-right one), which no record keeps.
      this.record({ reason: 'terminal_refused', detail: `authentication refused: ${outcome.reason}`, index: null }, header, null);
      this.authFailures += 1;
      if (this.authFailures >= 3) this.socket.end();
      return;
    }
    const first = this.terminal === null;
    this.terminal = outcome.terminal;
    this.reply(header, OK);
    if (first) {
      this.hooks.authenticated(this);
      void this.backend.liveness(this.origin(header.messageId, outcome.terminal.terminalId), 'online').catch(() => undefined);
    }
  }

  private onLocations(header: Jt808Header, locations: Array<Jt808Location | { error: string }>, bytes: Buffer): void {
    const terminal = this.terminal;
    if (!terminal) {
      this.reply(header, FAILED);
      this.record({ reason: 'not_authenticated', detail: `0x${hex4(header.messageId)} before authentication`, index: null }, header, bytes);
      return;
    }
    const items: Array<{ value: unknown; index: number | null }> = [];
    const undecodable: FixRejection[] = [];
    const many = header.messageId === MSG.bulkLocation;
    locations.forEach((location, i) => {
      const index = many ? i : null;
      if ('error' in location) undecodable.push({ reason: 'malformed_message', detail: location.error.slice(0, 500), index, value: { item: i } });
      else items.push({ value: locationAsFix(location, terminal.mapping), index });
    });
    const checked = validateTelemetryFixes(items);
    checked.rejections.push(...undecodable);
    this.pendingReports += 1;
    if (this.pendingReports >= this.limits.maxPendingReports) this.pause();
    const origin = this.origin(header.messageId, terminal.terminalId);
    // Not awaited: the next frame is read while this one commits (the group commit gathers many
    // terminals' reports); its answer goes out when, and only when, the commit is done.
    this.backend.fixes(origin, bytes.toString('hex'), checked).then(
      () => {
        this.pendingReports -= 1;
        this.reply(header, OK);
      },
      () => {
        // The pipeline never rejects (it holds on until the database answers); if it ever did, no
        // answer: the terminal sends the report again.
        this.pendingReports -= 1;
      },
    );
  }

  private reply(header: Jt808Header, result: 0 | 1 | 2 | 3 | 4): void {
    const serial = this.nextSerial();
    this.write(
      encodeFrame(
        { messageId: MSG.platformGeneralResponse, phone: header.phone, serial, version: header.version, protocolVersion: header.protocolVersion },
        platformGeneralResponse(header.serial, header.messageId, result),
      ),
    );
  }

  private origin(messageId: number, terminalId: string): MessageOrigin & { terminalId: string };
  private origin(messageId: number | null, terminalId: string | null): MessageOrigin;
  private origin(messageId: number | null, terminalId: string | null): MessageOrigin {
    const what = messageId === null ? 'frame' : `0x${hex4(messageId)}`;
    return { source: 'jt808', topic: `jt808/${this.phone ?? this.remote}/${what}`, terminalId, receivedAtMs: this.now() };
  }

  /** Records a refusal (rows rate-limited per peer; every refusal counted in the metrics). */
  private record(rejection: FixRejection, where: Jt808Header | 'frame' | 'flood', bytes: Buffer | null): void {
    // Per terminal when its phone number is known (many terminals may share a carrier's NAT address),
    // else per address. A recorded refusal is counted by the pipeline when its row commits; one
    // beyond the limit is only counted.
    if (!this.hooks.mayRecord(this.phone ?? this.socket.remoteAddress ?? this.remote)) {
      this.hooks.counted(rejection.reason);
      return;
    }
    const messageId = typeof where === 'object' ? where.messageId : null;
    const raw = bytes === null ? '' : bytes.subarray(0, 4096).toString('hex');
    void this.backend.refusal(this.origin(messageId, this.terminalId), rejection, raw).catch(() => undefined);
  }

  private refuseConnection(reason: FixRejection['reason'], detail: string): void {
    this.record({ reason, detail: `${detail}; connection closed`, index: null }, 'frame', null);
    this.socket.destroy();
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    for (const waiting of this.answers.values()) {
      clearTimeout(waiting.timer);
      waiting.reject(new Error('connection closed'));
    }
    this.answers.clear();
    this.hooks.closed(this);
  }
}

function hex4(id: number): string {
  return id.toString(16).padStart(4, '0');
}
