import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** A `postgres://` URL that `pg` and TypeORM connect to, like any PostgreSQL server. */
  url: string;
  stop(): Promise<void>;
}

/**
 * PostgreSQL 18 + PostGIS 3.6 compiled to WebAssembly (PGlite), served over the PostgreSQL wire
 * protocol on a loopback port so the API uses the very same `pg`/TypeORM code path as with a real
 * server. PGlite is single-session underneath; the socket server multiplexes connections.
 */
type Enqueue = (handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void) => Promise<number>;

/** Frontend messages that end a request: Sync, simple Query, Flush, Terminate. */
const REQUEST_ENDS = new Set(['S', 'Q', 'H', 'X'].map((c) => c.charCodeAt(0)));
const PROTOCOL_3 = 196_608;

/**
 * pglite-socket (0.2.11) queues each protocol message on its own, so the messages of two
 * connections interleave: one client's Parse can land between another's Parse and Bind, and the
 * second Bind then runs the first client's statement. Seen as sessions "missing" under load.
 * This queues a connection's messages as one unit up to the message that ends the request
 * (Sync, Query, Flush, Terminate), which is how PostgreSQL itself sees them.
 */
function queueWholeRequests(server: PGLiteSocketServer): void {
  const queue = (server as unknown as { queryQueue: { enqueue: Enqueue } }).queryQueue;
  const enqueue = queue.enqueue.bind(queue);
  const partial = new Map<number, Uint8Array[]>();
  queue.enqueue = (handlerId, message, onData) => {
    const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
    const startup = message.byteLength >= 8 && view.getInt32(4) === PROTOCOL_3;
    if (startup) return enqueue(handlerId, message, onData);
    const parts = partial.get(handlerId) ?? [];
    parts.push(message);
    if (!REQUEST_ENDS.has(message[0]!)) {
      partial.set(handlerId, parts);
      return Promise.resolve(0);
    }
    partial.delete(handlerId);
    const request = parts.length === 1 ? message : Buffer.concat(parts);
    // PGlite answers synchronously: collect the reply, then hand it on with one ReadyForQuery.
    const reply: Uint8Array[] = [];
    // Copied: PGlite hands out views of its own buffer, which its next output overwrites.
    return enqueue(handlerId, request, (data) => reply.push(Buffer.from(data))).then((bytes) => {
      if (reply.length > 0) onData(oneReadyForQuery(Buffer.concat(reply), message[0] === SYNC || message[0] === QUERY));
      return bytes;
    });
  };
}

const SYNC = 'S'.charCodeAt(0);
const QUERY = 'Q'.charCodeAt(0);
const READY_FOR_QUERY = 'Z'.charCodeAt(0);

/**
 * PGlite (0.5.8) answers a failed extended-protocol request with TWO ReadyForQuery messages: one
 * from its error recovery, one for the Sync. PostgreSQL sends one (none before the Sync). `pg`
 * takes the extra one as the end of the connection's NEXT query, which then "returns" no rows,
 * and the real answer arriving after breaks the connection — seen as a session lookup coming back
 * empty right after a request whose transaction failed. This keeps only the last ReadyForQuery of
 * a request that ends in Sync or Query, and none of one that ends in Flush.
 */
function oneReadyForQuery(reply: Buffer, endsInSync: boolean): Buffer {
  const messages: Buffer[] = [];
  let last: Buffer | null = null;
  let dropped = false;
  for (let at = 0; at + 5 <= reply.length; ) {
    const end = at + 1 + reply.readInt32BE(at + 1);
    const one = reply.subarray(at, end);
    if (one[0] === READY_FOR_QUERY) {
      if (last) dropped = true;
      last = one;
    } else {
      messages.push(one);
    }
    at = end;
  }
  if (!last) return reply;
  // The usual reply: exactly one, at the end (a ReadyForQuery message is 6 bytes).
  if (!dropped && endsInSync && reply[reply.length - 6] === READY_FOR_QUERY) return reply;
  if (endsInSync) messages.push(last);
  return Buffer.concat(messages);
}

interface PostgresModule {
  _PostgresMainLoopOnce: () => void;
  /** The WebAssembly global holding the stack pointer. */
  ___stack_pointer: { value: number };
}

/**
 * PGlite (0.5.8) runs the backend's main loop one step at a time and, when a statement fails,
 * catches the error's longjmp as a JavaScript exception and runs the error recovery — without
 * putting the WebAssembly stack pointer back where the step began. Every SQL error (a unique or
 * foreign-key violation, say) so leaks the depth of the stack at the error: after a few thousand
 * errors (about 2,800 foreign-key violations here) the backend answers "stack depth limit
 * exceeded", hangs, or traps. A real `siglongjmp` restores the stack pointer of its `sigsetjmp`;
 * this does the same for each step of the loop.
 */
function restoreStackAfterErrors(db: PGlite): void {
  const mod = (db as unknown as { mod: PostgresModule }).mod;
  const stackPointer = mod.___stack_pointer;
  // The export is a lazy thunk that replaces itself on first call: keep whatever it installs.
  let loopOnce = mod._PostgresMainLoopOnce;
  const guardedLoopOnce = (): void => {
    const top = stackPointer.value;
    try {
      loopOnce();
    } catch (error) {
      stackPointer.value = top;
      throw error;
    }
  };
  Object.defineProperty(mod, '_PostgresMainLoopOnce', {
    configurable: true,
    get: () => guardedLoopOnce,
    set: (installed: () => void) => {
      loopOnce = installed;
    },
  });
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  host?: string;
  maxConnections?: number;
}): Promise<EmbeddedPostgres> {
  const host = options.host ?? '127.0.0.1';
  if (!options.dataDir.startsWith('memory://')) await mkdir(options.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: options.dataDir, extensions: { postgis } });
  restoreStackAfterErrors(db);
  await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
  const server = new PGLiteSocketServer({
    db,
    host,
    port: options.port,
    maxConnections: options.maxConnections ?? 32,
  });
  queueWholeRequests(server);
  await server.start();
  const address = (server as unknown as { server?: { address(): { port: number } | string | null } }).server?.address();
  const port = address && typeof address === 'object' ? address.port : options.port;
  return {
    url: `postgres://postgres@${host}:${port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
