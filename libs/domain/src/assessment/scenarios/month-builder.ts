/**
 * Hand-built months for the assessment scenarios: a town that did everything right (every item
 * has data and earns full marks), and small makers for the records that cost it points.
 */
import type { AdjustmentFact, AssignedCaseFact, CaseFact, DumpingFact, Finder, RoadFindingFact, TownMonthFacts, VetoGround } from '../model.js';

/** The 14 assessed units of Linzi (libs/linzi), the two enterprise zones included. */
export const LINZI_UNITS: [code: string, name: string][] = [
  ['370305001', '闻韶街道'],
  ['370305002', '雪宫街道'],
  ['370305003', '辛店街道'],
  ['370305004', '稷下街道'],
  ['370305005', '齐陵街道'],
  ['370305100', '齐都镇'],
  ['370305102', '皇城镇'],
  ['370305103', '敬仲镇'],
  ['370305104', '朱台镇'],
  ['370305107', '金岭回族镇'],
  ['370305109', '凤凰镇'],
  ['370305111', '金山镇'],
  ['E37030501', '齐鲁石化'],
  ['E37030502', '十化建'],
];

/** A place in Linzi, and one `metres` east of it (for recurrence distances). */
export const XINDIAN = { lon: 118.312, lat: 36.803 };
export const east = (metres: number) => ({ lon: XINDIAN.lon + metres / (111_320 * Math.cos((XINDIAN.lat * Math.PI) / 180)), lat: XINDIAN.lat });

/** Twenty cases assigned in the month, all handled a day before their deadline. */
export function onTimeCases(prefix: string, count = 20, late = 0): AssignedCaseFact[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-assigned-${String(i).padStart(2, '0')}`,
    deadline: '2026-11-20T00:00:00.000Z',
    handledAt: i < count - late ? '2026-11-19T00:00:00.000Z' : null,
  }));
}

/** A clean month: every item has data and nothing went wrong (normalised 100). */
export function cleanTown(code: string, name = code, overrides: Partial<TownMonthFacts> = {}): TownMonthFacts {
  return {
    townCode: code,
    townName: name,
    sites: { active: 10, approved: 10, unapprovedIds: [] },
    trips: 100,
    transportCases: [],
    dumpingCases: [],
    priorDumpingPlaces: [],
    roadFindings: [],
    assignedCases: onTimeCases(code),
    ledger: { piles: 5, pilesCurrent: 5, staleIds: [], villages: 10, villagesCovered: 10, uncoveredVillageCodes: [], requests: 10, requestsClearedWithin24h: 10, lateRequestIds: [] },
    adjustments: [],
    ...overrides,
  };
}

/** A month in which nothing was recorded for the town at all. */
export function emptyTown(code: string, name = code): TownMonthFacts {
  return cleanTown(code, name, {
    sites: { active: 0, approved: 0, unapprovedIds: [] },
    trips: 0,
    assignedCases: [],
    ledger: { piles: 0, pilesCurrent: 0, staleIds: [], villages: 0, villagesCovered: 0, uncoveredVillageCodes: [], requests: 0, requestsClearedWithin24h: 0, lateRequestIds: [] },
  });
}

export function transportCase(id: string, finder: Finder = 'district'): CaseFact {
  return { id, type: 'unsealed_transport', startedAt: '2026-11-10T02:00:00.000Z', ...XINDIAN, finder, handledAt: '2026-11-11T02:00:00.000Z' };
}

/** An illegal dumping case, cleared `clearedAfterHours` after it started (null: not cleared). */
export function dumping(id: string, opts: { finder?: Finder; at?: string; place?: { lon: number; lat: number }; clearedAfterHours?: number | null } = {}): DumpingFact {
  const at = opts.at ?? '2026-11-10T02:00:00.000Z';
  const hours = opts.clearedAfterHours === undefined ? 12 : opts.clearedAfterHours;
  const clearedAt = hours === null ? null : new Date(Date.parse(at) + hours * 3_600_000).toISOString();
  return { id, type: 'illegal_dumping', startedAt: at, ...(opts.place ?? XINDIAN), finder: opts.finder ?? 'district', handledAt: clearedAt, clearedAt };
}

export function finding(id: string, finder: Finder = 'district', areaM2: number | null = null): RoadFindingFact {
  return { id, kind: 'road_pollution', foundAt: '2026-11-12T01:00:00.000Z', finder, areaM2 };
}

export function adjustment(id: string, kind: AdjustmentFact['kind'], points: number | null = null, vetoGround: VetoGround | null = null): AdjustmentFact {
  return { id, kind, points, vetoGround, reason: `${kind} ${id}` };
}
