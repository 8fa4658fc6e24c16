import {
  ComplianceFacts,
  type ComplianceEvent,
  type ComplianceFix,
  type ComplianceRules,
  type RegistrySnapshot,
  TruckCompliance,
  type TruckComplianceState,
  replayFixes,
  supersededBy,
} from '@muckwatch/domain';
import { type Alarm, type EngineOutcome, alarmsOf, collect, emptyWrite } from './compliance-write.js';

/**
 * A checkpoint is due once BOTH this much fix time and this many applied fixes have passed since
 * the terminal's last one. A checkpoint exists to bound a replay (late fix, restart), whose work is
 * the fixes after it: at the usual one fix per 10 s the two bounds meet; a terminal that reports
 * less often is not checkpointed every few fixes (a checkpoint, with its open episodes' evidence,
 * costs more to write than a few fixes cost to replay); one that reports more often is replayed
 * over at most 10 minutes.
 */
export const CHECKPOINT_EVERY_MS = 10 * 60_000;
export const CHECKPOINT_EVERY_FIXES = 60;

/**
 * A terminal to rebuild (start, partition taken over): its newest checkpoint (if any), its stored
 * fixes since, and the ids of trips and episodes stored as starting after that point. `stored` is
 * left out when the rebuild does not start from an exact state (no checkpoint and older fixes
 * before the replayed span): what it does not produce may then depend on what it never saw.
 */
export interface RestoreInput {
  terminalId: string;
  checkpoint: TruckComplianceState | null;
  fixes: ComplianceFix[];
  stored?: StoredIds;
}

/** Stored ids of trips and episodes of a terminal, with violation status ('trip' for a trip). */
export type StoredIds = ReadonlyMap<string, 'open' | 'closed' | 'trip'>;

/** Open episodes a rebuild no longer produces: deleted by its write, to be announced retracted. */
export interface Retractions {
  retract: string[];
}

/** Marks for deletion what was stored and a rebuild's events no longer produce; returns the open episodes among them. */
function superseded(events: readonly ComplianceEvent[], stored: StoredIds, write: EngineOutcome['write']): string[] {
  const open: string[] = [];
  for (const id of supersededBy(events, [...stored.keys()])) {
    write.deleted.add(id);
    if (stored.get(id) === 'open') open.push(id);
  }
  return open;
}

/**
 * Every terminal's compliance engine (libs/domain TruckCompliance) with the registry facts and
 * the checkpoint bookkeeping: fixes in, writes and alarms out. Synchronous, no I/O and no clock:
 * ComplianceService reads and writes PostgreSQL around it, and runs it in a child process
 * (engines-process.ts), so evaluation never competes with the ingest's event loop.
 */
export class ComplianceEngines {
  private readonly engines = new Map<string, TruckCompliance>();
  /** Per terminal: fix time of its last checkpoint and fixes applied since. Absent: due now. */
  private readonly sinceCheckpoint = new Map<string, { atMs: number; fixes: number }>();
  private currentFacts: ComplianceFacts | null = null;

  constructor(private readonly rules: ComplianceRules) {}

  setFacts(snapshot: RegistrySnapshot): void {
    this.currentFacts = new ComplianceFacts(snapshot);
  }

  get terminals(): number {
    return this.engines.size;
  }

  /**
   * Rebuilds terminals from checkpoints and stored fixes (API start, partitions taken over). What
   * the rebuild produces is upserted, not announced. What was stored since the same point and the
   * rebuild no longer produces is deleted, and its open episodes listed in `retract`. It was
   * written by an engine that saw fewer fixes: another instance killed before a late fix reached
   * it, whose trip started one fix later than the stored fixes say.
   */
  restore(inputs: readonly RestoreInput[]): EngineOutcome & Retractions {
    const facts = this.facts();
    const write = emptyWrite();
    const retract: string[] = [];
    for (const { terminalId, checkpoint, fixes, stored } of inputs) {
      const { engine, events } = replayFixes(checkpoint ?? terminalId, fixes, facts, this.rules);
      if (stored) retract.push(...superseded(events, stored, write));
      this.engines.set(terminalId, engine);
      if (checkpoint?.lastFixTimeMs != null) {
        this.sinceCheckpoint.set(terminalId, { atMs: checkpoint.lastFixTimeMs, fixes: fixes.filter((f) => f.fixTimeMs > (checkpoint.lastFixTimeMs ?? 0)).length });
      } else {
        this.sinceCheckpoint.delete(terminalId);
      }
      collect(write, events);
      this.checkpointIfDue(terminalId, engine, write);
    }
    return { write, alarms: [], retract };
  }

