import { describe, expect, it } from 'vitest';
import { DEFAULT_METHODOLOGY } from '../default-methodology.js';
import type { TownMonthFacts } from '../model.js';
import { scoreMonth } from '../score.js';
import { LINZI_UNITS, adjustment, cleanTown, dumping, east, finding, onTimeCases, transportCase } from './month-builder.js';

/** A seeded shuffle (mulberry32), so a failure can be replayed. */
function shuffle<T>(xs: readonly T[], seed: number): T[] {
  let a = seed;
  const random = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function month(): TownMonthFacts[] {
  return LINZI_UNITS.map(([code, name], i) =>
    cleanTown(code, name, {
      trips: 40 * i,
      transportCases: Array.from({ length: i % 4 }, (_, k) => transportCase(`${code}-t${k}`, (['town', 'district', 'city', 'higher'] as const)[k % 4])),
      dumpingCases: Array.from({ length: i % 3 }, (_, k) => dumping(`${code}-d${k}`, { place: east(60 * k), clearedAfterHours: k === 1 ? null : 10 })),
      priorDumpingPlaces: i % 2 ? [{ id: `${code}-old`, at: '2026-10-01T00:00:00.000Z', ...east(120) }] : [],
      roadFindings: Array.from({ length: i % 5 }, (_, k) => finding(`${code}-f${k}`, 'district', k * 400)),
      assignedCases: onTimeCases(code, 10 + i, i % 4),
      adjustments: i % 5 === 0 ? [adjustment(`${code}-b`, 'bonus', 1.25), adjustment(`${code}-c`, 'city_notification')] : [],
    }),
  );
}

function shuffled(facts: TownMonthFacts[], seed: number): TownMonthFacts[] {
  return shuffle(facts, seed).map((f, i) => ({
    ...f,
    transportCases: shuffle(f.transportCases, seed + i),
    dumpingCases: shuffle(f.dumpingCases, seed + i + 1),
    roadFindings: shuffle(f.roadFindings, seed + i + 2),
    assignedCases: shuffle(f.assignedCases, seed + i + 3),
    adjustments: shuffle(f.adjustments, seed + i + 4),
    sites: { ...f.sites, unapprovedIds: shuffle(f.sites.unapprovedIds, seed) },
  }));
}

// Recomputing a frozen month must give the very same bytes, whatever order the database returned rows in.
describe('shuffled input gives identical output', () => {
  const reference = JSON.stringify(scoreMonth('2026-11', month(), DEFAULT_METHODOLOGY, { blackListStreak: { '370305001': 1 } }));

  it.each([1, 2, 3, 42, 2026])('seed %i', (seed) => {
    expect(JSON.stringify(scoreMonth('2026-11', shuffled(month(), seed), DEFAULT_METHODOLOGY, { blackListStreak: { '370305001': 1 } }))).toBe(reference);
  });

  it('does not change its input', () => {
    const facts = month();
    const before = JSON.stringify(facts);
    scoreMonth('2026-11', facts, DEFAULT_METHODOLOGY, { blackListStreak: {} });
    expect(JSON.stringify(facts)).toBe(before);
  });
});
