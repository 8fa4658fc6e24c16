import { connect, type Socket } from 'node:net';
import {
  Jt808FrameSplitter,
  decodeFrame,
  decodeGbk,
  encodeAuthenticate,
  encodeBulkLocation,
  encodeFrame,
  encodeHeartbeat,
  encodeLocation,
  encodeRegister,
  encodeTerminalResponse,
  type Jt808Header,
  type Jt808LocationInput,
  type Jt808RegisterInput,
  type Jt808Version,
} from '@muckwatch/jt808';

/** A platform → terminal message as the terminal received it. */
export interface PlatformMessage {
  header: Jt808Header;
  body: Buffer;
}

export interface Jt808TerminalOptions {
  host: string;
  port: number;
  /** The SIM number the terminal puts in every header (BCD). */
  phone: string;
  version: Jt808Version;
}

/** What the terminal answers a platform command with (0x0001 result), or null to stay silent. */
export type CommandHandler = (message: PlatformMessage) => number | null;

/**
 * A JT/T 808 terminal over TCP, as the fleet simulator and the tests drive one: register,
 * authenticate, heartbeat, location reports and blind-area batches, each awaiting the platform's
 * answer to its serial; platform commands (0x8105, 0x8103, 0x8300, vendor ids) go to `onCommand`
 * and are answered with 0x0001.
 */
export class Jt808Terminal {
  private serial = 0;
  private readonly splitter = new Jt808FrameSplitter();
  private readonly waiting = new Map<number, { resolve(message: PlatformMessage): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
  private commandHandler: CommandHandler = () => 0;
  /** Every platform message received, newest last (tests read it). */
  readonly received: PlatformMessage[] = [];
  readonly closed: Promise<void>;

  private constructor(
    private readonly socket: Socket,
    readonly options: Jt808TerminalOptions,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        for (const waiting of this.waiting.values()) {
          clearTimeout(waiting.timer);
          waiting.reject(new Error('connection closed'));
        }
        this.waiting.clear();
        resolve();
      }),
    );
  }

  static connect(options: Jt808TerminalOptions): Promise<Jt808Terminal> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: options.host, port: options.port });
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new Jt808Terminal(socket, options));
      });
      socket.once('error', reject);
    });
  }

  get isOpen(): boolean {
    return !this.socket.destroyed;
  }

  onCommand(handler: CommandHandler): void {
    this.commandHandler = handler;
  }

  /** Sends a message; returns its serial. */
  send(messageId: number, body: Buffer): number {
    this.serial = (this.serial + 1) & 0xffff;
    this.writeRaw(encodeFrame({ messageId, phone: this.options.phone, serial: this.serial, version: this.options.version }, body));
    return this.serial;
  }

  writeRaw(bytes: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  /** Sends a message and waits for the platform's answer to it (0x8001 or 0x8100 naming its serial). */
  request(messageId: number, body: Buffer, timeoutMs = 15_000): Promise<PlatformMessage> {
    const serial = this.send(messageId, body);
    return this.answerTo(serial, timeoutMs);
  }

  /** Waits for the platform's answer to a serial already sent. */
  answerTo(serial: number, timeoutMs = 15_000): Promise<PlatformMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(serial);
        reject(new Error(`no answer to serial ${serial} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(serial, { resolve, reject, timer });
    });
  }

  async register(input: Jt808RegisterInput): Promise<{ result: number; authCode: string | null }> {
    const answer = await this.request(0x0100, encodeRegister(input, this.options.version));
    const result = answer.body[2] ?? -1;
    return { result, authCode: result === 0 ? decodeGbk(answer.body.subarray(3)) : null };
  }

  /** 0x8001 result (0 = accepted). */
  async authenticate(authCode: string): Promise<number> {
    return resultOf(await this.request(0x0102, encodeAuthenticate({ authCode, imei: '860000000000001', softwareVersion: 'sim-1.0' }, this.options.version)));
  }

  async heartbeat(): Promise<number> {
    return resultOf(await this.request(0x0002, encodeHeartbeat()));
  }

  /** One 0x0200 report; resolves with the 0x8001 result once the platform has committed it. */
  async report(location: Jt808LocationInput, timeoutMs?: number): Promise<number> {
    return resultOf(await this.request(0x0200, encodeLocation(location), timeoutMs));
  }

  /** A 0x0704 batch (type 1: blind-area backfill). */
  async reportBatch(type: number, locations: Jt808LocationInput[], timeoutMs?: number): Promise<number> {
    return resultOf(await this.request(0x0704, encodeBulkLocation(type, locations), timeoutMs));
  }

  close(): Promise<void> {
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
    return this.closed;
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    for (const frame of this.splitter.push(chunk)) {
      if ('error' in frame) continue;
      const decoded = decodeFrame(frame.bytes);
      if ('error' in decoded) continue;
      const message: PlatformMessage = decoded;
      this.received.push(message);
      if (this.received.length > 1000) this.received.shift();
      const id = message.header.messageId;
      if (id === 0x8001 || id === 0x8100) {
        const replySerial = message.body.readUInt16BE(0);
        const waiting = this.waiting.get(replySerial);
        if (waiting) {
          clearTimeout(waiting.timer);
          this.waiting.delete(replySerial);
          waiting.resolve(message);
        }
        continue;
      }
      const result = this.commandHandler(message);
      if (result !== null) this.send(0x0001, encodeTerminalResponse(message.header.serial, id, result));
    }
  }
}

/** The result byte of a 0x8001 (reply serial WORD, reply id WORD, result BYTE). */
function resultOf(answer: PlatformMessage): number {
  return answer.header.messageId === 0x8001 ? (answer.body[4] ?? -1) : -1;
}
