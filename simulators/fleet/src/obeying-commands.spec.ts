import { describe, expect, it } from 'vitest';
import { FleetSimulator, type SimulatedFix } from './fleet-simulator.js';

/** 22:00 in Linzi: the first demo truck's approval runs at night. */
const START = Date.parse('2026-05-01T14:00:00Z');
const MINUTE = 60_000;

/** One truck's fixes for `minutes`, after `before` has been applied to the fresh fleet. */
function drive(minutes: number, before: (fleet: FleetSimulator) => void = () => undefined, from = 0): { fleet: FleetSimulator; fixes: SimulatedFix[] } {
  const fleet = new FleetSimulator({ seed: 3, trucks: 1, startTimeMs: START });
  fleet.advanceTo(START + from * MINUTE);
  before(fleet);
  const fixes = fleet.advanceTo(START + (from + minutes) * MINUTE);
  return { fleet, fixes };
}

// The simulated terminals obey the platform's control commands (apps/api/src/commands): a locked
// truck stops, a capped one slows, a lift-inhibited one keeps its body down.
describe('the simulated fleet obeys control commands', () => {
  const terminalId = new FleetSimulator({ seed: 3, trucks: 1, startTimeMs: START }).trucks[0]!.terminalId;

  it('a locked truck stops within seconds and reports itself locked; unlocked it drives on', () => {
    // Locked 25 minutes in, on its way out of the site.
    const { fleet, fixes } = drive(5 * 60, (f) => expect(f.obey(terminalId, { kind: 'lock', params: {} })).toBe('acknowledged'), 25);
    expect(Math.max(...drive(5 * 60, () => undefined, 25).fixes.map((f) => f.fix.speedKmh))).toBeGreaterThan(10);
    const later = fixes.filter((f) => f.timeMs > START + 26 * MINUTE);
    expect(later.every((f) => f.fix.speedKmh === 0 && f.fix.control?.locked === true)).toBe(true);
    fleet.obey(terminalId, { kind: 'unlock', params: {} });
    const free = fleet.advanceTo(START + 11 * 60 * MINUTE);
    expect(free.some((f) => f.fix.speedKmh > 10)).toBe(true);
  });

  it('a capped truck never exceeds the cap', () => {
    const free = drive(6 * 60).fixes;
    expect(Math.max(...free.map((f) => f.fix.speedKmh))).toBeGreaterThan(25);
    const capped = drive(6 * 60, (f) => f.obey(terminalId, { kind: 'speed_cap', params: { speedKmh: 20 } })).fixes;
    // GPS speed noise is ±0.6 km/h around the truck's real speed.
    expect(Math.max(...capped.map((f) => f.fix.speedKmh))).toBeLessThanOrEqual(21);
    expect(capped.every((f) => f.fix.control?.speedLimitKmh === 20)).toBe(true);
  });

  it('a lift-inhibited truck does not raise its body; released, it tips', () => {
    const free = drive(6 * 60).fixes;
    expect(free.some((f) => f.fix.body === 'raised')).toBe(true);
    const { fleet, fixes } = drive(6 * 60, (f) => f.obey(terminalId, { kind: 'lift_inhibit', params: {} }));
    expect(fixes.some((f) => f.fix.body === 'raised')).toBe(false);
    fleet.obey(terminalId, { kind: 'lift_release', params: {} });
    expect(fleet.advanceTo(START + 7 * 60 * MINUTE).some((f) => f.fix.body === 'raised')).toBe(true);
  });

  it('an unknown terminal or a cap without its value: unsupported', () => {
    const fleet = new FleetSimulator({ seed: 3, trucks: 1, startTimeMs: START });
    expect(fleet.obey('nobody', { kind: 'lock', params: {} })).toBe('unsupported');
    expect(fleet.obey(terminalId, { kind: 'speed_cap', params: {} })).toBe('unsupported');
  });
});
