import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ComplianceRules, RegistrySnapshot } from '@muckwatch/domain';
import type { ComplianceEngines } from './compliance-engines.js';
import type { FixLike } from './compliance-write.js';
import { type FixColumns, encodeFixes } from './fix-columns.js';

export type EngineMethod = 'setFacts' | 'restore' | 'evaluate' | 'replay' | 'tick' | 'unsavedStates' | 'release' | 'terminalIds';

/** Each method's arguments as they cross the channel: fixes to evaluate go as columns. */
export type WireArgs = { [M in EngineMethod]: M extends 'evaluate' ? [FixColumns] : Parameters<ComplianceEngines[M]> };

export interface EngineCall {
  id: number;
  method: EngineMethod;
  args: unknown[];
}
export type EngineReply = { id: number; result: unknown } | { id: number; error: string };

/** The child is TypeScript, loaded the way the API itself is (package.json "api", the Dockerfile). */
const CHILD = fileURLToPath(new URL('./engines-child.ts', import.meta.url));
const TSCONFIG = fileURLToPath(new URL('../../../../tsconfig.json', import.meta.url));

/**
 * ComplianceEngines in a child process, so evaluating fixes never takes the ingest's event loop
 * (nor its garbage collector) and uses a core of its own. Each call sends its arguments over the
 * IPC channel (structured clone) and resolves with the result, in order.
 *
 * A child that dies (a bug, out of memory) rejects what was waiting and is replaced on the next
 * call, with the last registry facts but no engines: `generation` counts children started, and
 * the caller rebuilds the engines from PostgreSQL when it changes (ComplianceService.ready).
 */
export class EnginesProcess {
  private child: ChildProcess | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private snapshot: RegistrySnapshot | null = null;
  private started = 0;
  private closing = false;

  constructor(
    private readonly rules: ComplianceRules,
    private readonly onError: (message: string) => void,
  ) {}

  private lastError: string | null = null;

  /** The child now (null between a death and the next call), restarts so far, and why the last one ended. */
  status(): { pid: number | null; restarts: number; lastError: string | null } {
    return { pid: this.child?.pid ?? null, restarts: Math.max(0, this.started - 1), lastError: this.lastError };
  }

  /** How many children were started: it changes when a dead one is replaced. */
  get generation(): number {
    return this.started;
  }

  async setFacts(snapshot: RegistrySnapshot): Promise<void> {
    this.snapshot = snapshot;
    await this.call('setFacts', [snapshot]);
  }

  restore(...args: Parameters<ComplianceEngines['restore']>): Promise<ReturnType<ComplianceEngines['restore']>> {
    return this.call('restore', args);
  }

  /** The committed fixes (stored rows, flagged ones included), sent as columns. */
  evaluate(fixes: readonly FixLike[]): Promise<ReturnType<ComplianceEngines['evaluate']>> {
    const args: WireArgs['evaluate'] = [encodeFixes(fixes)];
    return this.call('evaluate', args);
  }

  replay(...args: Parameters<ComplianceEngines['replay']>): Promise<ReturnType<ComplianceEngines['replay']>> {
    return this.call('replay', args);
  }

  tick(...args: Parameters<ComplianceEngines['tick']>): Promise<ReturnType<ComplianceEngines['tick']>> {
    return this.call('tick', args);
  }

  unsavedStates(): Promise<ReturnType<ComplianceEngines['unsavedStates']>> {
    return this.call('unsavedStates', []);
  }

  release(...args: Parameters<ComplianceEngines['release']>): Promise<ReturnType<ComplianceEngines['release']>> {
    return this.call('release', args);
  }

  terminalIds(): Promise<ReturnType<ComplianceEngines['terminalIds']>> {
    return this.call('terminalIds', []);
  }

  /** Starts the child now rather than on the first call (it compiles its modules first, ~2 s). */
  start(): void {
    this.ensureChild();
  }

  /** Closes the channel; the child exits (killed if it has not within 5 s). */
  async close(): Promise<void> {
    this.closing = true;
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (child.connected) child.disconnect();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  private call<R>(method: EngineMethod, args: unknown[]): Promise<R> {
    const child = this.ensureChild();
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.waiting.set(id, { resolve: (value) => resolve(value as R), reject });
      child.send({ id, method, args } satisfies EngineCall, (error) => {
        if (!error) return;
        this.waiting.delete(id);
        reject(error);
      });
    });
  }

  private ensureChild(): ChildProcess {
    if (this.child) return this.child;
    if (this.closing) throw new Error('compliance engines are closed');
    const child = fork(CHILD, [], {
      execArgv: ['--import', '@swc-node/register/esm-register'],
      env: { ...process.env, SWC_NODE_PROJECT: TSCONFIG, COMPLIANCE_ENGINE_RULES: JSON.stringify(this.rules) },
      serialization: 'advanced',
    });
    this.started += 1;
    child.on('message', (reply: EngineReply) => {
      const waiter = this.waiting.get(reply.id);
      if (!waiter) return;
      this.waiting.delete(reply.id);
      if ('error' in reply) waiter.reject(new Error(reply.error));
      else waiter.resolve(reply.result);
    });
    // A child that could not start, or that exited: what waited on it fails.
    const gone = (why: string): void => {
      if (this.child === child) this.child = null;
      for (const waiter of this.waiting.values()) waiter.reject(new Error(`compliance engines process ${why}`));
      this.waiting.clear();
      if (this.closing) return;
      this.lastError = why;
      this.onError(`compliance engines process ${why}; the next call starts a new one`);
    };
    child.on('error', (error) => {
      if (child.pid === undefined) {
        gone(`failed to start: ${error.message}`);
      } else {
        this.lastError = error.message;
        this.onError(`compliance engines process: ${error.message}`);
      }
    });
    child.on('exit', (code, signal) => {
      if (this.child === child) gone(`exited (${signal ?? code})`);
    });
    this.child = child;
    if (this.snapshot) void this.call('setFacts', [this.snapshot]).catch(() => undefined);
    return child;
  }
}
