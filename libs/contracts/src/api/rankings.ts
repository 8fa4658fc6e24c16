/**
 * Monthly assessment and ranking of towns and streets (考核、排名、通报): wire formats.
 * The scoring itself is pure code in libs/domain/src/assessment (its types mirror these); the
 * methodology is docs/ranking.md.
 *
 * Endpoints (all under /api/v1; months are yyyy-mm in Asia/Shanghai):
 * - GET  rankings/{month} → Ranking: frozen (newest revision) if the month is closed, else provisional month-to-date
 * - GET  rankings/{month}/revisions → RankingRevisionSummary[] (frozen revisions, newest first)
 * - GET  rankings/{month}/revisions/{revision} → Ranking (one frozen revision as it was published)
 * - GET  rankings/{month}/towns/{townCode}/records?item=A..F → RankingRecord[] (drill-down; town officials only their own town)
 * - GET  rankings/{month}/export.xlsx → every item and the problem ledger behind it (audited)
 * - GET  rankings/trend?to=yyyy-mm&months=12 → RankingTrend (total and rank per town per month)
 * - POST rankings/{month}/close (admin) ← { reason? } → Ranking (freeze now; the month-close job does it on the 1st)
 * - POST rankings/{month}/revisions (admin) ← RankingRevisionRequest → Ranking (recompute a closed month as a new audited revision)
 * - GET  rankings/{month}/after-close → AfterCloseChange[] (facts that changed after the freeze, for the next revision)
 * - GET  assessment/methodologies → Methodology[] (versions, newest first); POST (admin) ← MethodologyInput → Methodology
 * - GET  assessment/adjustments?month → RankingAdjustment[]; POST (admin) ← RankingAdjustmentInput; DELETE {id} (admin, only while the month is open)
 *
 * Scope: everyone signed in sees the ranking table of all towns (town officials see their town in
 * the context of all); drill-down records are scoped like the records themselves (a town
 * official only their own town's; another town's → 404).
 */

export const ASSESSMENT_ITEM_CODES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export type AssessmentItem = (typeof ASSESSMENT_ITEM_CODES)[number];

export const FINDER_LEVELS = ['town', 'district', 'city', 'higher'] as const;
export type FinderLevel = (typeof FINDER_LEVELS)[number];

export const RANKING_ADJUSTMENT_KINDS = ['bonus', 'city_notification', 'province_notification', 'veto'] as const;
export type RankingAdjustmentKind = (typeof RANKING_ADJUSTMENT_KINDS)[number];

export const RANKING_VETO_GROUNDS = ['serious_accident', 'pollution_incident', 'inspector_notification', 'falsified_data'] as const;
export type RankingVetoGround = (typeof RANKING_VETO_GROUNDS)[number];

export const RANKING_GRADES = ['excellent', 'good', 'fair'] as const;
export type RankingGrade = (typeof RANKING_GRADES)[number];

export const RANKING_REF_KINDS = ['violation', 'finding', 'site', 'pile', 'collection_point', 'request', 'adjustment', 'village'] as const;
export type RankingRefKind = (typeof RANKING_REF_KINDS)[number];

/** Same shape as libs/domain's Methodology (see docs/ranking.md for every field). */
export interface MethodologyBody {
  base: number;
  items: {
    A: { max: number; perPointBelow: number };
    B: { max: number; perCase: number; tripsReference: number };
    C: { max: number; perCase: number; clearHours: number; notClearedExtra: number; recurrenceExtra: number; recurrenceRadiusM: number; recurrenceLookbackDays: number };
    D: { max: number; perFinding: number; areaStepM2: number; perAreaStep: number };
    E: { max: number; fullAtPercent: number; perPointBelow: number };
    F: { max: number; ledgerWeight: number; coverageWeight: number; dailyClearanceWeight: number };
  };
  finderWeights: Record<FinderLevel, number>;
  bonusCap: number;
  notificationPoints: { city: number; province: number; cap: number };
  grades: { excellent: number; good: number };
  redListSize: number;
  blackListSize: number;
  interviewAfterBlackMonths: number;
}

