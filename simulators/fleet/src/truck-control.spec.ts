import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FleetSimulator, type SimulatedFix } from './fleet-simulator.js';
import { answerCommand } from './mqtt-obedience.js';
import { TruckControl } from './truck-control.js';

const START = Date.parse('2026-05-04T00:30:00Z'); // 08:30 in Zibo, a Monday: the sites are open
const MINUTE = 60_000;
const TERMINAL = '013805330004';

function fleet(): FleetSimulator {
  return new FleetSimulator({ seed: 7, trucks: 4, startTimeMs: START, terminalIds: [TERMINAL] });
}

function metres(a: SimulatedFix, b: SimulatedFix): number {
  const dLat = (a.fix.lat - b.fix.lat) * 111_320;
  const dLon = (a.fix.lon - b.fix.lon) * 111_320 * Math.cos((a.fix.lat * Math.PI) / 180);
  return Math.hypot(dLat, dLon);
}

describe('simulated trucks obey the platform', () => {
  it('a locked truck stands still where it is, speed 0, until unlocked, and reports locked', () => {
    const simulator = fleet();
    // Run until the truck is on the road, then lock it.
    let t = START;
    let moving: SimulatedFix | undefined;
    while (!moving && t < START + 6 * 60 * MINUTE) {
      t += MINUTE;
      moving = simulator.advanceTo(t).find((f) => f.fix.speedKmh > 20);
    }
    expect(moving).toBeDefined();
    simulator.control(TERMINAL)!.apply('lock', {});
    const locked = simulator.advanceTo(t + 30 * MINUTE).slice(2); // braking takes a few seconds
    expect(locked.length).toBeGreaterThan(100);
    for (const f of locked) {
      expect(f.fix.speedKmh).toBe(0);
      expect(f.fix.control).toMatchObject({ locked: true });
      expect(metres(f, locked[0]!)).toBeLessThan(15); // GPS noise only
    }
    simulator.control(TERMINAL)!.apply('unlock', {});
    const after = simulator.advanceTo(t + 60 * MINUTE);
    expect(after.some((f) => f.fix.speedKmh > 10)).toBe(true);
    expect(after.at(-1)!.fix.control).toMatchObject({ locked: false });
  });

  it('a capped truck never reports a speed over the cap, and reports the cap', () => {
    const simulator = fleet();
    simulator.control(TERMINAL)!.apply('speed_cap', { speedKmh: 20 });
    const fixes = simulator.advanceTo(START + 8 * 60 * MINUTE);
    expect(fixes.some((f) => f.fix.speedKmh > 15)).toBe(true);
    for (const f of fixes) {
      expect(f.fix.speedKmh).toBeLessThanOrEqual(20);
      expect(f.fix.control).toMatchObject({ speedLimitKmh: 20 });
    }
    simulator.control(TERMINAL)!.apply('speed_release', {});
    const released = simulator.advanceTo(START + 16 * 60 * MINUTE);
    expect(released.some((f) => f.fix.speedKmh > 25)).toBe(true);
  });

  it('a lift-inhibited truck keeps its body down and its load on, and tips once released', () => {
    const simulator = fleet();
    simulator.control(TERMINAL)!.apply('lift_inhibit', {});
    const fixes = simulator.advanceTo(START + 8 * 60 * MINUTE);
    expect(fixes.every((f) => f.fix.body === 'down')).toBe(true);
    expect(fixes.some((f) => (f.fix.loadT ?? 0) > 5)).toBe(true);
    expect(fixes.at(-1)!.fix.control).toMatchObject({ liftBlocked: true });
    simulator.control(TERMINAL)!.apply('lift_release', {});
    const released = simulator.advanceTo(START + 10 * 60 * MINUTE);
    expect(released.some((f) => f.fix.body === 'raised')).toBe(true);
  });

  it('answers MQTT commands per the contract: acknowledged, refused when expired or out of range, failed when malformed', () => {
    const control = new TruckControl();
    const now = Date.parse('2026-05-04T01:00:00Z');
    const downlink = (kind: string, params: Record<string, unknown> = {}, expiresAt: string | null = null) =>
      Buffer.from(JSON.stringify({ commandId: randomUUID(), kind, params, issuedAt: new Date(now).toISOString(), expiresAt, attempt: 1 }));
    expect(answerCommand(control, downlink('display_text', { text: '请减速慢行' }), now)).toMatchObject({ outcome: 'acknowledged' });
    expect(control.displayText).toBe('请减速慢行');
    const expired = answerCommand(control, downlink('lock', {}, '2026-05-04T00:59:00Z'), now);
    expect(expired?.outcome).toBe('refused');
    expect(expired?.detail).toContain('expired');
    expect(control.locked).toBe(false);
    expect(answerCommand(control, downlink('lift_inhibit', {}, '2026-05-04T02:00:00Z'), now)).toMatchObject({ outcome: 'acknowledged' });
    expect(control.liftBlocked).toBe(true);
    const id = randomUUID();
    expect(answerCommand(control, Buffer.from(JSON.stringify({ commandId: id, kind: 'explode' })), now)).toMatchObject({ commandId: id, outcome: 'failed' });
    expect(answerCommand(control, Buffer.from('not json'), now)).toBeNull();
    expect(answerCommand(control, Buffer.alloc(10_000, 0x20), now)).toBeNull();
    expect(new TruckControl().apply('speed_cap', { speedKmh: 500 })).toMatchObject({ outcome: 'refused' });
  });
});
