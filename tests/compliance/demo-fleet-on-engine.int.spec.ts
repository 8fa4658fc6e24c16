import { describe, expect, it } from 'vitest';
import { ComplianceFacts, replayFixes, type ComplianceFix } from '@muckwatch/domain';
import { FleetSimulator, type SimulatedFix } from '@muckwatch/fleet';
import { demoRegistry } from '@muckwatch/linzi';
import { demoSnapshot } from './demo-snapshot.js';

// The demo fleet (`npm start`) straight through the compliance engine: a newcomer's first hours
// must show the registry's real breaches and the few bad drivers' habits, not a wall of false
// alarms from trucks that appear loaded out of nowhere or run outside their approval's hours.
const facts = new ComplianceFacts(demoSnapshot());
const MINUTE = 60_000;

function opened(startMs: number, minutes: number, misbehavingShare: number): Array<{ terminalId: string; type: string; codes: string[]; atMin: number }> {
  const fixes = new FleetSimulator({ seed: 1, trucks: 50, startTimeMs: startMs, misbehavingShare }).advanceTo(startMs + minutes * MINUTE);
  const byTerminal = new Map<string, SimulatedFix[]>();
  for (const f of fixes) byTerminal.set(f.terminalId, [...(byTerminal.get(f.terminalId) ?? []), f]);
  const out: Array<{ terminalId: string; type: string; codes: string[]; atMin: number }> = [];
  for (const [terminalId, own] of byTerminal) {
    const engineFixes: ComplianceFix[] = own.map(({ fix, timeMs }) => ({
      terminalId,
      fixTimeMs: timeMs,
      receivedAtMs: timeMs + 1000,
      lat: fix.lat,
      lon: fix.lon,
      speedKmh: fix.speedKmh,
      ...(fix.cover && { cover: fix.cover }),
      ...(fix.body && { body: fix.body }),
      ...(fix.load && { load: fix.load }),
      ...(fix.loadT !== undefined && { loadT: fix.loadT }),
      ...(fix.ignition !== undefined && { ignition: fix.ignition }),
      ...(fix.sensors && { sensors: fix.sensors }),
    }));
    const { events } = replayFixes(terminalId, engineFixes, facts);
    for (const e of events) {
      if (e.kind !== 'violation.opened') continue;
      out.push({ terminalId, type: e.violation.type, codes: e.violation.reasons.map((r) => r.code), atMin: Math.round((e.violation.start.atMs - startMs) / MINUTE) });
    }
  }
  return out;
}

/** Terminals of trucks the demo registry itself leaves without a valid permit or site approval. */
function unlicensedByRegistry(atMs: number): Set<string> {
  const day = new Date(atMs).toISOString().slice(0, 10);
  const out = new Set<string>();
  for (const truck of demoRegistry.trucks) {
    const site = demoRegistry.constructionSites.find((s) => s.id === truck.homeSiteId);
    const permitValid = truck.permit !== null && truck.permit.validFrom <= day && day <= truck.permit.validTo;
    const approvalValid = site !== undefined && site.approval.validFrom <= day && day <= site.approval.validTo && site.approval.truckIds.includes(truck.id);
    if (!permitValid || !approvalValid) out.add(truck.terminalId);
  }
  return out;
}

describe('the demo fleet on the compliance engine', () => {
  for (const [label, startIso] of [
    ['by day', '2026-11-26T02:00:00Z'],
    ['at night', '2026-11-26T15:00:00Z'],
  ] as const) {
    it(`a law-abiding fleet raises only the registry's own licence breaches (${label}, 3 h)`, () => {
      const startMs = Date.parse(startIso);
      const violations = opened(startMs, 180, 0);
      const allowed = unlicensedByRegistry(startMs);
      for (const v of violations) {
        expect(v, JSON.stringify(v)).toMatchObject({ type: 'unlicensed_transport' });
        expect(allowed.has(v.terminalId), v.terminalId).toBe(true);
        expect(v.codes).not.toContain('unknown-origin');
      }
    });
  }

  it('a few drivers with bad habits show every habit within the first hour, and nothing that looks like a GPS fault', () => {
    const violations = opened(Date.parse('2026-11-26T02:00:00Z'), 60, 0.15);
    const types = new Set(violations.map((v) => v.type));
    for (const type of ['overspeed', 'overload', 'unsealed_transport', 'off_route', 'illegal_dumping']) expect(types, type).toContain(type);
    expect(types).not.toContain('suspected_tampering');
    expect(violations.filter((v) => v.codes.includes('unknown-origin'))).toEqual([]);
  });
});
