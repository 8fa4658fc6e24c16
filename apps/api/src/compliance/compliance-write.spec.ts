import { describe, expect, it } from 'vitest';
import type { ComplianceEvent, Trip, ViolationEpisode } from '@muckwatch/domain';
import { collect, emptyWrite, toComplianceFix } from './compliance-write.js';

const place = { atMs: 1_000, lon: 118.3, lat: 36.8 };

function episode(id: string, end: typeof place | null = null): ViolationEpisode {
  return {
    id, type: 'terminal_offline', severity: 'low', terminalId: 'T1', truckId: null, plate: null, tripId: null,
    approvalId: null, subjectId: null, start: place, end, townCode: null, reasons: [], parameters: {}, peak: null,
    evidence: [], evidenceThinned: false, reportedLate: false,
  };
}

function trip(id: string, status: Trip['status']): Trip {
  return {
    id, terminalId: 'T1', truckId: null, plate: null, approvalId: null, approvalNumber: null, originId: null,
    originKind: null, originName: null, destinationId: null, destinationName: null, start: place, end: null,
    townCode: null, distanceM: 0, status, reasons: [], reportedLate: false,
  };
}

describe('folding engine events into one write', () => {
  it('keeps the last version of each trip and episode', () => {
    const write = emptyWrite();
    const events: ComplianceEvent[] = [
      { kind: 'trip.started', trip: trip('T1/trip/1', 'open') },
      { kind: 'violation.opened', violation: episode('T1/terminal_offline/1') },
      { kind: 'violation.closed', violation: episode('T1/terminal_offline/1', place) },
      { kind: 'trip.ended', trip: trip('T1/trip/1', 'closed') },
    ];
    collect(write, events);
    expect(write.trips.get('T1/trip/1')?.status).toBe('closed');
    expect(write.violations.get('T1/terminal_offline/1')?.end).toEqual(place);
    expect(write.deleted.size).toBe(0);
  });

  it('turns a retraction into a delete, and a later re-opening back into an upsert', () => {
    const write = emptyWrite();
    collect(write, [
      { kind: 'violation.opened', violation: episode('e') },
      { kind: 'violation.retracted', violation: episode('e'), reason: { code: 'backlog', detail: 'the backlog filled the gap' } },
    ]);
    expect(write.violations.has('e')).toBe(false);
    expect(write.deleted.has('e')).toBe(true);
    collect(write, [{ kind: 'violation.opened', violation: episode('e') }]);
    expect(write.deleted.has('e')).toBe(false);
    expect(write.violations.has('e')).toBe(true);
  });
});

describe('a stored fix as the engine reads it', () => {
  it('leaves out what the terminal did not report, never passes null', () => {
    const fix = toComplianceFix({
      terminalId: 'T1', fixTimeMs: 1, receivedAtMs: 2, lat: 36.8, lon: 118.3, speedKmh: 10, valid: true,
      ignition: null, cover: 'open', body: null, load: null, loadT: null, sensors: null,
    });
    expect(fix).toEqual({ terminalId: 'T1', fixTimeMs: 1, receivedAtMs: 2, lat: 36.8, lon: 118.3, speedKmh: 10, valid: true, cover: 'open' });
  });
});
