import type { TelemetryFix, TerminalModelMapping } from '@muckwatch/contracts';
import { encodeLocation, JT808_MAX_BODY_BYTES, type Jt808LocationInput, type Jt808Version } from '@muckwatch/jt808';
import { demoJt808Terminals } from '@muckwatch/linzi';
import { Jt808Terminal } from './jt808-terminal.js';
import { obeyDownlink } from './jt808-obedience.js';
import { defaultModelForMaker, locationOfFix } from './jt808-states.js';
import type { TruckControl } from './truck-control.js';

/** A simulated truck's JT/T 808 identity, as the registry knows it. */
export interface Jt808Profile {
  /** The registry's `sim`: the phone number in every header. */
  sim: string;
  version: Jt808Version;
  /** The registry's maker: which model's mapping the platform reads the reports with. */
  maker: string | null;
  /** The bound truck's plate, reported at registration; null: plate colour 0 (VIN only). */
  plate: string | null;
}

export interface Jt808LinkStats {
  connected: boolean;
  authenticated: boolean;
  /** Reports the platform answered with 0x8001 result 0 (live and backfilled). */
  acknowledged: number;
  /** Reports waiting to go out as a blind-area batch. */
  backlog: number;
  /** Oldest reports dropped because the backlog was full. */
  dropped: number;
  reconnects: number;
  /** Platform commands answered with 0x0001. */
  commandsAnswered: number;
  lastError: string | null;
}

export interface Jt808LinkOptions {
  host: string;
  port: number;
  profile: Jt808Profile;
  control: TruckControl;
  /** Reports kept for the blind-area batch at most (oldest dropped first); default 5000. */
  maxBacklog?: number;
  /** Unanswered live reports at most before new ones wait in the backlog; default 20. */
  maxInFlight?: number;
  /** A report unanswered this long counts as lost and the connection is dropped; default 15 s. */
  ackTimeoutMs?: number;
  /** Back-off after a failed connection: doubles from `minBackoffMs` to `maxBackoffMs`; defaults 1 s / 30 s. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Heartbeat (0x0002) after this long without a report; default 30 s. */
  heartbeatMs?: number;
  /** Called after each acknowledged report (the bench measures report → ack with it). */
  onAcknowledged?: (count: number) => void;
}

/** Registration fields of a simulated terminal (JT/T 808 table 8): Shandong (37), Zibo (0303). */
const PROVINCE = 37;
const CITY = 303;
/** Plate colour 2 (yellow): heavy goods vehicles; 0: no plate, the VIN is sent instead. */
const YELLOW = 2;
/** Blind-area batch: 3 bytes of head, then each item as WORD length + body. */
const BATCH_HEAD_BYTES = 3;

