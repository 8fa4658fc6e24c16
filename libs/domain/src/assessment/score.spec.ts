import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_METHODOLOGY } from './default-methodology.js';
import { ADJUSTMENT_KINDS, FINDERS, VETO_GROUNDS, type TownMonthFacts } from './model.js';
import { round2, scoreMonth } from './score.js';

const iso = fc.integer({ min: Date.parse('2026-08-01T00:00:00Z'), max: Date.parse('2026-11-30T23:59:59Z') }).map((t) => new Date(t).toISOString());
const finder = fc.constantFrom(...FINDERS);
const place = { lon: fc.double({ min: 118.1, max: 118.5, noNaN: true }), lat: fc.double({ min: 36.6, max: 37, noNaN: true }) };
const ids = (prefix: string, max: number) => fc.integer({ min: 0, max }).map((n) => Array.from({ length: n }, (_, i) => `${prefix}${i}`));

const town = (code: string): fc.Arbitrary<TownMonthFacts> =>
  fc
    .record({
      active: fc.integer({ min: 0, max: 30 }),
      approved: fc.integer({ min: 0, max: 30 }),
      trips: fc.integer({ min: 0, max: 1000 }),
      transport: fc.array(fc.record({ finder, at: iso }), { maxLength: 15 }),
      dumping: fc.array(fc.record({ finder, at: iso, clearedHours: fc.option(fc.integer({ min: 0, max: 200 })), ...place }), { maxLength: 12 }),
      prior: fc.array(fc.record({ at: iso, ...place }), { maxLength: 6 }),
      findings: fc.array(fc.record({ finder, area: fc.option(fc.integer({ min: 0, max: 5000 })) }), { maxLength: 20 }),
      assigned: fc.array(fc.record({ deadline: iso, handled: fc.option(iso) }), { maxLength: 30 }),
      piles: fc.integer({ min: 0, max: 20 }),
      pilesCurrent: fc.integer({ min: 0, max: 20 }),
      villages: fc.integer({ min: 0, max: 40 }),
      covered: fc.integer({ min: 0, max: 40 }),
      requests: fc.integer({ min: 0, max: 30 }),
      cleared: fc.integer({ min: 0, max: 30 }),
      adjustments: fc.array(fc.record({ kind: fc.constantFrom(...ADJUSTMENT_KINDS), points: fc.option(fc.integer({ min: 0, max: 8 })), ground: fc.option(fc.constantFrom(...VETO_GROUNDS)) }), { maxLength: 6 }),
      unapproved: ids('s', 3),
    })
    .map((r) => ({
      townCode: code,
      townName: code,
      sites: { active: r.active, approved: Math.min(r.approved, r.active), unapprovedIds: r.unapproved },
      trips: r.trips,
      transportCases: r.transport.map((t, i) => ({ id: `${code}-t${i}`, type: 'overload', startedAt: t.at, lon: 118.3, lat: 36.8, finder: t.finder, handledAt: null })),
      dumpingCases: r.dumping.map((d, i) => {
        const clearedAt = d.clearedHours === null ? null : new Date(Date.parse(d.at) + d.clearedHours * 3_600_000).toISOString();
        return { id: `${code}-d${i}`, type: 'illegal_dumping', startedAt: d.at, lon: d.lon, lat: d.lat, finder: d.finder, handledAt: clearedAt, clearedAt };
      }),
      priorDumpingPlaces: r.prior.map((p, i) => ({ id: `${code}-p${i}`, ...p })),
      roadFindings: r.findings.map((f, i) => ({ id: `${code}-f${i}`, kind: 'road_pollution', foundAt: '2026-11-02T00:00:00.000Z', finder: f.finder, areaM2: f.area })),
      assignedCases: r.assigned.map((a, i) => ({ id: `${code}-a${i}`, deadline: a.deadline, handledAt: a.handled })),
      ledger: {
        piles: r.piles,
        pilesCurrent: Math.min(r.pilesCurrent, r.piles),
        staleIds: [],
        villages: r.villages,
        villagesCovered: Math.min(r.covered, r.villages),
        uncoveredVillageCodes: [],
        requests: r.requests,
        requestsClearedWithin24h: Math.min(r.cleared, r.requests),
        lateRequestIds: [],
      },
      adjustments: r.adjustments.map((a, i) => ({ id: `${code}-j${i}`, kind: a.kind, points: a.points, vetoGround: a.kind === 'veto' ? a.ground : null, reason: 'r' })),
    }));

const month = fc.integer({ min: 1, max: 14 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => town(`T${String(i).padStart(2, '0')}`))));

describe('scoreMonth on random months', () => {
  it('keeps every item in [0, max], every total in [0, base + bonus cap] and ranks a valid competition ranking', () => {
    const m = DEFAULT_METHODOLOGY;
    fc.assert(
      fc.property(month, (facts) => {
        const ranking = scoreMonth('2026-11', facts, m, { blackListStreak: {} });
        expect(ranking.towns).toHaveLength(facts.length);
        for (const t of ranking.towns) {
          for (const item of t.items) if (item.earned !== null) expect(item.earned >= 0 && item.earned <= item.max).toBe(true);
          expect(t.total >= 0 && t.total <= m.base + m.bonusCap).toBe(true);
          expect(t.total).toBe(round2(t.total));
          expect(t.bonus <= m.bonusCap && t.notificationDeduction <= m.notificationPoints.cap).toBe(true);
          if (t.veto.length > 0) expect(t.blackList && !t.redList && t.grade === 'fair').toBe(true);
        }
        // competition ranking: sorted, first is 1, a rank is its position unless it equals the one before
        ranking.towns.forEach((t, i) => {
          const before = ranking.towns[i - 1];
          expect(t.rank === i + 1 || (before !== undefined && before.rank === t.rank)).toBe(true);
          if (before && before.rank === t.rank) expect(before.total === t.total && before.tied && t.tied).toBe(true);
          if (before && before.veto.length > 0) expect(t.veto.length > 0).toBe(true); // vetoed ones last
        });
        expect(ranking.towns.some((t) => t.redList && t.blackList)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same bytes twice', () => {
    fc.assert(
      fc.property(month, (facts) => {
        const once = JSON.stringify(scoreMonth('2026-11', facts, DEFAULT_METHODOLOGY, { blackListStreak: {} }));
        expect(JSON.stringify(scoreMonth('2026-11', [...facts].reverse(), DEFAULT_METHODOLOGY, { blackListStreak: {} }))).toBe(once);
      }),
      { numRuns: 50 },
    );
  });
});

describe('round2', () => {
  it('rounds halves away from zero as a person would, and never gives -0', () => {
    expect([round2(1.005), round2(69.625), round2(2.675), round2(-1.005), round2(-0.001), round2(0.1 + 0.2)]).toEqual([1.01, 69.63, 2.68, -1.01, 0, 0.3]);
    expect(Object.is(round2(-0.001), 0)).toBe(true);
  });
});
