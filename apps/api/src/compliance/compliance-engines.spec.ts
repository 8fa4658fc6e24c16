import { describe, expect, it } from 'vitest';
import { type ComplianceFix, DEFAULT_COMPLIANCE_RULES, type RegistrySnapshot } from '@muckwatch/domain';
import { CHECKPOINT_EVERY_FIXES, CHECKPOINT_EVERY_MS, ComplianceEngines } from './compliance-engines.js';

/** A registry with nothing in it: every terminal is unregistered. */
const EMPTY: RegistrySnapshot = {
  trucks: [], constructionSites: [], disposalSites: [], approvals: [], routes: [], timeWindows: [], speedZones: [], towns: [],
};
const T0 = Date.UTC(2026, 10, 27, 1, 0, 0);

/** A terminal creeping east, one fix every `stepMs`. */
function fixes(terminalId: string, count: number, stepMs: number, from = 0): ComplianceFix[] {
  return Array.from({ length: count }, (_, i) => {
    const k = from + i;
    return { terminalId, fixTimeMs: T0 + k * stepMs, receivedAtMs: T0 + k * stepMs + 500, lat: 36.8, lon: 118.3 + k * 0.00005, speedKmh: 15, valid: true };
  });
}

function engines(): ComplianceEngines {
  const e = new ComplianceEngines(DEFAULT_COMPLIANCE_RULES);
  e.setFacts(EMPTY);
  return e;
}

describe('the compliance engines of all terminals', () => {
  it('evaluates each terminal in fix-time order, whatever order the batch came in', () => {
    const e = engines();
    const batch = [...fixes('A', 3, 10_000), ...fixes('B', 3, 10_000)].reverse();
    const { write, alarms, late } = e.evaluate(batch);
    expect(late).toEqual([]);
    expect(alarms.map((a) => `${a.kind} ${a.violation.id}`).sort()).toEqual([
      `opened A/unregistered_terminal/${T0}`,
      `opened B/unregistered_terminal/${T0}`,
    ]);
    expect([...write.violations.keys()].sort()).toEqual([`A/unregistered_terminal/${T0}`, `B/unregistered_terminal/${T0}`]);
    expect(e.terminals).toBe(2);
  });

  it('lists a terminal whose fix is older than its engine has seen, for a replay, and applies the rest', () => {
    const e = engines();
    e.evaluate(fixes('A', 5, 10_000));
    const { late } = e.evaluate([...fixes('A', 1, 10_000, 2), ...fixes('B', 1, 10_000)]);
    expect(late).toEqual([['A', T0 + 20_000]]);
  });

  it(`checkpoints a terminal once both ${CHECKPOINT_EVERY_MS / 60_000} min of fix time and ${CHECKPOINT_EVERY_FIXES} fixes have passed`, () => {
    // One fix a minute: 10 min pass after 11 fixes, but the checkpoint waits for the 60th.
    const slow = engines();
    const perMinute = fixes('S', CHECKPOINT_EVERY_FIXES, 60_000);
    expect(slow.evaluate(perMinute.slice(0, CHECKPOINT_EVERY_FIXES - 1)).write.checkpoints).toEqual([]);
    const due = slow.evaluate(perMinute.slice(CHECKPOINT_EVERY_FIXES - 1)).write.checkpoints;
    expect(due.map((s) => s.lastFixTimeMs)).toEqual([T0 + (CHECKPOINT_EVERY_FIXES - 1) * 60_000]);

    // One fix a second: 60 fixes pass in a minute, but the checkpoint waits for 10 min.
    const fast = engines();
    const perSecond = fixes('F', 601, 1000);
    expect(fast.evaluate(perSecond.slice(0, 600)).write.checkpoints).toEqual([]);
    expect(fast.evaluate(perSecond.slice(600)).write.checkpoints.map((s) => s.lastFixTimeMs)).toEqual([T0 + 600_000]);
  });

  it('hands over, at shutdown, the state of every terminal that moved since its checkpoint', () => {
    const e = engines();
    e.evaluate(fixes('A', 3, 10_000));
    const restored = engines();
    const [state] = e.unsavedStates();
    expect(state?.lastFixTimeMs).toBe(T0 + 20_000);
    restored.restore([{ terminalId: 'A', checkpoint: state!, fixes: [] }]);
    expect(restored.unsavedStates()).toEqual([]);
    restored.evaluate(fixes('A', 1, 10_000, 3));
    expect(restored.unsavedStates().map((s) => s.lastFixTimeMs)).toEqual([T0 + 30_000]);
  });

  it('replays a terminal over its stored fixes and deletes what the replay no longer produces', () => {
    const e = engines();
    e.evaluate(fixes('A', 3, 10_000));
    const stored = new Map([['A/unregistered_terminal/0', 'open' as const]]);
    const { write, retract } = e.replay('A', null, fixes('A', 4, 10_000), stored);
    expect([...write.deleted]).toEqual(['A/unregistered_terminal/0']);
    expect(retract).toEqual(['A/unregistered_terminal/0']);
    expect([...write.violations.keys()]).toEqual([`A/unregistered_terminal/${T0}`]);
    expect(write.checkpoints.map((s) => s.lastFixTimeMs)).toEqual([T0 + 30_000]);
  });

  it('rebuilding a terminal another engine wrote for, deletes what that engine stored and the rebuild does not produce', () => {
    // Another instance's engine had seen the fixes from the third on (the first two reached it
    // late, after it died): it stored an episode from the third fix. The rebuild sees them all.
    const e = engines();
    const stored = new Map<string, 'open' | 'closed' | 'trip'>([
      [`A/unregistered_terminal/${T0 + 20_000}`, 'open'],
      [`A/trip/${T0 + 20_000}`, 'trip'],
      [`A/unregistered_terminal/${T0}`, 'open'],
    ]);
    const { write, retract } = e.restore([{ terminalId: 'A', checkpoint: null, fixes: fixes('A', 5, 10_000), stored }]);
    expect([...write.deleted].sort()).toEqual([`A/trip/${T0 + 20_000}`, `A/unregistered_terminal/${T0 + 20_000}`]);
    expect(retract).toEqual([`A/unregistered_terminal/${T0 + 20_000}`]);
    expect([...write.violations.keys()]).toEqual([`A/unregistered_terminal/${T0}`]);
    // Without `stored` (the rebuild does not start from an exact state) nothing is deleted.
    const inexact = engines().restore([{ terminalId: 'A', checkpoint: null, fixes: fixes('A', 5, 10_000, 2) }]);
    expect([...inexact.write.deleted]).toEqual([]);
    expect(inexact.retract).toEqual([]);
  });

  it('refuses to evaluate before it has the registry', () => {
    expect(() => new ComplianceEngines(DEFAULT_COMPLIANCE_RULES).evaluate(fixes('A', 1, 1000))).toThrow('registry facts not set');
  });
});
