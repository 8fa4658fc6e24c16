import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type pg from 'pg';
import { Observable, type Subscription, debounceTime, merge } from 'rxjs';
import { NEW_CASE, type Violation, type ViolationClosedEvent } from '@muckwatch/contracts';
import type { ComplianceRules, ViolationEpisode } from '@muckwatch/domain';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';
import { PG_POOL } from '../database/database.module.js';
import type { PositionRow } from '../ingest/telemetry-message.js';
import { DomainEvents } from '../events/domain-events.js';
import { RegistryChanges } from '../registry/common/registry-changes.service.js';
import type { RestoreInput } from './compliance-engines.js';
import { ComplianceStore } from './compliance-store.js';
import { type Alarm, type ComplianceWrite, type EngineOutcome, type FixLike, emptyWrite, mergeWrite } from './compliance-write.js';
import { EnginesProcess } from './engines-process.js';
import { INFRASTRUCTURE, type Infrastructure } from '../infrastructure.js';
import { PartitionLeases, partitionOf } from './partition-leases.js';
import { ClusterBus } from '../cluster/cluster-bus.js';
import { loadRegistrySnapshot } from './registry-snapshot.js';

/** `collection_points.changed` on the domain event bus as an observable. */
function collectionPointChanges(events: DomainEvents): Observable<unknown> {
  return new Observable((subscriber) => events.subscribe('collection_points.changed', (change) => subscriber.next(change)));
}

const PRUNE_EVERY_MS = 3_600_000;
/** How long a fix waits for the fixes before it that another instance stored (see ComplianceService.reorderMs). */
const REORDER_MS = 1_500;

/**
 * An engine episode as the socket's alarm. The case fields are a new case's: an alarm announces
 * the episode, and the console reads the case (which may have moved on) from the API.
 */
export function episodeToViolation(v: ViolationEpisode): Violation {
  const at = (p: { atMs: number; lon: number; lat: number }) => ({ at: new Date(p.atMs).toISOString(), lon: p.lon, lat: p.lat });
  return {
    id: v.id,
    type: v.type,
    severity: v.severity,
    status: v.end ? 'closed' : 'open',
    terminalId: v.terminalId,
    truckId: v.truckId,
    plate: v.plate,
    tripId: v.tripId,
    approvalId: v.approvalId,
    subjectId: v.subjectId,
    start: at(v.start),
    end: v.end ? at(v.end) : null,
    townCode: v.townCode,
    reasons: v.reasons,
    params: v.parameters,
    peak: v.peak,
    reportedLate: v.reportedLate,
    companyId: null,
    companyName: null,
    ...NEW_CASE,
    updatedAt: new Date().toISOString(),
  };
}

/**
 * Runs the compliance engine (libs/domain) on the platform: one TruckCompliance per terminal
 * (ComplianceEngines, in a child process), fed after each ingest commit with the committed fixes;
 * late fixes replay from a checkpoint; `tick` on a timer; trips and violations upserted in
 * batches; alarms to the live socket after the write commits. All work runs on one queue after the
 * commit, never inside it: the ingest hot path only hands its rows over, and the engines' CPU is
 * not on the ingest's event loop.
 */
