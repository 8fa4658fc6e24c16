import * as turf from '@turf/turf';
import { checkFixSchema, fixTimeMs, parseTelemetryPayload } from '@muckwatch/contracts';
import { demoRegistry, districtBoundary } from '@muckwatch/linzi';
import { describe, expect, it } from 'vitest';
import { FleetSimulator, type SimulatedFix } from './fleet-simulator.js';

const START = Date.parse('2026-05-01T00:00:00Z');
const HOUR = 3_600_000;

function run(seed: number, hours: number, trucks = 50): SimulatedFix[] {
  return new FleetSimulator({ seed, trucks, startTimeMs: START }).advanceTo(START + hours * HOUR - 1);
}

describe('FleetSimulator', () => {
  const threeHours = run(1, 3);

  it('is deterministic: the same seed gives the same fixes, another seed others', () => {
    expect(run(1, 3)).toEqual(threeHours);
    expect(run(2, 3)).not.toEqual(threeHours);
  });

  it('gives the same fixes whether advanced in one go or in small steps', () => {
    const simulator = new FleetSimulator({ seed: 1, trucks: 50, startTimeMs: START });
    const stepped: SimulatedFix[] = [];
    for (let t = START; t < START + 3 * HOUR; t += 7_000) stepped.push(...simulator.advanceTo(t));
    stepped.push(...simulator.advanceTo(START + 3 * HOUR - 1));
    expect(stepped).toEqual(threeHours);
  });

  it('reports every terminal every interval, with seq counting up', () => {
    expect(threeHours).toHaveLength(50 * 3 * 360);
    const first = threeHours.filter((f) => f.terminalId === '013805330001');
    expect(first).toHaveLength(3 * 360);
    first.forEach((f, i) => {
      expect(f.fix.seq).toBe(i + 1);
      if (i > 0) expect(f.timeMs - first[i - 1]!.timeMs).toBe(10_000);
    });
    for (let i = 1; i < threeHours.length; i++) expect(threeHours[i]!.timeMs).toBeGreaterThanOrEqual(threeHours[i - 1]!.timeMs);
  });

  it('produces only fixes the telemetry contract accepts, one by one and as arrays', () => {
    for (const { fix } of threeHours) expect(checkFixSchema(fix)).toBeNull();
    const backlog = threeHours.slice(0, 500).map((f) => f.fix);
    const verdict = parseTelemetryPayload(JSON.stringify(backlog));
    expect(verdict.ok && verdict.fixes.length).toBe(500);
    expect(verdict.ok && verdict.rejections).toEqual([]);
  });

  it('sends ISO 8601 times with +08:00 from some terminals and epoch ms from others, both meaning the fix time', () => {
    const styles = new Set(threeHours.map((f) => typeof f.fix.ts));
    expect(styles).toEqual(new Set(['string', 'number']));
    for (const f of threeHours.slice(0, 200)) {
      if (typeof f.fix.ts === 'string') expect(f.fix.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
      expect(fixTimeMs(f.fix.ts)).toBe(f.timeMs);
    }
  });

  it('keeps every position inside the district', () => {
    for (const { fix } of threeHours.filter((_, i) => i % 7 === 0)) {
      expect(turf.booleanPointInPolygon([fix.lon, fix.lat], districtBoundary)).toBe(true);
    }
  });

  it('looks like real trucks: plausible speeds, satellites, hdop, load within the rated load, mileage only growing', () => {
    const rated = new Map(demoRegistry.trucks.map((t) => [t.terminalId, t.ratedLoadT]));
    const lastMileage = new Map<string, number>();
    const problems: string[] = [];
    const check = (ok: boolean, what: string, f: SimulatedFix): void => void (ok || problems.push(`${f.terminalId} ${f.timeMs}: ${what}`));
    for (const f of threeHours) {
      const { fix } = f;
      check(fix.speedKmh <= 55, 'speed above 55 km/h', f);
      check(fix.satellites! >= 8 && fix.satellites! <= 16, 'satellites outside 8–16', f);
      check(fix.hdop! >= 0.7 && fix.hdop! <= 2, 'hdop outside 0.7–2.0', f);
      check(fix.loadT! <= rated.get(f.terminalId)! && fix.load !== 'overload', 'overloaded', f);
      check(fix.mileageKm! >= (lastMileage.get(f.terminalId) ?? 0), 'mileage went down', f);
      lastMileage.set(f.terminalId, fix.mileageKm!);
      if (fix.body === 'raised') check(fix.speedKmh === 0, 'tipping while moving', f);
      if (fix.speedKmh > 0) check(fix.cover === 'closed', 'moving with the cover not closed', f);
      if (!fix.ignition) check(fix.speedKmh === 0, 'moving with the ignition off', f);
    }
    expect(problems.slice(0, 5)).toEqual([]);
    const moving = threeHours.filter((f) => f.fix.speedKmh > 5).map((f) => f.fix.speedKmh);
    const mean = moving.reduce((a, b) => a + b, 0) / moving.length;
    expect(mean).toBeGreaterThan(20);
    expect(mean).toBeLessThan(50);
  });

  it('starts trucks in different phases so the map is alive at once', () => {
    const simulator = new FleetSimulator({ seed: 1, trucks: 50, startTimeMs: START });
    simulator.advanceTo(START + 10_000);
    const phases = new Set(simulator.phases().map((p) => p.phase));
    expect(phases.size).toBeGreaterThanOrEqual(4);
    expect(phases.has('outbound') || phases.has('inbound')).toBe(true);
  });

  /** Whether the truck's site may run by day (the test runs from 08:00 local); urban sites run at night only. */
  const runsByDay = (truck: (typeof demoRegistry.trucks)[number]): boolean => {
    const site = demoRegistry.constructionSites.find((s) => s.id === truck.homeSiteId)!;
    return site.approval.timeWindowIds.some((id) => demoRegistry.timeWindows.find((w) => w.id === id)!.weekly.some((w) => !w.crossesMidnight));
  };

  it('takes each truck through a full cycle: loaded on the route, tipping at its designated disposal site, back empty', () => {
    const dayTrucks = demoRegistry.trucks.filter(runsByDay);
    expect(dayTrucks.length).toBeGreaterThanOrEqual(12);
    for (const truck of dayTrucks.slice(0, 12)) {
      const site = demoRegistry.constructionSites.find((s) => s.id === truck.homeSiteId)!;
      const disposal = demoRegistry.disposalSites.find((d) => d.id === site.approval.disposalSiteIds[0])!;
      const fixes = threeHours.filter((f) => f.terminalId === truck.terminalId).map((f) => f.fix);
      const loadedDriving = fixes.findIndex((f) => f.load === 'full' && f.speedKmh > 10 && f.cover === 'closed');
      expect(loadedDriving, truck.plate).toBeGreaterThanOrEqual(0);
      const tipping = fixes.findIndex((f, i) => i > loadedDriving && f.body === 'raised');
      expect(tipping, truck.plate).toBeGreaterThan(loadedDriving);
      let end = tipping;
      while (fixes[end]?.body === 'raised') end++;
      const raised = fixes.slice(tipping, end);
      for (const f of raised) expect(turf.booleanPointInPolygon([f.lon, f.lat], disposal.geometry), truck.plate).toBe(true);
      expect(raised[0]!.cover).toBe('open');
      // tipping lasts 2–3 minutes: 12–18 fixes at 10 s
      expect(raised.length).toBeGreaterThanOrEqual(11);
      expect(raised.length).toBeLessThanOrEqual(19);
      const afterTipping = fixes.slice(end);
      const emptyBack = afterTipping.find((f) => f.speedKmh > 10);
      expect(emptyBack?.load, truck.plate).toBe('empty');
      expect(emptyBack?.body).toBe('down');
      expect(emptyBack?.cover).toBe('closed');
      // the loaded leg happened within the cycle's expected time: under 90 minutes from leaving the site to tipping
      expect((tipping - loadedDriving) * 10).toBeLessThan(90 * 60);
    }
  });

  it("keeps its approval's hours: a night-only truck finishes the trip it is on, then stays parked through the day", () => {
    const nightTrucks = demoRegistry.trucks.slice(0, 50).filter((t) => !runsByDay(t));
    expect(nightTrucks.length).toBeGreaterThan(0);
    for (const truck of nightTrucks) {
      const fixes = threeHours.filter((f) => f.terminalId === truck.terminalId && f.timeMs >= START + HOUR).map((f) => f.fix);
      expect(fixes.filter((f) => f.speedKmh > 0 || f.load !== 'empty'), truck.plate).toEqual([]);
    }
  });

  it('loads at the site with the cover open, load rising from empty through half to full, and rests with the ignition off sometimes', () => {
    const fixes = run(1, 8, 10);
    const loading = fixes.filter((f) => f.fix.cover === 'open' && f.fix.body === 'down');
    expect(new Set(loading.map((f) => f.fix.load))).toEqual(new Set(['empty', 'half', 'full']));
    for (const f of loading) expect(f.fix.speedKmh).toBe(0);
    expect(fixes.some((f) => f.fix.ignition === false)).toBe(true);
  });

  it('loads inside its construction site and tips inside its disposal site, for every truck', () => {
    const outside: string[] = [];
    for (const truck of demoRegistry.trucks) {
      const site = demoRegistry.constructionSites.find((s) => s.id === truck.homeSiteId)!;
      const disposal = demoRegistry.disposalSites.find((d) => d.id === site.approval.disposalSiteIds[0])!;
      for (const { fix } of threeHours.filter((f) => f.terminalId === truck.terminalId)) {
        const where = fix.body === 'raised' ? disposal.geometry : fix.cover === 'open' ? site.geometry : null;
        if (where && !turf.booleanPointInPolygon([fix.lon, fix.lat], where)) outside.push(`${truck.plate} ${String(fix.ts)}`);
      }
    }
    expect(outside).toEqual([]);
  });

  it('refuses nonsense options', () => {
    expect(() => new FleetSimulator({ startTimeMs: START, intervalSec: 0 })).toThrow(/intervalSec/);
    expect(() => new FleetSimulator({ startTimeMs: START, trucks: 0 })).toThrow(/trucks/);
    expect(() => new FleetSimulator({ startTimeMs: START, terminalIds: ['nope'] })).toThrow(/no such terminal/);
  });
});
