import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type pg from 'pg';
import { type Subscription, debounceTime } from 'rxjs';
import { ComplianceLiveEvent, type Violation, type ViolationClosedEvent } from '@muckwatch/contracts';
import {
  type ComplianceEvent,
  ComplianceFacts,
  type ComplianceFix,
  type ComplianceRules,
  TruckCompliance,
  type ViolationEpisode,
  replayFixes,
  supersededBy,
} from '@muckwatch/domain';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';
import { PG_POOL } from '../database/database.module.js';
import type { PositionRow } from '../ingest/telemetry-message.js';
import { LiveGateway } from '../live/live.gateway.js';
import { RegistryChanges } from '../registry/common/registry-changes.service.js';
import { ComplianceStore, type ComplianceWrite, collect, emptyWrite, toComplianceFix } from './compliance-store.js';
import { loadRegistrySnapshot } from './registry-snapshot.js';

/** A checkpoint per terminal at least this often in fix time (README step 6). */
const CHECKPOINT_EVERY_MS = 10 * 60_000;
const PRUNE_EVERY_MS = 3_600_000;

/** An engine episode as the socket's alarm (not yet assigned: the row's dispatcher fields are empty). */
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
    handling: 'new',
    assignedDepartment: null,
    note: null,
    updatedAt: new Date().toISOString(),
  };
}

interface Alarm {
  kind: 'opened' | 'closed' | 'retracted';
  violation: ViolationEpisode;
}

/**
 * Runs the compliance engine (libs/domain) on the platform: one TruckCompliance per terminal, fed
 * after each ingest commit with the committed fixes in fix-time order; late fixes replay from a
 * checkpoint; `tick` on a timer; trips and violations upserted in batches; alarms to the live
 * socket after the write commits. All work runs on one queue after the commit, never inside it:
 * the ingest hot path only hands its rows over.
 */