@Injectable()
export class ComplianceService implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Compliance');
  private readonly rules: ComplianceRules;
  private readonly store: ComplianceStore;
  private readonly engines: EnginesProcess;
  /** The engines' generation last rebuilt from PostgreSQL (a replaced child process starts empty). */
  private restoredGeneration = -1;
  private factsLoaded = false;
  /** Committed rows not yet evaluated (PositionRow is a FixLike: nothing is copied here). */
  private pending: FixLike[] = [];
  private drainQueued = false;
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;
  private subscription: Subscription | null = null;
  private tickTimer: NodeJS.Timeout | null = null;
  private lastPruneMs = 0;
  private factsLoadCount = 0;
  /** Terminals whose late-fix replay failed: terminal → fix time of the earliest late fix. */
  private readonly replayDue = new Map<string, number>();
  /** A write that failed (database away): retried, merged with the next one, so no event is lost. */
  private unwritten: { write: ComplianceWrite; stale: Map<string, number>; alarms: Alarm[] } | null = null;
  /**
   * With PostgreSQL (several instances possible): the compliance partitions this instance holds.
   * Null with the embedded database, where this instance evaluates every terminal.
   */
  private leases: PartitionLeases | null = null;
  /** Partitions being rebuilt: their committed rows wait in `held` until the rebuild is done. */
  private readonly restoring = new Set<number>();
  private held: FixLike[] = [];
  private readonly partitionCache = new Map<string, number>();
  private unsubscribeStored: (() => void) | null = null;
  private unsubscribeResync: (() => void) | null = null;
  private reorderTimer: NodeJS.Timeout | null = null;
  /** Spans of fixes other instances stored for this instance's partitions, not yet read. */
  private remoteSpans: Array<[string, number, number]> = [];
  private fetchQueued = false;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly changes: RegistryChanges,
    private readonly events: DomainEvents,
    @Inject(INFRASTRUCTURE) private readonly infra: Infrastructure,
    private readonly cluster: ClusterBus,
  ) {
    this.store = new ComplianceStore(pool);
    this.rules = config.compliance.rules;
    this.engines = new EnginesProcess(this.rules, (message) => this.logger.error(message));
  }

  async onApplicationBootstrap(): Promise<void> {
    this.engines.start();
    if (this.config.database.kind === 'external') {
      this.leases = new PartitionLeases(
        this.infra.databaseUrl,
        this.config.clusterName,
        { acquired: (p) => this.takePartitions(p), releasing: (p) => this.giveBackPartitions(p, true), lost: (p) => this.giveBackPartitions(p, false) },
        this.logger,
      );
      this.unsubscribeStored = this.events.subscribe('fixes.stored', (notice) => this.storedElsewhere(notice.terminals));
      // Deaf for a while, this instance may have missed registry changes and fixes stored by others:
      // the facts are read again and the partitions it holds rebuilt from what is stored.
      this.unsubscribeResync = this.cluster.onResync(() => {
        this.enqueue('registry reload', () => this.loadFacts());
        const held = this.leases?.ownedPartitions() ?? [];
        if (held.length > 0) void this.takePartitions(held).catch((error: unknown) => this.logger.warn(`catching up failed: ${String(error)}`));
      });
    }
    this.enqueue('restore', () => this.ready());
    // Active collection points are trip origins too (a town's load closes at any licensed site).
    this.subscription = merge(this.changes.changes$, collectionPointChanges(this.events))
      .pipe(debounceTime(1000))
      .subscribe(() => this.enqueue('registry reload', () => this.loadFacts()));
    this.tickTimer = setInterval(() => this.enqueue('tick', () => this.tick(Date.now())), this.config.compliance.tickMs);
    this.tickTimer.unref();
    // The first round is awaited: this instance starts with its share of the terminals (all of them alone).
    await this.leases?.start();
  }

  /** Saves every engine's state before the pool closes, so a restart continues from here. */
  async beforeApplicationShutdown(): Promise<void> {
    this.subscription?.unsubscribe();
    this.unsubscribeStored?.();
    this.unsubscribeResync?.();
    if (this.tickTimer) clearInterval(this.tickTimer);
    if (this.reorderTimer) clearTimeout(this.reorderTimer);
    // Partitions go back with their state saved (giveBackPartitions), so the survivors continue from here.
    await this.leases?.stop();
    this.stopped = true;
    await this.queue;
    await this.drain(true).catch((error: unknown) => this.logger.error(`final drain failed: ${String(error)}`));
    try {
      const write = emptyWrite();
      write.checkpoints.push(...(await this.engines.unsavedStates()));
      await this.store.write(write);
    } catch (error) {
      this.logger.error(`shutdown checkpoint failed: ${String(error)}`);
    }
    await this.engines.close();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.engines.close();
  }

  /**
   * Called by ingest after each COMMIT with the stored rows (flagged ones included). Never blocks.
   * Rows of terminals whose partition another instance holds go to it as `fixes.stored`.
   */
  committed(positions: readonly PositionRow[]): void {
    if (positions.length === 0) return;
    this.events.publish('fixes.committed', { count: positions.length, positions });
    const elsewhere = new Map<string, [string, number, number]>();
    for (const p of positions) {
      const partition = this.partition(p.terminalId);
      if (partition === null) this.pending.push(p);
      else if (this.restoring.has(partition)) this.held.push(p);
      else if (this.leases?.owns(partition)) this.pending.push(p);
      else {
        const span = elsewhere.get(p.terminalId);
        if (span) {
          span[1] = Math.min(span[1], p.fixTimeMs);
          span[2] = Math.max(span[2], p.fixTimeMs);
        } else elsewhere.set(p.terminalId, [p.terminalId, p.fixTimeMs, p.fixTimeMs]);
      }
    }
    if (elsewhere.size > 0) this.events.publish('fixes.stored', { from: this.config.instanceId, terminals: [...elsewhere.values()] });
    this.scheduleDrain();
  }

  /** The compliance partitions this instance holds (null: all terminals, embedded). */
  ownedPartitions(): number[] | null {
    return this.leases ? this.leases.ownedPartitions() : null;
  }

  private scheduleDrain(): void {
    if (this.pending.length === 0 || this.drainQueued || this.stopped) return;
    this.drainQueued = true;
    this.enqueue('evaluate', () => this.drain());
  }

  /** A terminal's partition; null without leases (every terminal is this instance's). */
  private partition(terminalId: string): number | null {
    if (!this.leases) return null;
    let p = this.partitionCache.get(terminalId);
    if (p === undefined) {
      if (this.partitionCache.size > 200_000) this.partitionCache.clear();
      p = partitionOf(terminalId);
      this.partitionCache.set(terminalId, p);
    }
    return p;
  }

  private owns(terminalId: string): boolean {
    const p = this.partition(terminalId);
    return p === null || (this.leases?.owns(p) ?? true);
  }

  /**
   * Another instance stored fixes of terminals: those of this instance's partitions are read and
   * evaluated. Notices arriving while a read is queued join it: one read (and one evaluation) per
   * turn of the queue however many notices came, so the queue never falls behind the notices.
   */
  private storedElsewhere(spans: ReadonlyArray<[string, number, number]>): void {
    for (const span of spans) if (this.owns(span[0])) this.remoteSpans.push(span);
    if (this.remoteSpans.length === 0 || this.fetchQueued) return;
    this.fetchQueued = true;
    this.enqueue('fixes stored elsewhere', async () => {
      this.fetchQueued = false;
      const spans = this.remoteSpans;
      this.remoteSpans = [];
      try {
        for (let i = 0; i < spans.length; i += 5_000) {
          for (const row of await this.store.fixesBetween(spans.slice(i, i + 5_000))) {
            const p = this.partition(row.terminalId);
            if (p === null || !this.leases?.owns(p)) continue;
            (this.restoring.has(p) ? this.held : this.pending).push(row);
          }
        }
      } catch (error) {
        // Read again with the next notice (the rows are stored; nothing is lost meanwhile).
        this.remoteSpans.unshift(...spans);
        throw error;
      }
      await this.drain();
    });
  }

  /** Partitions just taken: their terminals rebuilt from checkpoints and stored fixes, then their held rows evaluated. */
  private async takePartitions(partitions: readonly number[]): Promise<void> {
    const taken = new Set(partitions);
    for (const p of taken) this.restoring.add(p);
    try {
      await this.run('take partitions', async () => {
        await this.ready();
        await this.restore((terminalId) => taken.has(partitionOf(terminalId)));
      });
    } finally {
      for (const p of taken) this.restoring.delete(p);
      const held = this.held;
      this.held = [];
      for (const row of held) {
        const p = this.partition(row.terminalId);
        if (p !== null && taken.has(p)) this.pending.push(row);
        else if (p !== null && this.restoring.has(p)) this.held.push(row);
      }
      this.scheduleDrain();
    }
  }

  /**
   * Partitions going to another instance (`save`: their state saved as checkpoints the new owner
   * continues from) or lost with the lease: their engines forgotten here, their waiting rows dropped
   * (they are stored: the new owner reads them).
   */
  private async giveBackPartitions(partitions: readonly number[], save: boolean): Promise<void> {
    const gone = new Set(partitions);
    const theirs = (terminalId: string): boolean => gone.has(partitionOf(terminalId));
    await this.run('give back partitions', async () => {
      // Handing over, what was committed while they were still this instance's is evaluated first.
      if (save) await this.drain(true);
      this.pending = this.pending.filter((f) => !theirs(f.terminalId));
      this.held = this.held.filter((f) => !theirs(f.terminalId));
      for (const terminalId of [...this.replayDue.keys()]) if (theirs(terminalId)) this.replayDue.delete(terminalId);
      const states = await this.engines.release((await this.engines.terminalIds()).filter(theirs));
      if (save && states.length > 0) {
        const write = emptyWrite();
        write.checkpoints.push(...states);
        await this.store.write(write);
      }
      this.logger.log(`${save ? 'handed over' : 'dropped'} ${states.length} terminals of partitions ${partitions.join(', ')}`);
    });
  }

  /** The engines' child process, for health. */
  engineStatus(): ReturnType<EnginesProcess['status']> {
    return this.engines.status();
  }

  /** Resolves once everything handed over so far is evaluated and written (tests, shutdown). */
  async idle(): Promise<void> {
    await this.queue;
  }

  private enqueue(what: string, job: () => Promise<void>): void {
    this.queue = this.queue.then(job).catch((error: unknown) => {
      this.logger.error(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  /** As enqueue, and the caller waits for the job and hears its failure. */
  private run(what: string, job: () => Promise<void>): Promise<void> {
    const done = this.queue.then(job);
    this.queue = done.catch((error: unknown) => {
      this.logger.error(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
    });
    return done;
  }

  private async loadFacts(): Promise<void> {
    await this.engines.setFacts(await loadRegistrySnapshot(this.pool));
    this.factsLoaded = true;
    this.factsLoadCount += 1;
  }

  /** How many times the registry facts were loaded so far (a test waits for the reload a change causes). */
  get factsLoads(): number {
    return this.factsLoadCount;
  }

  /** Facts loaded and engines rebuilt: at start, and again if the child process was replaced. */
  private async ready(): Promise<void> {
    if (!this.factsLoaded) await this.loadFacts();
    // A dead child is replaced here, not by the call that follows: that call would otherwise run
    // on empty engines (a mid-trip truck starting a trip of no origin) before the next rebuild.
    this.engines.start();
    if (this.restoredGeneration !== this.engines.generation) {
      this.restoredGeneration = this.engines.generation;
      try {
        await this.restore();
      } catch (error) {
        this.restoredGeneration = -1;
        throw error;
      }
    }
  }

  /**
   * Restart (README step 7): each terminal from its newest checkpoint plus the stored fixes since;
   * without one, from the fixes of the last abandon-trip span. Events are upserted (ids are
   * deterministic), not announced again.
   */
  private async restore(only: (terminalId: string) => boolean = () => true): Promise<void> {
    const checkpoints = new Map((await this.store.latestCheckpoints()).map((s) => [s.terminalId, s]));
    const terminals = (await this.store.terminalsWithFixes()).filter(({ terminalId }) => this.owns(terminalId) && only(terminalId));
    let inputs: Array<RestoreInput & { sinceMs: number }> = [];
    let fixes = 0;
    const flush = async (): Promise<void> => {
      // What was stored since each rebuild's start, where that start is exact: a checkpoint, or
      // the terminal's whole history (no fix at or before the replayed span).
      const withHistory = await this.store.fixesAtOrBefore(inputs.filter((i) => !i.checkpoint).map((i) => [i.terminalId, i.sinceMs]));
      const exact = inputs.filter((i) => !withHistory.has(i.terminalId));
      const stored = await this.store.storedSinceEach(exact.map((i) => [i.terminalId, i.sinceMs]));
      for (const input of exact) input.stored = stored.get(input.terminalId) ?? new Map();
      const { write, retract } = await this.engines.restore(inputs);
      await this.writeRetracting(write, retract);
      inputs = [];
      fixes = 0;
    };
    for (const { terminalId, lastFixMs } of terminals) {
      const checkpoint = checkpoints.get(terminalId) ?? null;
      const sinceMs = checkpoint?.lastFixTimeMs ?? lastFixMs - this.rules.abandonTripAfterMs;
      const input = { terminalId, checkpoint, sinceMs, fixes: await this.store.fixesAfter(terminalId, sinceMs) };
      inputs.push(input);
      fixes += input.fixes.length;
      if (inputs.length >= 200 || fixes >= 20_000) await flush();
    }
    await flush();
    this.logger.log(`restored ${terminals.length} terminals (${checkpoints.size} from checkpoints)`);
  }

  /**
   * A rebuild's write, and its retracted open episodes announced once it has committed. They are
   * read as stored before the write deletes them: the engine that raised them may have been
   * another instance's, and the rebuilt one never saw them.
   */
  private async writeRetracting(write: ComplianceWrite, retract: readonly string[]): Promise<void> {
    const retracted = await this.store.openEpisodes(retract);
    await this.store.write(write);
    this.announce(retracted.map((violation) => ({ kind: 'retracted', violation })));
  }

  /**
   * With several instances a truck's fixes reach its evaluator by two paths: those it stored itself
   * at once, the others' a moment later (their commit, the notice, a read). Evaluated as they come,
   * a fix would often arrive after a later one and cost a replay from the checkpoint. So while other
   * instances are live, a fix waits REORDER_MS after its receipt and each batch goes through the
   * engine in fix-time order; alarms come that much later. Alone, nothing waits.
   */
  private reorderMs(): number {
    return this.leases && this.leases.instances > 1 ? REORDER_MS : 0;
  }

  /** Evaluates the fixes committed since the last run (README steps 3, 4, 8); `all`: none waits for the reorder window. */
  private async drain(all = false): Promise<void> {
    this.drainQueued = false;
    if (this.pending.length === 0 && this.replayDue.size === 0) return;
    await this.ready();
    const window = all ? 0 : this.reorderMs();
    let fixes = this.pending;
    this.pending = [];
    if (window > 0) {
      const cutoff = Date.now() - window;
      const due: FixLike[] = [];
      for (const f of fixes) (f.receivedAtMs <= cutoff ? due : this.pending).push(f);
      fixes = due;
      if (this.pending.length > 0 && !this.reorderTimer) {
        this.reorderTimer = setTimeout(() => {
          this.reorderTimer = null;
          this.scheduleDrain();
        }, window);
        this.reorderTimer.unref();
      }
      if (fixes.length === 0 && this.replayDue.size === 0) return;
    }
    const { write, alarms: evaluated, late: lateFixes } = await this.engines.evaluate(fixes);
    let alarms = evaluated;
    const late = new Map(this.replayDue);
    this.replayDue.clear();
    for (const [terminalId, fromMs] of lateFixes) late.set(terminalId, Math.min(late.get(terminalId) ?? Infinity, fromMs));
    for (const [terminalId, fromMs] of [...late]) {
      try {
        const replayed = await this.replay(terminalId, fromMs);
        // What this batch already collected for the terminal is superseded by the replay.
        for (const [id, trip] of write.trips) if (trip.terminalId === terminalId) write.trips.delete(id);
        for (const [id, v] of write.violations) if (v.terminalId === terminalId) write.violations.delete(id);
        // So are its alarms: the replay announces what is new since the stored state (an episode
        // this batch opened and the replay opens again is announced once, not twice).
        alarms = alarms.filter((a) => a.violation.terminalId !== terminalId);
        mergeWrite(write, replayed.write);
        alarms.push(...replayed.alarms);
      } catch (error) {
        // Retried with the next drain or tick; the live engine goes on meanwhile.
        this.replayDue.set(terminalId, fromMs);
        late.delete(terminalId);
        this.logger.warn(`replay of ${terminalId} failed, will retry: ${String(error)}`);
      }
    }
    await this.persist(write, late, alarms);
    await this.pruneNowAndThen();
  }

  /**
   * A late fix (older than the engine's last): rebuild the terminal from the newest checkpoint
   * before it with every stored fix since (the late one is stored already).
   */
  private async replay(terminalId: string, lateMs: number): Promise<EngineOutcome> {
    const checkpoint = await this.store.checkpointBefore(terminalId, lateMs);
    const sinceMs = checkpoint?.lastFixTimeMs ?? lateMs - this.rules.abandonTripAfterMs;
    const fixes = await this.store.fixesAfter(terminalId, sinceMs);
    const stored = (await this.store.storedSinceEach([[terminalId, sinceMs]])).get(terminalId) ?? new Map();
    const { write, alarms, retract } = await this.engines.replay(terminalId, checkpoint, fixes, stored);
    for (const violation of await this.store.openEpisodes(retract)) alarms.push({ kind: 'retracted', violation });
    return { write, alarms };
  }

  /** README step 5: provisional offline episodes and abandoned trips for silent terminals. */
  private async tick(nowMs: number): Promise<void> {
    if (this.stopped) return;
    await this.ready();
    const { write, alarms } = await this.engines.tick(nowMs);
    await this.persist(write, new Map(), alarms);
    if (this.replayDue.size > 0) await this.drain();
  }

  /**
   * Writes, then announces. A failed write is kept and goes out with the next one (later versions
   * of the same id win), so an outage delays trips, violations and alarms but loses none.
   */
  private async persist(write: ComplianceWrite, stale: Map<string, number>, alarms: Alarm[]): Promise<void> {
    const pending = this.unwritten;
    if (pending) {
      mergeWrite(pending.write, write);
      for (const [terminalId, ms] of stale) pending.stale.set(terminalId, Math.min(ms, pending.stale.get(terminalId) ?? Infinity));
      pending.alarms.push(...alarms);
    }
    const next = pending ?? { write, stale, alarms };
    try {
      await this.store.write(next.write, next.stale);
    } catch (error) {
      this.unwritten = next;
      throw error;
    }
    this.unwritten = null;
    this.announce(next.alarms);
    this.announceClosedTrips(next.write);
  }

  /** After the write committed: each trip stored as closed, as `trip.closed` (collection requests' fulfilment listens). */
  private announceClosedTrips(write: ComplianceWrite): void {
    for (const trip of write.trips.values()) {
      if (trip.status !== 'closed' || !trip.end) continue;
      this.events.publish('trip.closed', {
        tripId: trip.id,
        terminalId: trip.terminalId,
        truckId: trip.truckId,
        startedAt: new Date(trip.start.atMs).toISOString(),
        endedAt: new Date(trip.end.atMs).toISOString(),
        destinationId: trip.destinationId,
        originKind: trip.originKind,
        originId: trip.originId,
      });
    }
  }

  private async pruneNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPruneMs < PRUNE_EVERY_MS) return;
    this.lastPruneMs = Date.now();
    await this.store.pruneCheckpoints(this.config.ingest.quality.maxAgeMs / 3_600_000);
  }

  /** After the write committed: each alarm as a domain event (the live gateway forwards them to consoles). */
  private announce(alarms: readonly Alarm[]): void {
    for (const { kind, violation } of alarms) {
      const payload = episodeToViolation(violation);
      if (kind === 'opened') {
        this.events.publish('violation.opened', { violation: payload });
      } else {
        const closed: ViolationClosedEvent = { ...payload, retracted: kind === 'retracted' };
        this.events.publish('violation.closed', { violation: closed });
      }
    }
  }
}
