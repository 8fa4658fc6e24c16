import { describe, expect, it } from 'vitest';
import { demoCaseHistory } from './case-history.js';
import { demoRegistry } from './registry.js';

const NOW = Date.parse('2026-12-05T08:00:00Z');

describe('the demo month of cases', () => {
  const cases = demoCaseHistory(NOW);

  it('is the same for the same hour', () => {
    expect(demoCaseHistory(NOW + 59_000)).toEqual(cases);
  });

  it('reaches every state a dispatcher filters by, across several types and departments', () => {
    const states = new Set(cases.map((c) => c.caseState));
    for (const state of ['new', 'confirmed', 'dismissed', 'assigned', 'handled', 'closed']) expect(states, state).toContain(state);
    expect(new Set(cases.map((c) => c.type)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(cases.map((c) => c.departmentCode).filter(Boolean)).size).toBeGreaterThanOrEqual(3);
    expect(cases.some((c) => c.events.some((e) => e.action === 'return'))).toBe(true);
    expect(cases.some((c) => c.caseState === 'assigned' && c.deadlineMs !== null && c.deadlineMs < NOW)).toBe(true);
  });

  it('walks each case through the workflow in time order, ending where the case says', () => {
    const ids = new Set<string>();
    for (const c of cases) {
      expect(ids.has(c.id)).toBe(false);
      ids.add(c.id);
      expect(c.id).toBe(`${c.terminalId}/${c.type}/${c.startedAtMs}`);
      expect(c.startedAtMs).toBeGreaterThan(NOW - 31 * 86_400_000);
      expect(c.endedAtMs).toBeGreaterThan(c.startedAtMs);
      let state = 'new';
      let at = c.endedAtMs;
      for (const e of c.events) {
        expect(e.fromState).toBe(state);
        expect(e.atMs).toBeGreaterThanOrEqual(at);
        expect(e.atMs).toBeLessThan(NOW);
        state = e.toState;
        at = e.atMs;
      }
      expect(c.caseState).toBe(state);
      if (c.caseState === 'dismissed') expect(c.dismissReason).toBeTruthy();
      if (['assigned', 'handled', 'returned', 'closed'].includes(c.caseState)) expect(c.departmentCode).toBeTruthy();
      if (['handled', 'closed'].includes(c.caseState)) expect(c.outcome).toBeTruthy();
    }
  });

  it('uses the demo registry: bound terminals, their trucks and real town codes', () => {
    for (const c of cases) {
      const truck = demoRegistry.trucks.find((t) => t.id === c.truckId);
      expect(truck?.terminalId).toBe(c.terminalId);
      expect(c.evidence.length).toBeGreaterThan(1);
      expect(c.townCode).toMatch(/^[A-Z0-9]+$/);
    }
  });
});