export interface Methodology extends MethodologyBody {
  version: number;
  /** First month (yyyy-mm) it applies to. */
  effectiveFrom: string;
  note: string | null;
  createdAt: string;
  createdBy: string | null;
}

/** A new methodology version (admin). `effectiveFrom` may not be a month already frozen. */
export interface MethodologyInput extends MethodologyBody {
  effectiveFrom: string;
  note?: string | null;
}

export interface RankingRef {
  kind: RankingRefKind;
  id: string;
}

export interface RankingScoreLine {
  code: string;
  points: number;
  params: Record<string, string | number>;
  refs: RankingRef[];
}

export interface RankingItemScore {
  code: AssessmentItem;
  max: number;
  earned: number | null;
  lines: RankingScoreLine[];
}

export interface RankingRow {
  townCode: string;
  townName: string;
  items: RankingItemScore[];
  earned: number;
  available: number;
  normalised: number;
  bonus: number;
  notificationDeduction: number;
  adjustmentLines: RankingScoreLine[];
  total: number;
  veto: { ground: RankingVetoGround; adjustmentId: string; reason: string }[];
  rank: number;
  tied: boolean;
  grade: RankingGrade;
  redList: boolean;
  blackList: boolean;
  interview: boolean;
  tieBreak: { dumpingCases: number; onTimePercent: number | null; notifications: number };
  /** Rank last month minus rank now (positive = moved up); null when last month has no ranking. */
  movement: number | null;
}

export interface Ranking {
  month: string;
  /** true: month to date, recomputed on every request; false: a frozen revision. */
  provisional: boolean;
  /** 0 for provisional; 1 for the month-close snapshot; 2… for corrections. */
  revision: number;
  methodologyVersion: number;
  computedAt: string;
  /** Frozen revisions: why this revision was made (close, or the correction's reason and what changed). */
  reason: string | null;
  createdBy: string | null;
  /** sha256 of the frozen inputs (hex); recomputing from them gives the identical result. */
  inputsSha256: string | null;
  rows: RankingRow[];
}

export interface RankingRevisionSummary {
  revision: number;
  computedAt: string;
  reason: string | null;
  createdBy: string | null;
  methodologyVersion: number;
  inputsSha256: string;
  /** Towns whose total or rank differs from the previous revision. */
  changedTowns: string[];
}

export interface RankingRevisionRequest {
  /** Why the correction (required, audited). */
  reason: string;
}

/** One record behind a number (drill-down). */
export interface RankingRecord {
  kind: RankingRefKind;
  id: string;
  item: AssessmentItem | 'adjustment';
  /** Short zh-CN description (type, place, state). */
  title: string;
  at: string | null;
  points: number | null;
  /** Console route that opens it (/violations/…, /ledgers/…), or null. */
  link: string | null;
}

export interface RankingTrend {
  months: string[];
  towns: { townCode: string; townName: string; totals: (number | null)[]; ranks: (number | null)[] }[];
}

export interface RankingAdjustment {
  id: string;
  month: string;
  townCode: string;
  kind: RankingAdjustmentKind;
  points: number | null;
  vetoGround: RankingVetoGround | null;
  reason: string;
  /** Reference of the document (文号) behind it. */
  documentRef: string;
  createdAt: string;
  createdBy: string | null;
}

export interface RankingAdjustmentInput {
  month: string;
  townCode: string;
  kind: RankingAdjustmentKind;
  points?: number | null;
  vetoGround?: RankingVetoGround | null;
  reason: string;
  documentRef: string;
}

/** A fact that changed after the month was frozen (late fixes, late case changes), listed for the next revision. */
export interface AfterCloseChange {
  townCode: string;
  kind: RankingRefKind;
  id: string;
  change: 'added' | 'changed' | 'removed';
  at: string;
}
