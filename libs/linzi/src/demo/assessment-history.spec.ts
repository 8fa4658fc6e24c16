import { describe, expect, it } from 'vitest';
import { towns } from '../towns.js';
import { villagesOfTown } from '../villages.js';
import { DEMO_HISTORY_BOUNDS, demoAssessmentHistory, type DemoMonth } from './assessment-history.js';

/** Twelve months ending with December 2026, cut at ~10 days into it; UTC month bounds (the generator takes any instants). */
function twelveMonths(): { months: DemoMonth[]; nowMs: number } {
  const months: DemoMonth[] = [];
  for (let m = 0; m < 12; m++) {
    const month = `2026-${String(m + 1).padStart(2, '0')}`;
    months.push({ month, fromMs: Date.UTC(2026, m, 1), toMs: Date.UTC(2026, m + 1, 1) });
  }
  return { months, nowMs: Date.UTC(2026, 11, 10, 7, 30) };
}

function monthOf(months: DemoMonth[], atMs: number): string | undefined {
  return months.find((m) => atMs >= m.fromMs && atMs < m.toMs)?.month;
}

describe('demo assessment history', () => {
  const { months, nowMs } = twelveMonths();
  const history = demoAssessmentHistory(months, nowMs);

  it('is deterministic: the same months give the same records', () => {
    expect(JSON.stringify(demoAssessmentHistory(months, nowMs))).toBe(JSON.stringify(history));
  });

  it('a later present keeps every earlier record (ids stable, seeding again adds only what is new)', () => {
    const later = demoAssessmentHistory(months, nowMs + 3 * 86_400_000);
    const ids = new Set(later.trips.map((t) => t.id));
    for (const trip of history.trips) expect(ids.has(trip.id)).toBe(true);
    const cases = new Set(later.cases.map((c) => c.id));
    for (const c of history.cases) expect(cases.has(c.id)).toBe(true);
  });

  it('covers twelve months for every one of the 14 units, nothing after now', () => {
    expect(history.months).toHaveLength(12);
    expect(towns).toHaveLength(14);
    for (const town of towns) {
      for (const m of months) {
        const trips = history.trips.filter((t) => t.townCode === town.code && monthOf(months, t.startedAtMs) === m.month);
        expect(trips.length, `${town.name} ${m.month} trips`).toBeGreaterThan(0);
        expect(trips.length).toBeLessThanOrEqual(DEMO_HISTORY_BOUNDS.tripsPerTownMonth);
        const cases = history.cases.filter((c) => c.townCode === town.code && monthOf(months, c.startedAtMs) === m.month);
        expect(cases.length).toBeLessThanOrEqual(DEMO_HISTORY_BOUNDS.casesPerTownMonth);
        const findings = history.findings.filter((f) => f.townCode === town.code && monthOf(months, f.foundAtMs) === m.month);
        expect(findings.length).toBeLessThanOrEqual(DEMO_HISTORY_BOUNDS.findingsPerTownMonth);
        const requests = history.requests.filter((q) => q.townCode === town.code && monthOf(months, q.requestedAtMs) === m.month);
        expect(requests.length).toBeLessThanOrEqual(DEMO_HISTORY_BOUNDS.requestsPerTownMonth);
      }
    }
    const times = [
      ...history.trips.flatMap((t) => [t.startedAtMs, t.endedAtMs]),
      ...history.cases.flatMap((c) => [c.endedAtMs, ...c.events.map((e) => e.atMs)]),
      ...history.findings.flatMap((f) => f.events.map((e) => e.atMs)),
      ...history.piles.flatMap((p) => p.events.map((e) => e.atMs)),
      ...history.requests.flatMap((q) => q.events.map((e) => e.atMs)),
    ];
    for (const t of times) expect(t).toBeLessThan(nowMs);
    expect(Math.min(...history.trips.map((t) => t.startedAtMs))).toBeGreaterThanOrEqual(months[0]!.fromMs);
  });

  it('ids are unique', () => {
    for (const list of [history.trips, history.cases, history.findings, history.piles, history.points, history.requests, history.adjustments]) {
      expect(new Set(list.map((x) => x.id)).size).toBe(list.length);
    }
  });

  it('holds every kind of case and finding, handled mostly on time, some dumping recurring and some not cleared in 48 h', () => {
    const types = new Set(history.cases.map((c) => c.type));
    for (const t of ['illegal_dumping', 'unsealed_transport', 'overload', 'unlicensed_transport']) expect(types).toContain(t);
    const kinds = new Set(history.findings.map((f) => f.kind));
    for (const k of ['road_pollution', 'unwashed_exit', 'dumping_point', 'complaint_12345']) expect(kinds).toContain(k);
    expect(new Set(history.findings.map((f) => f.finder))).toEqual(new Set(['town', 'district', 'city', 'higher']));
    const assigned = history.cases.filter((c) => c.deadlineMs !== null);
    const handledAt = (c: (typeof assigned)[number]): number | undefined => c.events.find((e) => e.action === 'handle')?.atMs;
    const onTime = assigned.filter((c) => (handledAt(c) ?? Infinity) <= c.deadlineMs!);
    expect(onTime.length / assigned.length).toBeGreaterThan(0.6);
    expect(onTime.length).toBeLessThan(assigned.length);
    const dumping = history.cases.filter((c) => c.type === 'illegal_dumping' && c.caseState !== 'dismissed');
    const slow = dumping.filter((c) => (handledAt(c) ?? nowMs) - c.startedAtMs > 48 * 3_600_000);
    expect(slow.length).toBeGreaterThan(0);
    expect(slow.length).toBeLessThan(dumping.length);
    const close = (a: (typeof dumping)[number], b: (typeof dumping)[number]): boolean =>
      Math.abs(a.start[0] - b.start[0]) < 0.002 && Math.abs(a.start[1] - b.start[1]) < 0.002;
    expect(dumping.some((a, i) => dumping.slice(i + 1).some((b) => b.townCode === a.townCode && close(a, b)))).toBe(true);
  });

  it('a transport case happened on a seeded trip of its truck, during the trip', () => {
    const trips = new Map(history.trips.map((t) => [t.id, t]));
    const transport = history.cases.filter((c) => c.type !== 'illegal_dumping');
    expect(transport.length).toBeGreaterThan(0);
    for (const c of transport) {
      const trip = trips.get(c.tripId!);
      expect(trip?.truckId, c.id).toBe(c.truckId);
      expect(c.startedAtMs).toBeGreaterThanOrEqual(trip!.startedAtMs);
      expect(c.endedAtMs).toBeLessThanOrEqual(trip!.endedAtMs);
    }
  });

  it('collection points cover most villages, with real village codes; requests mostly cleared within 24 h by a seeded trip', () => {
    const villages = towns.flatMap((t) => villagesOfTown(t.code));
    const codes = new Set(villages.map((v) => v.code));
    for (const p of history.points) expect(codes.has(p.villageCode)).toBe(true);
    expect(history.points.length / villages.length).toBeGreaterThan(0.7);
    expect(history.points.length).toBeLessThan(villages.length);
    const fulfilled = history.requests.filter((q) => q.state === 'fulfilled');
    const tripIds = new Set(history.trips.map((t) => t.id));
    for (const q of fulfilled) expect(tripIds.has(q.tripId!)).toBe(true);
    const sameDay = fulfilled.filter((q) => q.fulfilledAtMs! - q.requestedAtMs <= 24 * 3_600_000);
    expect(sameDay.length / fulfilled.length).toBeGreaterThan(0.7);
    expect(sameDay.length).toBeLessThan(fulfilled.length);
  });

  it('piles move through their statuses; adjustments hold a bonus, a city notification and one veto', () => {
    const statuses = new Set(history.piles.map((p) => p.status));
    expect(statuses.size).toBeGreaterThanOrEqual(3);
    expect(statuses).toContain('verified');
    expect(new Set(history.adjustments.map((a) => a.kind))).toEqual(new Set(['bonus', 'city_notification', 'veto']));
    expect(history.adjustments.filter((a) => a.kind === 'veto')).toHaveLength(1);
  });

  it('towns differ: the good ones have far fewer cases than the poor ones, and the improving one gets better', () => {
    const casesOf = (code: string, from = 0, to = 12): number =>
      history.cases.filter((c) => c.townCode === code && months.slice(from, to).some((m) => m.month === monthOf(months, c.startedAtMs))).length;
    expect(casesOf('370305001') * 2).toBeLessThan(casesOf('370305109'));
    expect(casesOf('E37030501') * 2).toBeLessThan(casesOf('370305111'));
    expect(casesOf('370305104', 8, 11)).toBeLessThan(casesOf('370305104', 0, 3));
  });
});
