import type { ComplianceEvent, ComplianceFix, Trip, TruckComplianceState, ViolationEpisode } from '@muckwatch/domain';
import type { PositionRow } from '../ingest/telemetry-message.js';

/** What one engine run wrote: the latest version of each trip and episode, and what went away. */
export interface ComplianceWrite {
  trips: Map<string, Trip>;
  violations: Map<string, ViolationEpisode>;
  deleted: Set<string>;
  checkpoints: TruckComplianceState[];
}

export function emptyWrite(): ComplianceWrite {
  return { trips: new Map(), violations: new Map(), deleted: new Set(), checkpoints: [] };
}

/** Folds events into a write: the last version of each id wins; a retraction deletes. */
export function collect(write: ComplianceWrite, events: readonly ComplianceEvent[]): void {
  for (const e of events) {
    if (e.kind === 'trip.started' || e.kind === 'trip.ended') {
      write.trips.set(e.trip.id, e.trip);
      write.deleted.delete(e.trip.id);
    } else if (e.kind === 'violation.retracted') {
      write.violations.delete(e.violation.id);
      write.deleted.add(e.violation.id);
    } else {
      write.violations.set(e.violation.id, e.violation);
      write.deleted.delete(e.violation.id);
    }
  }
}

/** What the engine reads of a stored fix: the ingest's committed row, or a positions row read back. */
export type FixLike = Pick<
  PositionRow,
  'terminalId' | 'fixTimeMs' | 'receivedAtMs' | 'lat' | 'lon' | 'speedKmh' | 'valid' | 'ignition' | 'cover' | 'body' | 'load' | 'loadT' | 'sensors'
>;

/** A committed fix (stored, flagged or not) as the engine's input. */
export function toComplianceFix(p: FixLike): ComplianceFix {
  const fix: ComplianceFix = {
    terminalId: p.terminalId,
    fixTimeMs: p.fixTimeMs,
    receivedAtMs: p.receivedAtMs,
    lat: p.lat,
    lon: p.lon,
    speedKmh: p.speedKmh,
    valid: p.valid,
  };
  if (p.ignition !== null) fix.ignition = p.ignition;
  if (p.cover !== null) fix.cover = p.cover as NonNullable<ComplianceFix['cover']>;
  if (p.body !== null) fix.body = p.body as NonNullable<ComplianceFix['body']>;
  if (p.load !== null) fix.load = p.load as NonNullable<ComplianceFix['load']>;
  if (p.loadT !== null) fix.loadT = p.loadT;
  if (p.sensors) fix.sensors = p.sensors;
  return fix;
}

/**
 * Folds a later write into an earlier one: later versions of an id win, a later deletion removes
 * the earlier version (and a later version undoes an earlier deletion); checkpoints accumulate.
 */
export function mergeWrite(into: ComplianceWrite, later: ComplianceWrite): void {
  for (const [id, trip] of later.trips) {
    into.trips.set(id, trip);
    into.deleted.delete(id);
  }
  for (const [id, v] of later.violations) {
    into.violations.set(id, v);
    into.deleted.delete(id);
  }
  for (const id of later.deleted) {
    into.deleted.add(id);
    into.violations.delete(id);
    into.trips.delete(id);
  }
  into.checkpoints.push(...later.checkpoints);
}

/** What the live socket hears about an episode, once the write that holds it has committed. */
export interface Alarm {
  kind: 'opened' | 'closed' | 'retracted';
  violation: ViolationEpisode;
}

export function alarmsOf(events: readonly ComplianceEvent[]): Alarm[] {
  const alarms: Alarm[] = [];
  for (const e of events) {
    if (e.kind === 'violation.opened') alarms.push({ kind: 'opened', violation: e.violation });
    else if (e.kind === 'violation.closed') alarms.push({ kind: 'closed', violation: e.violation });
    else if (e.kind === 'violation.retracted') alarms.push({ kind: 'retracted', violation: e.violation });
  }
  return alarms;
}

/** A write and the alarms to announce once it has committed. */
export interface EngineOutcome {
  write: ComplianceWrite;
  alarms: Alarm[];
}