  /**
   * Committed fixes, in any order: each terminal's in fix-time order through its engine. A fix
   * older than what its engine has seen is not applied: its terminal is listed in `late` (with the
   * earliest such fix time) for the caller to replay from stored fixes.
   */
  evaluate(fixes: readonly ComplianceFix[]): EngineOutcome & { late: Array<[terminalId: string, fromMs: number]> } {
    const facts = this.facts();
    const byTerminal = new Map<string, ComplianceFix[]>();
    for (const fix of fixes) {
      const list = byTerminal.get(fix.terminalId);
      if (list) list.push(fix);
      else byTerminal.set(fix.terminalId, [fix]);
    }
    const write = emptyWrite();
    const alarms: Alarm[] = [];
    const late = new Map<string, number>();
    for (const [terminalId, list] of byTerminal) {
      list.sort((a, b) => a.fixTimeMs - b.fixTimeMs);
      const firstMs = list[0]?.fixTimeMs ?? 0;
      const lastMs = list[list.length - 1]?.fixTimeMs ?? 0;
      let engine = this.engines.get(terminalId);
      if (!engine) {
        engine = new TruckCompliance(terminalId, this.rules);
        this.engines.set(terminalId, engine);
        // A new terminal's first checkpoint comes after the usual interval; until then a replay
        // starts from nothing (README, "Late and out-of-order fixes").
        this.sinceCheckpoint.set(terminalId, { atMs: firstMs, fixes: 0 });
      }
      let applied = 0;
      for (const fix of list) {
        const result = engine.apply(fix, facts);
        if (result.outcome === 'out-of-order') {
          late.set(terminalId, Math.min(late.get(terminalId) ?? Infinity, fix.fixTimeMs));
        } else if (result.outcome === 'applied') {
          applied += 1;
          collect(write, result.events);
          alarms.push(...alarmsOf(result.events));
        }
      }
      const since = this.sinceCheckpoint.get(terminalId);
      if (since) since.fixes += applied;
      // A late terminal is replayed next, and checkpointed then.
      if (!late.has(terminalId)) this.checkpointIfDue(terminalId, engine, write, lastMs);
    }
    return { write, alarms, late: [...late] };
  }

  /**
   * A late fix: rebuilds the terminal from the newest checkpoint before it over every stored fix
   * since (the late one included). The write holds everything the replay produced plus, as
   * deletions, what was stored since the checkpoint and is no longer produced; the alarms are the
   * changes against what was stored. An open episode that went away is listed in `retract` (the
   * caller reads it as stored and announces it retracted).
   */
  replay(terminalId: string, checkpoint: TruckComplianceState | null, fixes: readonly ComplianceFix[], stored: StoredIds): EngineOutcome & Retractions {
    const { engine, events } = replayFixes(checkpoint ?? terminalId, fixes, this.facts(), this.rules);
    const write = emptyWrite();
    const alarms: Alarm[] = [];
    const retract = superseded(events, stored, write);
    collect(write, events);
    for (const alarm of alarmsOf(events)) {
      const before = stored.get(alarm.violation.id);
      if (alarm.kind === 'opened' && before === undefined) alarms.push(alarm);
      if (alarm.kind === 'closed' && before !== 'closed') alarms.push(alarm);
    }
    this.engines.set(terminalId, engine);
    this.sinceCheckpoint.delete(terminalId);
    this.checkpointIfDue(terminalId, engine, write);
    return { write, alarms, retract };
  }

  /** Rules that fire on silence (offline terminals, abandoned trips), at wall-clock `nowMs`. */
  tick(nowMs: number): EngineOutcome {
    const facts = this.facts();
    const write = emptyWrite();
    const alarms: Alarm[] = [];
    for (const engine of this.engines.values()) {
      const events = engine.tick(nowMs, facts);
      collect(write, events);
      alarms.push(...alarmsOf(events));
    }
    return { write, alarms };
  }

  /**
   * Hands terminals over (their partition moves to another instance): their states, to be saved
   * as checkpoints the new owner continues from, and their engines forgotten here.
   */
  release(terminalIds: readonly string[]): TruckComplianceState[] {
    const states: TruckComplianceState[] = [];
    for (const terminalId of terminalIds) {
      const engine = this.engines.get(terminalId);
      if (!engine) continue;
      const state = engine.state;
      if (state.lastFixTimeMs !== null) states.push(state);
      this.engines.delete(terminalId);
      this.sinceCheckpoint.delete(terminalId);
    }
    return states;
  }

  /** The terminals with an engine here. */
  terminalIds(): string[] {
    return [...this.engines.keys()];
  }

  /** The state of every terminal that moved since its last checkpoint (at shutdown). */
  unsavedStates(): TruckComplianceState[] {
    const states: TruckComplianceState[] = [];
    for (const [terminalId, engine] of this.engines) {
      const since = this.sinceCheckpoint.get(terminalId);
      if (since && since.fixes === 0) continue;
      const state = engine.state;
      if (state.lastFixTimeMs !== null && state.lastFixTimeMs !== since?.atMs) states.push(state);
    }
    return states;
  }

  private facts(): ComplianceFacts {
    if (!this.currentFacts) throw new Error('compliance engines: registry facts not set');
    return this.currentFacts;
  }

  /**
   * Adds the engine's state to the write when a checkpoint is due (see CHECKPOINT_EVERY_MS).
   * `lastFixMs`, when the caller knows it, spares reading `engine.state` (a deep copy) for the
   * terminals whose checkpoint is not due.
   */
  private checkpointIfDue(terminalId: string, engine: TruckCompliance, write: EngineOutcome['write'], lastFixMs?: number): void {
    const since = this.sinceCheckpoint.get(terminalId);
    if (since && (since.fixes < CHECKPOINT_EVERY_FIXES || (lastFixMs !== undefined && lastFixMs - since.atMs < CHECKPOINT_EVERY_MS))) return;
    const state = engine.state;
    if (state.lastFixTimeMs === null) return;
    if (since && state.lastFixTimeMs - since.atMs < CHECKPOINT_EVERY_MS) return;
    write.checkpoints.push(state);
    this.sinceCheckpoint.set(terminalId, { atMs: state.lastFixTimeMs, fixes: 0 });
  }
}