@Injectable()
export class ComplianceService implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Compliance');
  private readonly rules: ComplianceRules;
  private readonly store: ComplianceStore;
  private readonly engines = new Map<string, TruckCompliance>();
  /** Fix time of each terminal's last saved checkpoint. */
  private readonly checkpointedAt = new Map<string, number>();
  private facts: ComplianceFacts | null = null;
  private pending: ComplianceFix[] = [];
  private drainQueued = false;
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;
  private subscription: Subscription | null = null;
  private tickTimer: NodeJS.Timeout | null = null;
  private lastPruneMs = 0;
  /** A write that failed (database away): retried, merged with the next one, so no event is lost. */
  /** Terminals whose late-fix replay failed: terminal → fix time of the earliest late fix. */
  private readonly replayDue = new Map<string, number>();
  private unwritten: { write: ComplianceWrite; stale: Map<string, number>; alarms: Alarm[] } | null = null;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly changes: RegistryChanges,
    private readonly gateway: LiveGateway,
  ) {
    this.store = new ComplianceStore(pool);
    this.rules = config.compliance.rules;
  }

  onApplicationBootstrap(): void {
    this.enqueue('restore', () => this.restore());
    this.subscription = this.changes.changes$.pipe(debounceTime(1000)).subscribe(() => this.enqueue('registry reload', async () => void (await this.loadFacts())));
    this.tickTimer = setInterval(() => this.enqueue('tick', () => this.tick(Date.now())), this.config.compliance.tickMs);
    this.tickTimer.unref();
  }

  /** Saves every engine's state before the pool closes, so a restart continues from here. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.subscription?.unsubscribe();
    if (this.tickTimer) clearInterval(this.tickTimer);
    await this.queue;
    await this.drain().catch((error: unknown) => this.logger.error(`final drain failed: ${String(error)}`));
    const write = emptyWrite();
    for (const engine of this.engines.values()) {
      const state = engine.state;
      if (state.lastFixTimeMs !== null && state.lastFixTimeMs !== this.checkpointedAt.get(state.terminalId)) write.checkpoints.push(state);
    }
    await this.store.write(write).catch((error: unknown) => this.logger.error(`shutdown checkpoint failed: ${String(error)}`));
  }

  onApplicationShutdown(): void {
    this.stopped = true;
  }

  /** Called by ingest after each COMMIT with the stored rows (flagged ones included). Never blocks. */
  committed(positions: readonly PositionRow[]): void {
    if (positions.length === 0) return;
    for (const p of positions) this.pending.push(toComplianceFix(p));
    if (this.drainQueued || this.stopped) return;
    this.drainQueued = true;
    this.enqueue('evaluate', () => this.drain());
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

  private async loadFacts(): Promise<ComplianceFacts> {
    const facts = new ComplianceFacts(await loadRegistrySnapshot(this.pool));
    this.facts = facts;
    return facts;
  }

  private async ready(): Promise<ComplianceFacts> {
    return this.facts ?? (await this.loadFacts());
  }

  /**
   * Restart (README step 7): each terminal from its newest checkpoint plus the stored fixes since;
   * without one, from the fixes of the last abandon-trip span. Events are upserted (ids are
   * deterministic), not announced again.
   */
  private async restore(): Promise<void> {
    const facts = await this.ready();
    const checkpoints = new Map((await this.store.latestCheckpoints()).map((s) => [s.terminalId, s]));
    const terminals = await this.store.terminalsWithFixes();
    let write = emptyWrite();
    for (const { terminalId, lastFixMs } of terminals) {
      const checkpoint = checkpoints.get(terminalId) ?? null;
      const sinceMs = checkpoint?.lastFixTimeMs ?? lastFixMs - this.rules.abandonTripAfterMs;
      const fixes = await this.store.fixesAfter(terminalId, sinceMs);
      const { engine, events } = replayFixes(checkpoint ?? terminalId, fixes, facts, this.rules);
      this.engines.set(terminalId, engine);
      if (checkpoint?.lastFixTimeMs != null) this.checkpointedAt.set(terminalId, checkpoint.lastFixTimeMs);
      collect(write, events);
      this.dueCheckpoint(terminalId, engine, write);
      if (write.violations.size + write.trips.size > 500) {
        await this.store.write(write);
        write = emptyWrite();
      }
    }
    await this.store.write(write);
    this.logger.log(`restored ${terminals.length} terminals (${checkpoints.size} from checkpoints)`);
  }

  /** Evaluates the fixes committed since the last run (README steps 3, 4, 8). */
  private async drain(): Promise<void> {
    this.drainQueued = false;
    if (this.pending.length === 0 && this.replayDue.size === 0) return;
    const facts = await this.ready();
    const fixes = this.pending;
    this.pending = [];
    const byTerminal = new Map<string, ComplianceFix[]>();
    for (const fix of fixes) {
      const list = byTerminal.get(fix.terminalId);
      if (list) list.push(fix);
      else byTerminal.set(fix.terminalId, [fix]);
    }
    const write = emptyWrite();
    const alarms: Alarm[] = [];
    const late = new Map(this.replayDue);
    this.replayDue.clear();
    const lastApplied = new Map<string, number>();
    for (const [terminalId, list] of byTerminal) {
      list.sort((a, b) => a.fixTimeMs - b.fixTimeMs);
      let engine = this.engines.get(terminalId);
      if (!engine) {
        engine = new TruckCompliance(terminalId, this.rules);
        this.engines.set(terminalId, engine);
        // A new terminal's first checkpoint comes after CHECKPOINT_EVERY_MS of fix time; until
        // then a replay starts from nothing (README step 7).
        if (list[0]) this.checkpointedAt.set(terminalId, list[0].fixTimeMs);
      }
      const newest = list[list.length - 1];
      if (newest) lastApplied.set(terminalId, newest.fixTimeMs);
      for (const fix of list) {
        const result = engine.apply(fix, facts);
        if (result.outcome === 'out-of-order') {
          late.set(terminalId, Math.min(late.get(terminalId) ?? Infinity, fix.fixTimeMs));
        } else {
          collect(write, result.events);
          alarms.push(...alarmsOf(result.events));
        }
      }
    }
    for (const [terminalId, fromMs] of [...late]) {
      try {
        await this.replay(terminalId, fromMs, facts, write, alarms);
      } catch (error) {
        // Retried with the next drain or tick; the live engine goes on meanwhile.
        this.replayDue.set(terminalId, fromMs);
        late.delete(terminalId);
        this.logger.warn(`replay of ${terminalId} failed, will retry: ${String(error)}`);
      }
    }
    for (const terminalId of byTerminal.keys()) {
      const engine = this.engines.get(terminalId);
      if (engine) this.dueCheckpoint(terminalId, engine, write, late.has(terminalId) ? undefined : lastApplied.get(terminalId));
    }
    await this.persist(write, late, alarms);
    await this.pruneNowAndThen();
  }

  /**
   * A late fix (older than the engine's last): rebuild the terminal from the newest checkpoint
   * before it with every stored fix since (the late one is stored already), upsert what the replay
   * produced and delete what it no longer does.
   */
  private async replay(terminalId: string, lateMs: number, facts: ComplianceFacts, write: ComplianceWrite, alarms: Alarm[]): Promise<void> {
    const checkpoint = await this.store.checkpointBefore(terminalId, lateMs);
    const sinceMs = checkpoint?.lastFixTimeMs ?? lateMs - this.rules.abandonTripAfterMs;
    const fixes = await this.store.fixesAfter(terminalId, sinceMs);
    const stored = await this.store.storedSince(terminalId, sinceMs);
    const { engine, events } = replayFixes(checkpoint ?? terminalId, fixes, facts, this.rules);
    // What this batch already collected for the terminal is superseded by the replay.
    for (const [id, trip] of write.trips) if (trip.terminalId === terminalId) write.trips.delete(id);
    for (const [id, v] of write.violations) if (v.terminalId === terminalId) write.violations.delete(id);
    const removed = supersededBy(events, [...stored.keys()]);
    for (const id of removed) {
      write.deleted.add(id);
      if (stored.get(id) === 'open') {
        const episode = this.engines.get(terminalId)?.openEpisodes().find((e) => e.id === id);
        if (episode) alarms.push({ kind: 'retracted', violation: episode });
      }
    }
    collect(write, events);
    for (const alarm of alarmsOf(events)) {
      const before = stored.get(alarm.violation.id);
      if (alarm.kind === 'opened' && before === undefined) alarms.push(alarm);
      if (alarm.kind === 'closed' && before !== 'closed') alarms.push(alarm);
    }
    this.engines.set(terminalId, engine);
    this.checkpointedAt.delete(terminalId);
  }

  /** README step 5: provisional offline episodes and abandoned trips for silent terminals. */
  private async tick(nowMs: number): Promise<void> {
    if (this.stopped) return;
    const facts = await this.ready();
    const write = emptyWrite();
    const alarms: Alarm[] = [];
    for (const engine of this.engines.values()) {
      const events = engine.tick(nowMs, facts);
      collect(write, events);
      alarms.push(...alarmsOf(events));
    }
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
      for (const [id, trip] of write.trips) pending.write.trips.set(id, trip);
      for (const [id, v] of write.violations) {
        pending.write.violations.set(id, v);
        pending.write.deleted.delete(id);
      }
      for (const id of write.deleted) {
        pending.write.deleted.add(id);
        pending.write.violations.delete(id);
        pending.write.trips.delete(id);
      }
      pending.write.checkpoints.push(...write.checkpoints);
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
  }

  /**
   * Adds the engine's state to the write when the terminal's fix time moved CHECKPOINT_EVERY_MS
   * past its last checkpoint. `lastFixMs` (known to the caller) spares copying the state of every
   * engine after every batch: `engine.state` is a deep copy.
   */
  private dueCheckpoint(terminalId: string, engine: TruckCompliance, write: ComplianceWrite, lastFixMs?: number): void {
    const last = this.checkpointedAt.get(terminalId);
    if (last !== undefined && lastFixMs !== undefined && lastFixMs - last < CHECKPOINT_EVERY_MS) return;
    const state = engine.state;
    if (state.lastFixTimeMs === null) return;
    if (last !== undefined && state.lastFixTimeMs - last < CHECKPOINT_EVERY_MS) return;
    write.checkpoints.push(state);
    this.checkpointedAt.set(terminalId, state.lastFixTimeMs);
  }

  private async pruneNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPruneMs < PRUNE_EVERY_MS) return;
    this.lastPruneMs = Date.now();
    await this.store.pruneCheckpoints(this.config.ingest.quality.maxAgeMs / 3_600_000);
  }

  private announce(alarms: readonly Alarm[]): void {
    for (const { kind, violation } of alarms) {
      const payload = episodeToViolation(violation);
      if (kind === 'opened') {
        this.gateway.emitAlarm(ComplianceLiveEvent.ViolationOpened, payload, violation.townCode);
      } else {
        const closed: ViolationClosedEvent = { ...payload, retracted: kind === 'retracted' };
        this.gateway.emitAlarm(ComplianceLiveEvent.ViolationClosed, closed, violation.townCode);
      }
    }
  }
}

function alarmsOf(events: readonly ComplianceEvent[]): Alarm[] {
  const alarms: Alarm[] = [];
  for (const e of events) {
    if (e.kind === 'violation.opened') alarms.push({ kind: 'opened', violation: e.violation });
    else if (e.kind === 'violation.closed') alarms.push({ kind: 'closed', violation: e.violation });
    else if (e.kind === 'violation.retracted') alarms.push({ kind: 'retracted', violation: e.violation });
  }
  return alarms;
}
