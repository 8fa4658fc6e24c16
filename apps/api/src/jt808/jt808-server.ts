import { createServer, type Server, type Socket } from 'node:net';
import type { FixRejection } from '@muckwatch/contracts';
import { RefusalLimiter } from '../terminal-credentials/refusal-limiter.js';
import type { Jt808Backend } from './jt808-backend.js';
import { Jt808Connection, type Jt808Limits } from './jt808-connection.js';

export interface Jt808ServerOptions {
  host: string;
  /** 0: any free port (tests). */
  port: number;
  /** Connections beyond this are closed on accept. */
  maxConnections: number;
  limits: Jt808Limits;
  /** Refusal rows: at most this many per peer address and in all per minute (all are counted). */
  recordsPerPeerPerMinute?: number;
  recordsPerMinute?: number;
  counted?(reason: FixRejection['reason']): void;
  /** A terminal authenticated / its last connection closed. */
  online?(terminalId: string): void;
  offline?(terminalId: string): void;
}

/**
 * The JT/T 808 TCP listener: one Jt808Connection per socket, one session per terminal (a terminal
 * that connects again replaces its older connection), and a once-a-second sweep that enforces the
 * time limits (authentication, idleness, half-sent frames).
 */
export class Jt808Server {
  private readonly server: Server;
  private readonly connections = new Set<Jt808Connection>();
  private readonly byTerminal = new Map<string, Jt808Connection>();
  private readonly limiter: RefusalLimiter;
  private sweeper: NodeJS.Timeout | null = null;
  private refusedConnections = 0;

  constructor(
    private readonly backend: Jt808Backend,
    private readonly options: Jt808ServerOptions,
  ) {
    this.limiter = new RefusalLimiter({ perKey: options.recordsPerPeerPerMinute ?? 20, total: options.recordsPerMinute ?? 600, windowMs: 60_000 });
    this.server = createServer({ noDelay: true, keepAlive: true, keepAliveInitialDelay: 60_000 }, (socket) => this.accept(socket));
    this.server.on('error', () => undefined);
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      const failed = (error: Error): void => reject(error);
      this.server.once('error', failed);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', failed);
        resolve();
      });
    });
    this.sweeper = setInterval(() => this.sweep(), 1000);
    this.sweeper.unref();
    return this.port;
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  status(): { listening: boolean; port: number; connections: number; terminals: number; refusedConnections: number } {
    return {
      listening: this.server.listening,
      port: this.port,
      connections: this.connections.size,
      terminals: this.byTerminal.size,
      refusedConnections: this.refusedConnections,
    };
  }

  /** The live connection of an authenticated terminal, if it has one here. */
  connectionOf(terminalId: string): Jt808Connection | null {
    return this.byTerminal.get(terminalId) ?? null;
  }

  /** Closes a terminal's connection (its auth code was revoked, or it was removed from the registry). */
  disconnect(terminalId: string): boolean {
    const connection = this.byTerminal.get(terminalId);
    connection?.close();
    return connection !== undefined;
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const connection of this.connections) connection.close();
    await closing;
  }

  private accept(socket: Socket): void {
    if (this.connections.size >= this.options.maxConnections) {
      this.refusedConnections += 1;
      this.options.counted?.('flood');
      socket.destroy();
      return;
    }
    const connection = new Jt808Connection(socket, this.backend, this.options.limits, {
      authenticated: (c) => {
        const older = this.byTerminal.get(c.terminalId!);
        this.byTerminal.set(c.terminalId!, c);
        if (older && older !== c) older.close();
        else this.options.online?.(c.terminalId!);
      },
      closed: (c) => {
        this.connections.delete(c);
        const terminalId = c.terminalId;
        if (terminalId !== null && this.byTerminal.get(terminalId) === c) {
          this.byTerminal.delete(terminalId);
          this.options.offline?.(terminalId);
          void this.backend
            .liveness({ source: 'jt808', topic: `jt808/${c.phone ?? c.remote}/close`, terminalId, receivedAtMs: Date.now() }, 'offline')
            .catch(() => undefined);
        }
      },
      mayRecord: (key) => this.limiter.admit(key),
      counted: (reason) => this.options.counted?.(reason),
    });
    this.connections.add(connection);
  }

  private sweep(): void {
    const now = Date.now();
    for (const connection of this.connections) connection.sweep(now);
  }
}
