import { describe, expect, it } from 'vitest';
import { ComplianceFacts, replayFixes, type ComplianceEvent } from '@muckwatch/domain';
import { buildScenario, SCENARIO_NAMES } from '@muckwatch/fleet';
import { demoSnapshot } from './demo-snapshot.js';

// The simulator's scenarios straight through the engine (no broker, no database): each raises the
// violation it is named after, and the clean trip raises none. The end-to-end spec runs them again
// through MQTT and the API.
describe('fleet scenarios on the compliance engine', () => {
  const facts = new ComplianceFacts(demoSnapshot());
  const startMs = Date.parse('2026-11-26T16:00:00Z');

  for (const name of SCENARIO_NAMES) {
    it(name, () => {
      const scenario = buildScenario(name, { startMs });
      const fixes = scenario.fixes.map((f) => ({
        terminalId: scenario.terminalId,
        fixTimeMs: Number(f.ts),
        receivedAtMs: Number(f.ts) + 1000,
        lat: f.lat,
        lon: f.lon,
        speedKmh: f.speedKmh,
        ...(f.cover && { cover: f.cover }),
        ...(f.body && { body: f.body }),
        ...(f.load && { load: f.load }),
        ...(f.loadT !== undefined && { loadT: f.loadT }),
        ...(f.ignition !== undefined && { ignition: f.ignition }),
      }));
      const { events } = replayFixes(scenario.terminalId, fixes, facts);
      const types = [...new Set(events.filter((e): e is Extract<ComplianceEvent, { kind: 'violation.opened' }> => e.kind === 'violation.opened').map((e) => e.violation.type))];
      const trips = events.filter((e) => e.kind === 'trip.ended').map((e) => (e.kind === 'trip.ended' ? e.trip.status : null));
      if (name === 'clean_trip') {
        expect(types).toEqual([]);
        expect(trips).toEqual(['closed']);
      } else {
        expect(types).toEqual(expect.arrayContaining(scenario.expectedTypes));
      }
    });
  }
});
