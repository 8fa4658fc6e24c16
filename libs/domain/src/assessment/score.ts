/**
 * The monthly score, rank, grade and lists of every town: a pure function of the month's facts,
 * the methodology and how long each town has been on the black list. The same input gives
 * byte-identical output (inputs are sorted by id before use; rounding happens once, at the end).
 * The rules in words: docs/ranking.md.
 */
import { haversineMetres } from '../geo/haversine.js';
import type {
  AdjustmentFact,
  AssessmentItemCode,
  DumpingFact,
  FactRef,
  Finder,
  Grade,
  ItemScore,
  Methodology,
  MonthRanking,
  PriorDumpingPlace,
  RankingHistory,
  ScoreLine,
  TownMonthFacts,
  TownScore,
  VetoGround,
} from './model.js';
import { FINDERS } from './model.js';

/** Every ScoreLine code the scorer emits (ranking-text in libs/contracts has a text for each). */
export const SCORE_LINE_CODES = [
  'A.unapproved_sites',
  'B.case',
  'C.case',
  'C.not_cleared',
  'C.recurrence',
  'D.finding',
  'D.area',
  'E.below_target',
  'F.ledger',
  'F.coverage',
  'F.daily_clearance',
  'adj.bonus',
  'adj.bonus_cap',
  'adj.city_notification',
  'adj.province_notification',
  'adj.notification_cap',
] as const;
export type ScoreLineCode = (typeof SCORE_LINE_CODES)[number];

/**
 * Round half away from zero to 2 decimals. The small nudge makes 1.005 (stored as 1.00499…) round
 * up as a person would; the result depends only on the number, so recomputation is identical.
 */