/** Greedy split of locations into 0x0704 batches whose body fits one frame. */
export function blindAreaBatches(locations: readonly Jt808LocationInput[], maxBody = JT808_MAX_BODY_BYTES): Jt808LocationInput[][] {
  const batches: Jt808LocationInput[][] = [];
  let current: Jt808LocationInput[] = [];
  let size = BATCH_HEAD_BYTES;
  for (const location of locations) {
    const bytes = 2 + encodeLocation(location).length;
    if (current.length > 0 && size + bytes > maxBody) {
      batches.push(current);
      current = [];
      size = BATCH_HEAD_BYTES;
    }
    current.push(location);
    size += bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * One simulated truck's JT/T 808 connection, kept up like a real terminal keeps it: registers
 * (once; the auth code is kept across reconnects, registering again only when authentication is
 * refused), authenticates, reports each fix as 0x0200 and waits for the platform's 0x8001 (sent
 * after the commit, apps/api/src/jt808/jt808-connection.ts). A report not acknowledged — the
 * connection dropped, the answer did not come, or no connection — is kept and re-sent after the
 * next authentication as 0x0704 type 1 (blind-area backfill). Reconnects with doubling back-off.
 * Obeys the platform's commands by the model's mapping (./jt808-obedience.ts).
 */
export class Jt808Link {
  readonly stats: Jt808LinkStats = { connected: false, authenticated: false, acknowledged: 0, backlog: 0, dropped: 0, reconnects: 0, commandsAnswered: 0, lastError: null };
  readonly mapping: TerminalModelMapping;
  private terminal: Jt808Terminal | null = null;
  private authCode: string | null = null;
  private backlog: Jt808LocationInput[] = [];
  private inFlight = 0;
  private flushing = false;
  private stopped = false;
  private backoffMs: number;
  private retryTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private lastSentMs = 0;

  constructor(private readonly options: Jt808LinkOptions) {
    this.mapping = defaultModelForMaker(options.profile.maker).mapping;
    this.backoffMs = options.minBackoffMs ?? 1000;
  }

  /** Starts connecting (in the background; reconnects by itself until `stop`). */
  start(): void {
    void this.connect();
    const every = this.options.heartbeatMs ?? 30_000;
    this.heartbeatTimer = setInterval(() => {
      if (this.stats.authenticated && Date.now() - this.lastSentMs >= every) {
        this.lastSentMs = Date.now();
        this.terminal?.heartbeat().catch(() => undefined);
      }
    }, Math.max(1000, every / 2));
    this.heartbeatTimer.unref();
  }

  /** Reports one fix: live when authenticated and not too many are unanswered, else into the backlog. */
  report(fix: TelemetryFix): void {
    const location = locationOfFix(fix, this.mapping);
    const terminal = this.terminal;
    if (!terminal || !this.stats.authenticated || this.flushing || this.inFlight >= (this.options.maxInFlight ?? 20)) {
      this.keep([location]);
      return;
    }
    this.inFlight++;
    this.lastSentMs = Date.now();
    terminal
      .report(location, this.options.ackTimeoutMs ?? 15_000)
      .then((result) => {
        if (result === 0) this.acknowledged(1);
        else {
          // Refused (e.g. the session lost its authentication): keep it and start over.
          this.keep([location]);
          this.fail(terminal, `report answered with result ${result}`);
        }
      })
      .catch((error: unknown) => {
        this.keep([location]);
        this.fail(terminal, (error as Error).message);
      })
      .finally(() => this.inFlight--);
  }

  /** Closes the connection and stops reconnecting. Unsent reports stay unsent. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    const terminal = this.terminal;
    this.terminal = null;
    if (terminal) await terminal.close();
  }

  private acknowledged(count: number): void {
    this.stats.acknowledged += count;
    this.options.onAcknowledged?.(count);
  }

  private keep(locations: Jt808LocationInput[]): void {
    this.backlog.push(...locations);
    const max = this.options.maxBacklog ?? 5000;
    if (this.backlog.length > max) {
      this.stats.dropped += this.backlog.length - max;
      this.backlog.splice(0, this.backlog.length - max);
    }
    this.stats.backlog = this.backlog.length;
  }

  /** Drops a connection that lost a report; the close handler reconnects. */
  private fail(terminal: Jt808Terminal, reason: string): void {
    this.stats.lastError = reason;
    if (this.terminal === terminal) terminal.destroy();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.retryTimer) return;
    const delay = this.backoffMs * (0.75 + Math.random() * 0.5);
    this.backoffMs = Math.min(this.options.maxBackoffMs ?? 30_000, this.backoffMs * 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.stats.reconnects++;
      void this.connect();
    }, delay);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const { profile } = this.options;
    let terminal: Jt808Terminal;
    try {
      terminal = await Jt808Terminal.connect({ host: this.options.host, port: this.options.port, phone: profile.sim, version: profile.version });
    } catch (error) {
      this.stats.lastError = (error as Error).message;
      this.scheduleReconnect();
      return;
    }
    if (this.stopped) {
      terminal.destroy();
      return;
    }
    this.terminal = terminal;
    this.stats.connected = true;
    terminal.onCommand((message) => {
      this.stats.commandsAnswered++;
      return obeyDownlink(this.options.control, message.header.messageId, message.body, this.mapping, profile.version);
    });
    void terminal.closed.then(() => {
      if (this.terminal === terminal) this.terminal = null;
      this.stats.connected = false;
      this.stats.authenticated = false;
      this.scheduleReconnect();
    });
    try {
      await this.authenticate(terminal);
      this.stats.authenticated = true;
      this.backoffMs = this.options.minBackoffMs ?? 1000;
      await this.flush(terminal);
    } catch (error) {
      this.stats.lastError = (error as Error).message;
      terminal.destroy();
    }
  }

  /** Authenticates with the kept code; registers first when there is none or it was refused. */
  private async authenticate(terminal: Jt808Terminal): Promise<void> {
    if (this.authCode !== null && (await terminal.authenticate(this.authCode)) === 0) return;
    const { profile } = this.options;
    const registration = await terminal.register({
      province: PROVINCE,
      city: CITY,
      makerId: 'SIM',
      model: 'muckwatch-sim',
      terminalId: profile.sim.slice(-7),
      plateColor: profile.plate ? YELLOW : 0,
      plate: profile.plate ?? '',
    });
    if (registration.result !== 0 || registration.authCode === null) throw new Error(`registration refused (0x8100 result ${registration.result})`);
    this.authCode = registration.authCode;
    const result = await terminal.authenticate(registration.authCode);
    if (result !== 0) throw new Error(`authentication refused (0x8001 result ${result})`);
  }

  /** Sends the backlog as blind-area batches, oldest first; what is not acknowledged stays. */
  private async flush(terminal: Jt808Terminal): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.backlog.length > 0 && this.terminal === terminal) {
        const [batch] = blindAreaBatches(this.backlog.slice(0, 64));
        if (!batch) break;
        this.lastSentMs = Date.now();
        const result = await terminal.reportBatch(1, batch, this.options.ackTimeoutMs ?? 15_000);
        if (result !== 0) throw new Error(`blind-area batch answered with result ${result}`);
        this.backlog.splice(0, batch.length);
        this.stats.backlog = this.backlog.length;
        this.acknowledged(batch.length);
      }
    } finally {
      this.flushing = false;
    }
  }
}

/** The fleet's JT/T 808 trucks from the demo registry's plan (libs/linzi/src/demo/jt808.ts). */
export function demoJt808Profiles(share: number): Map<string, Jt808Profile> {
  return new Map(
    demoJt808Terminals(share).map((t) => [t.terminalId, { sim: t.sim, version: t.protocol === 'jt808-2019' ? '2019' : '2013', maker: t.maker, plate: t.plate }] as const),
  );
}
