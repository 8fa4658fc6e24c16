/**
 * The JT/T 808 bench's load generator, run as its own process (forked by jt808-bench.ts): one TCP
 * connection per terminal, each a simulators/fleet/src/jt808-terminal.ts peer that authenticates
 * (0x0102) and then keeps `window` 0x0200 reports unanswered until the time or the report budget
 * is spent. Protocol over IPC:
 *   parent → {type:'start', ...Jt808LoadJob}   child → {type:'connected', ...Jt808LoadConnected}
 *   parent → {type:'go'}                       child → {type:'done', ...Jt808LoadResult}
 *   parent → {type:'exit'}
 * A terminal's k-th report is its fix at baseMs + k s (JT/T 808 times have whole seconds, and a
 * terminal's fix times must differ), creeping east ~4.5 m per second like tests/bench/bench-fixes.ts.
 */
import { Jt808Terminal } from '@muckwatch/fleet';
import { encodeLocation, type Jt808LocationInput } from '@muckwatch/jt808';
import { percentile } from './bench-common.js';

export interface Jt808LoadJob {
  host: string;
  port: number;
  terminals: Array<{ phone: string; authCode: string }>;
  /** Unanswered 0x0200 per connection. */
  window: number;
  durationMs: number;
  /** Total reports over all connections; 0 = only the duration bounds the run. */
  maxReports: number;
  /** Fix time of every terminal's first report (epoch ms, whole second). */
  baseMs: number;
  /** Reports per terminal at most (its fix times span this many seconds). */
  perTerminalCap: number;
  answerTimeoutMs: number;
}

export interface Jt808LoadConnected {
  connected: number;
  authenticated: number;
  failures: string[];
  connectMs: number;
}

export interface Jt808LoadResult {
  sent: number;
  /** 0x8001 result 0. */
  accepted: number;
  /** 0x8001 with another result. */
  refused: number;
  /** No answer within answerTimeoutMs, or the connection closed. */
  unanswered: number;
  firstSendMs: number;
  lastAnswerMs: number;
  latencyMs: { p50: number | null; p99: number | null; max: number | null; samples: number };
  errors: string[];
}

/** Connections opened and authenticated at once (a listen backlog is finite). */
const CONNECT_CONCURRENCY = 100;

let terminals: Jt808Terminal[] = [];
let job: Jt808LoadJob | null = null;

function send(message: unknown): void {
  process.send?.(message);
}

async function inBatches<T>(items: T[], concurrency: number, each: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await each(items[i]!, i);
      }
    }),
  );
}

function location(j: number, k: number, baseMs: number): Jt808LocationInput {
  return {
    lat: 36.75 + (j % 50) * 0.003,
    lon: 118.2 + Math.floor(j / 50) * 0.003 + k * 0.00005,
    fixTimeMs: baseMs + k * 1000,
    speedKmh: 15,
    headingDeg: 90,
    valid: true,
    accOn: true,
    satellites: 9,
  };
}

async function start(raw: Jt808LoadJob): Promise<Jt808LoadConnected> {
  job = raw;
  const started = Date.now();
  const failures: string[] = [];
  const opened: Array<Jt808Terminal | null> = raw.terminals.map(() => null);
  let authenticated = 0;
  await inBatches(raw.terminals, CONNECT_CONCURRENCY, async ({ phone, authCode }, i) => {
    try {
      const terminal = await Jt808Terminal.connect({ host: raw.host, port: raw.port, phone, version: '2019' });
      opened[i] = terminal;
      const result = await terminal.authenticate(authCode);
      if (result === 0) authenticated += 1;
      else if (failures.length < 10) failures.push(`${phone}: 0x0102 answered with result ${result}`);
    } catch (error) {
      if (failures.length < 10) failures.push(`${phone}: ${(error as Error).message}`);
    }
  });
  terminals = opened.filter((t): t is Jt808Terminal => t !== null);
  return { connected: terminals.length, authenticated, failures, connectMs: Date.now() - started };
}

async function go(): Promise<Jt808LoadResult> {
  const { window, durationMs, maxReports, baseMs, perTerminalCap, answerTimeoutMs } = job!;
  const latencies: number[] = [];
  const errors: string[] = [];
  let sent = 0;
  let accepted = 0;
  let refused = 0;
  let unanswered = 0;
  let lastAnswerMs = 0;
  const firstSendMs = Date.now();
  const deadline = firstSendMs + durationMs;
  const budgetLeft = (): boolean => Date.now() < deadline && (maxReports === 0 || sent < maxReports);
  await Promise.all(
    terminals.map(async (terminal, j) => {
      let k = 0;
      const worker = async (): Promise<void> => {
        while (terminal.isOpen && k < perTerminalCap && budgetLeft()) {
          const serial = terminal.send(0x0200, encodeLocation(location(j, k++, baseMs)));
          sent += 1;
          const sentAt = performance.now();
          try {
            const answer = await terminal.answerTo(serial, answerTimeoutMs);
            const result = answer.header.messageId === 0x8001 ? (answer.body[4] ?? -1) : -1;
            latencies.push(performance.now() - sentAt);
            lastAnswerMs = Date.now();
            if (result === 0) accepted += 1;
            else refused += 1;
          } catch (error) {
            unanswered += 1;
            if (errors.length < 10) errors.push(`${terminal.options.phone}: ${(error as Error).message}`);
          }
        }
      };
      await Promise.all(Array.from({ length: window }, worker));
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    sent,
    accepted,
    refused,
    unanswered,
    firstSendMs,
    lastAnswerMs,
    latencyMs: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), max: latencies.at(-1) ?? null, samples: latencies.length },
    errors,
  };
}

type Inbound = ({ type: 'start' } & Jt808LoadJob) | { type: 'go' } | { type: 'exit' };

process.on('message', (raw: Inbound) => {
  void (async () => {
    try {
      if (raw.type === 'start') send({ type: 'connected', ...(await start(raw)) });
      else if (raw.type === 'go') send({ type: 'done', ...(await go()) });
      else if (raw.type === 'exit') {
        await Promise.all(terminals.map((t) => t.close()));
        process.exit(0);
      }
    } catch (error) {
      send({ type: 'error', message: (error as Error).stack ?? String(error) });
      process.exit(1);
    }
  })();
});
process.on('disconnect', () => process.exit(0));