export function round2(x: number): number {
  if (!Number.isFinite(x)) return 0;
  const sign = x < 0 ? -1 : 1;
  const r = (sign * Math.round(Math.abs(x) * 100 + 1e-7)) / 100;
  return r === 0 ? 0 : r; // never -0
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const sortedById = <T extends { id: string }>(xs: readonly T[]) => [...xs].sort(byId);
const sortedStrings = (xs: readonly string[]) => [...xs].sort();
const ms = (iso: string) => Date.parse(iso);
const refs = (kind: FactRef['kind'], ids: readonly string[]): FactRef[] => sortedStrings(ids).map((id) => ({ kind, id }));

function line(code: ScoreLineCode, points: number, params: ScoreLine['params'], lineRefs: FactRef[]): ScoreLine {
  return { code, points, params, refs: lineRefs };
}

/** A line's points in the output: deductions negative, bonus positive, 2 decimals. */
function finishLine(l: ScoreLine): ScoreLine {
  return { ...l, points: round2(l.points) };
}

export interface Recurrence {
  caseId: string;
  /** The earlier case (this month's or a prior one) it recurred at. */
  earlierId: string;
  distanceM: number;
}

/**
 * Dumping cases that recur within `radiusM` of an earlier dumping case started in the
 * `lookbackDays` before them: earlier cases of the same month count as well as the prior places.
 * Each case recurs at most once (at the nearest earlier case; ties by id).
 */
export function findRecurrences(dumping: readonly DumpingFact[], prior: readonly PriorDumpingPlace[], radiusM: number, lookbackDays: number): Recurrence[] {
  const earlier: PriorDumpingPlace[] = [
    ...sortedById(prior),
    ...sortedById(dumping).map((d) => ({ id: d.id, at: d.startedAt, lon: d.lon, lat: d.lat })),
  ];
  const lookbackMs = lookbackDays * 86_400_000;
  const result: Recurrence[] = [];
  for (const d of sortedById(dumping)) {
    const at = ms(d.startedAt);
    let best: { id: string; distance: number } | undefined;
    for (const e of earlier) {
      if (e.id === d.id) continue;
      const eAt = ms(e.at);
      // strictly earlier; same instant: the smaller id is the earlier one
      const isEarlier = eAt < at || (eAt === at && e.id < d.id);
      if (!isEarlier || at - eAt > lookbackMs) continue;
      const distance = haversineMetres(d, e);
      if (distance > radiusM) continue;
      if (!best || distance < best.distance || (distance === best.distance && e.id < best.id)) best = { id: e.id, distance };
    }
    if (best) result.push({ caseId: d.id, earlierId: best.id, distanceM: Math.round(best.distance) });
  }
  return result;
}

interface RawItem {
  code: AssessmentItemCode;
  max: number;
  earned: number | null;
  lines: ScoreLine[];
}

function finderGroups<T extends { id: string; finder: Finder }>(records: readonly T[]): [Finder, T[]][] {
  return FINDERS.map((finder): [Finder, T[]] => [finder, sortedById(records.filter((r) => r.finder === finder))]).filter(([, group]) => group.length > 0);
}

function itemA(f: TownMonthFacts, m: Methodology): RawItem {
  const { max, perPointBelow } = m.items.A;
  const active = f.sites.active;
  if (active <= 0) return { code: 'A', max, earned: null, lines: [] };
  const approved = clamp(f.sites.approved, 0, active);
  const percent = (approved / active) * 100;
  const deduction = (100 - percent) * perPointBelow;
  const lines = deduction > 0 ? [line('A.unapproved_sites', -deduction, { active, approved, percent: round2(percent) }, refs('site', f.sites.unapprovedIds))] : [];
  return { code: 'A', max, earned: clamp(max - deduction, 0, max), lines };
}

function itemB(f: TownMonthFacts, m: Methodology): RawItem {
  const { max, perCase, tripsReference } = m.items.B;
  if (f.trips <= 0 && f.transportCases.length === 0) return { code: 'B', max, earned: null, lines: [] };
  // Busy towns are not punished for being busy: above the reference, deductions shrink in proportion.
  const tripsFactor = f.trips > 0 ? Math.min(1, tripsReference / f.trips) : 1;
  const lines: ScoreLine[] = [];
  let deduction = 0;
  for (const [finder, cases] of finderGroups(f.transportCases)) {
    const weight = m.finderWeights[finder];
    const points = cases.length * perCase * weight * tripsFactor;
    deduction += points;
    if (points > 0) {
      lines.push(line('B.case', -points, { count: cases.length, finder, perCase, weight, trips: f.trips, tripsFactor: round4(tripsFactor) }, refs('violation', cases.map((c) => c.id))));
    }
  }
  return { code: 'B', max, earned: clamp(max - deduction, 0, max), lines };
}

function itemC(f: TownMonthFacts, m: Methodology, asOf: number): RawItem {
  const c = m.items.C;
  const lines: ScoreLine[] = [];
  let deduction = 0;
  for (const [finder, cases] of finderGroups(f.dumpingCases)) {
    const weight = m.finderWeights[finder];
    const points = cases.length * c.perCase * weight;
    deduction += points;
    if (points > 0) lines.push(line('C.case', -points, { count: cases.length, finder, perCase: c.perCase, weight }, refs('violation', cases.map((x) => x.id))));
  }
  const clearMs = c.clearHours * 3_600_000;
  // Not cleared in time: cleared late, or still lying there once the hours have run out (by `asOf`).
  const notCleared = sortedById(f.dumpingCases).filter((d) => (d.clearedAt === null ? asOf - ms(d.startedAt) > clearMs : ms(d.clearedAt) - ms(d.startedAt) > clearMs));
  if (notCleared.length > 0 && c.notClearedExtra > 0) {
    const points = notCleared.length * c.notClearedExtra;
    deduction += points;
    lines.push(line('C.not_cleared', -points, { count: notCleared.length, hours: c.clearHours, each: c.notClearedExtra }, refs('violation', notCleared.map((d) => d.id))));
  }
  const recurrences = findRecurrences(f.dumpingCases, f.priorDumpingPlaces, c.recurrenceRadiusM, c.recurrenceLookbackDays);
  if (recurrences.length > 0 && c.recurrenceExtra > 0) {
    const points = recurrences.length * c.recurrenceExtra;
    deduction += points;
    const recurrenceRefs = [...new Set(recurrences.flatMap((r) => [r.caseId, r.earlierId]))];
    lines.push(
      line('C.recurrence', -points, { count: recurrences.length, radiusM: c.recurrenceRadiusM, days: c.recurrenceLookbackDays, each: c.recurrenceExtra }, refs('violation', recurrenceRefs)),
    );
  }
  // Never "no data": a town without dumping earns the full item.
  return { code: 'C', max: c.max, earned: clamp(c.max - deduction, 0, c.max), lines };
}

function itemD(f: TownMonthFacts, m: Methodology): RawItem {
  const d = m.items.D;
  const lines: ScoreLine[] = [];
  let deduction = 0;
  for (const [finder, findings] of finderGroups(f.roadFindings)) {
    const weight = m.finderWeights[finder];
    const points = findings.length * d.perFinding * weight;
    deduction += points;
    if (points > 0) lines.push(line('D.finding', -points, { count: findings.length, finder, each: d.perFinding, weight }, refs('finding', findings.map((x) => x.id))));
    // Area steps are counted per finding: 700 m² is one step of 500, 1 000 m² two.
    const measured = findings.filter((x) => x.areaM2 !== null && x.areaM2 > 0 && d.areaStepM2 > 0);
    const steps = measured.reduce((sum, x) => sum + Math.floor((x.areaM2 ?? 0) / d.areaStepM2), 0);
    const areaPoints = steps * d.perAreaStep * weight;
    if (areaPoints > 0) {
      deduction += areaPoints;
      const stepped = measured.filter((x) => Math.floor((x.areaM2 ?? 0) / d.areaStepM2) > 0);
      const area = stepped.reduce((sum, x) => sum + (x.areaM2 ?? 0), 0);
      lines.push(line('D.area', -areaPoints, { steps, areaM2: round2(area), stepM2: d.areaStepM2, each: d.perAreaStep, finder, weight }, refs('finding', stepped.map((x) => x.id))));
    }
  }
  return { code: 'D', max: d.max, earned: clamp(d.max - deduction, 0, d.max), lines };
}

/** Assigned cases that can be judged by `asOf` (handled, or past their deadline), and those handled on time. */
function onTime(f: TownMonthFacts, asOf: number): { assigned: number; onTime: number; late: string[] } {
  const late: string[] = [];
  let count = 0;
  let assigned = 0;
  for (const a of sortedById(f.assignedCases)) {
    if (a.handledAt === null && ms(a.deadline) >= asOf) continue; // still within its deadline: not judged yet
    assigned += 1;
    if (a.handledAt !== null && ms(a.handledAt) <= ms(a.deadline)) count += 1;
    else late.push(a.id);
  }
  return { assigned, onTime: count, late };
}

function itemE(f: TownMonthFacts, m: Methodology, asOf: number): RawItem {
  const e = m.items.E;
  const t = onTime(f, asOf);
  if (t.assigned === 0) return { code: 'E', max: e.max, earned: null, lines: [] };
  const percent = (t.onTime / t.assigned) * 100;
  const deduction = percent >= e.fullAtPercent ? 0 : (e.fullAtPercent - percent) * e.perPointBelow;
  const lines =
    deduction > 0
      ? [line('E.below_target', -deduction, { assigned: t.assigned, onTime: t.onTime, percent: round2(percent), target: e.fullAtPercent, each: e.perPointBelow }, refs('violation', t.late))]
      : [];
  return { code: 'E', max: e.max, earned: clamp(e.max - deduction, 0, e.max), lines };
}

function itemF(f: TownMonthFacts, m: Methodology): RawItem {
  const F = m.items.F;
  const l = f.ledger;
  const parts: { code: ScoreLineCode; weight: number; total: number; good: number; refs: FactRef[]; params: (pct: number) => ScoreLine['params'] }[] = [];
  if (l.piles > 0) {
    const good = clamp(l.pilesCurrent, 0, l.piles);
    parts.push({ code: 'F.ledger', weight: F.ledgerWeight, total: l.piles, good, refs: refs('pile', l.staleIds), params: (percent) => ({ piles: l.piles, current: good, percent }) });
  }
  if (l.villages > 0) {
    const good = clamp(l.villagesCovered, 0, l.villages);
    parts.push({ code: 'F.coverage', weight: F.coverageWeight, total: l.villages, good, refs: refs('village', l.uncoveredVillageCodes), params: (percent) => ({ villages: l.villages, covered: good, percent }) });
  }
  if (l.requests > 0) {
    const good = clamp(l.requestsClearedWithin24h, 0, l.requests);
    parts.push({ code: 'F.daily_clearance', weight: F.dailyClearanceWeight, total: l.requests, good, refs: refs('request', l.lateRequestIds), params: (percent) => ({ requests: l.requests, cleared: good, percent }) });
  }
  const weightSum = parts.reduce((sum, p) => sum + p.weight, 0);
  if (parts.length === 0 || weightSum <= 0) return { code: 'F', max: F.max, earned: null, lines: [] };
  // Only the parts with data count, scaled up to the item's max.
  let deduction = 0;
  const lines: ScoreLine[] = [];
  for (const p of parts) {
    const ratio = p.good / p.total;
    const points = ((p.weight * (1 - ratio)) / weightSum) * F.max;
    if (points > 0) {
      deduction += points;
      lines.push(line(p.code, -points, p.params(round2(ratio * 100)), p.refs));
    }
  }
  return { code: 'F', max: F.max, earned: clamp(F.max - deduction, 0, F.max), lines };
}

interface Adjusted {
  bonus: number;
  notificationDeduction: number;
  notifications: number;
  lines: ScoreLine[];
  veto: TownScore['veto'];
}

const magnitude = (x: number | null, fallback: number) => (x === null || !Number.isFinite(x) ? fallback : Math.abs(x));

function adjustments(list: readonly AdjustmentFact[], m: Methodology): Adjusted {
  const sorted = sortedById(list);
  const lines: ScoreLine[] = [];
  const bonuses = sorted.filter((a) => a.kind === 'bonus');
  const rawBonus = bonuses.reduce((sum, a) => sum + magnitude(a.points, 0), 0);
  const bonus = Math.min(rawBonus, m.bonusCap);
  if (rawBonus > 0) {
    lines.push(line('adj.bonus', rawBonus, { count: bonuses.length }, refs('adjustment', bonuses.map((a) => a.id))));
    if (rawBonus > bonus) lines.push(line('adj.bonus_cap', bonus - rawBonus, { cap: m.bonusCap }, []));
  }
  let rawNotifications = 0;
  let notifications = 0;
  for (const [kind, fallback] of [
    ['city_notification', m.notificationPoints.city],
    ['province_notification', m.notificationPoints.province],
  ] as const) {
    const of = sorted.filter((a) => a.kind === kind);
    if (of.length === 0) continue;
    notifications += of.length;
    const points = of.reduce((sum, a) => sum + magnitude(a.points, fallback), 0);
    rawNotifications += points;
    if (points > 0) lines.push(line(`adj.${kind}`, -points, { count: of.length }, refs('adjustment', of.map((a) => a.id))));
  }
  const notificationDeduction = Math.min(rawNotifications, m.notificationPoints.cap);
  if (rawNotifications > notificationDeduction) lines.push(line('adj.notification_cap', rawNotifications - notificationDeduction, { cap: m.notificationPoints.cap }, []));
  // A veto needs a ground (the API requires one); one without is not a veto.
  const veto = sorted
    .filter((a): a is AdjustmentFact & { vetoGround: VetoGround } => a.kind === 'veto' && a.vetoGround !== null)
    .map((a) => ({ ground: a.vetoGround, adjustmentId: a.id, reason: a.reason }));
  return { bonus, notificationDeduction, notifications, lines, veto };
}

/** The tie-break value of an on-time percent: a town with no assigned cases counts as 100 % (nothing was late). */
export const onTimeForTies = (percent: number | null) => (percent === null ? 100 : percent);

function compareForRank(a: TownScore, b: TownScore): number {
  const vetoA = a.veto.length > 0 ? 1 : 0;
  const vetoB = b.veto.length > 0 ? 1 : 0;
  if (vetoA !== vetoB) return vetoA - vetoB;
  if (a.total !== b.total) return b.total - a.total;
  if (a.tieBreak.dumpingCases !== b.tieBreak.dumpingCases) return a.tieBreak.dumpingCases - b.tieBreak.dumpingCases;
  const ta = onTimeForTies(a.tieBreak.onTimePercent);
  const tb = onTimeForTies(b.tieBreak.onTimePercent);
  if (ta !== tb) return tb - ta;
  return a.tieBreak.notifications - b.tieBreak.notifications;
}

function gradeOf(total: number, vetoed: boolean, m: Methodology): Grade {
  if (vetoed) return 'fair';
  if (total >= m.grades.excellent) return 'excellent';
  if (total >= m.grades.good) return 'good';
  return 'fair';
}

function scoreTown(f: TownMonthFacts, m: Methodology, asOf: number): TownScore {
  const raw = [itemA(f, m), itemB(f, m), itemC(f, m, asOf), itemD(f, m), itemE(f, m, asOf), itemF(f, m)];
  const withData = raw.filter((i) => i.earned !== null);
  const earned = withData.reduce((sum, i) => sum + (i.earned ?? 0), 0);
  const available = withData.reduce((sum, i) => sum + i.max, 0);
  const normalised = available > 0 ? (earned / available) * m.base : m.base;
  const adj = adjustments(f.adjustments, m);
  const total = round2(Math.max(0, normalised + adj.bonus - adj.notificationDeduction));
  const t = onTime(f, asOf);
  const items: ItemScore[] = raw.map((i) => ({ code: i.code, max: i.max, earned: i.earned === null ? null : round2(i.earned), lines: i.lines.map(finishLine) }));
  return {
    townCode: f.townCode,
    townName: f.townName,
    items,
    earned: round2(earned),
    available: round2(available),
    normalised: round2(normalised),
    bonus: round2(adj.bonus),
    notificationDeduction: round2(adj.notificationDeduction),
    adjustmentLines: adj.lines.map(finishLine),
    total,
    veto: adj.veto,
    rank: 0,
    tied: false,
    grade: gradeOf(total, adj.veto.length > 0, m),
    redList: false,
    blackList: false,
    interview: false,
    tieBreak: { dumpingCases: f.dumpingCases.length, onTimePercent: t.assigned === 0 ? null : round2((t.onTime / t.assigned) * 100), notifications: adj.notifications },
  };
}

export interface ScoreOptions {
  /**
   * The moment the facts describe (ISO 8601), for a provisional month-to-date ranking: a dumping
   * case not yet cleared costs the 48-hour extra only once its hours have run out by then, and an
   * assigned case not yet handled counts in E only once its deadline has passed. Omitted: the
   * month is final — every uncleared case and every unhandled assigned case counts against the town.
   * A frozen month stores the `asOf` it was computed with, so recomputation is identical.
   */
  asOf?: string;
}

/**
 * Scores, ranks and lists every town of `month` under `methodology`. Towns are returned in rank
 * order (tied towns by code). See docs/ranking.md for every rule.
 */
export function scoreMonth(month: string, facts: readonly TownMonthFacts[], methodology: Methodology, history: RankingHistory, options: ScoreOptions = {}): MonthRanking {
  const asOf = options.asOf === undefined ? Infinity : ms(options.asOf);
  const towns = [...facts].sort((a, b) => (a.townCode < b.townCode ? -1 : a.townCode > b.townCode ? 1 : 0)).map((f) => scoreTown(f, methodology, asOf));
  towns.sort((a, b) => compareForRank(a, b) || (a.townCode < b.townCode ? -1 : a.townCode > b.townCode ? 1 : 0));

  // Competition ranking (1, 2, 2, 4): equal on every key → same rank, 并列.
  let previous: TownScore | undefined;
  towns.forEach((town, i) => {
    town.rank = previous && compareForRank(previous, town) === 0 ? previous.rank : i + 1;
    previous = town;
  });
  const count = new Map<number, number>();
  for (const town of towns) count.set(town.rank, (count.get(town.rank) ?? 0) + 1);
  for (const town of towns) town.tied = (count.get(town.rank) ?? 0) > 1;

  // Red list: the top `redListSize` non-vetoed towns by rank, everyone tied at the boundary included.
  for (const town of towns) town.redList = town.veto.length === 0 && town.rank <= methodology.redListSize;
  // Black list: the bottom `blackListSize` by rank counted from the bottom the same way (ties
  // included), and every vetoed town; never a red-listed one.
  const fromBottom = new Map<TownScore, number>();
  let below: TownScore | undefined;
  [...towns].reverse().forEach((town, j) => {
    fromBottom.set(town, below && compareForRank(town, below) === 0 ? (fromBottom.get(below) ?? j + 1) : j + 1);
    below = town;
  });
  for (const town of towns) {
    town.blackList = town.veto.length > 0 || (!town.redList && (fromBottom.get(town) ?? Infinity) <= methodology.blackListSize);
    town.interview = town.blackList && (history.blackListStreak[town.townCode] ?? 0) + 1 >= methodology.interviewAfterBlackMonths;
  }
  return { month, methodologyVersion: methodology.version, towns };
}
