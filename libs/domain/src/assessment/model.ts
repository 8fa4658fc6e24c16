/**
 * Monthly assessment of towns and streets (考核、排名、通报): the facts one month gives each town,
 * the methodology (items, weights, caps, rules — configurable and versioned by the admin) and the
 * result, with every deduction naming the records behind it so any number can be explained and
 * recomputed. Pure data: `scoreMonth` (score.ts) is a function of these and nothing else.
 *
 * Methodology in words: docs/ranking.md (zh-CN and English).
 */

/** The six items of the default model; a methodology may give any of them max 0 to switch it off. */
export const ASSESSMENT_ITEMS = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export type AssessmentItemCode = (typeof ASSESSMENT_ITEMS)[number];

/** Who found a problem. A case the town found and reported itself weighs less than one found above it. */
export const FINDERS = ['town', 'district', 'city', 'higher'] as const;
export type Finder = (typeof FINDERS)[number];

/** Admin-entered adjustments for a month (each with a reason and a document reference). */
export const ADJUSTMENT_KINDS = ['bonus', 'city_notification', 'province_notification', 'veto'] as const;
export type AdjustmentKind = (typeof ADJUSTMENT_KINDS)[number];

/** 一票否决 grounds. */
export const VETO_GROUNDS = ['serious_accident', 'pollution_incident', 'inspector_notification', 'falsified_data'] as const;
export type VetoGround = (typeof VETO_GROUNDS)[number];

export const GRADES = ['excellent', 'good', 'fair'] as const;
export type Grade = (typeof GRADES)[number];

/** Kinds of record a deduction or a drill-down points at. */
export const FACT_REF_KINDS = ['violation', 'finding', 'site', 'pile', 'collection_point', 'request', 'adjustment', 'village'] as const;
export type FactRefKind = (typeof FACT_REF_KINDS)[number];

export interface FactRef {
  kind: FactRefKind;
  id: string;
}

/** Items, weights, caps and rules. A new version applies from `effectiveFrom`; older months keep theirs. */
export interface Methodology {
  version: number;
  /** First month (yyyy-mm) this version applies to. */
  effectiveFrom: string;
  /** Base score (100). */
  base: number;
  items: {
    /** 源头管控: approval rate of the town's active construction sites; −perPointBelow per percentage point below 100 %. */
    A: { max: number; perPointBelow: number };
    /**
     * 运输管理: unsealed, overloaded and unlicensed transport cases of trucks from the town's sites
     * (or raised in the town), `perCase` each (× finder weight), normalised by trips: the deduction is
     * multiplied by min(1, tripsReference / trips) so a busy town is not punished for being busy.
     */
    B: { max: number; perCase: number; tripsReference: number };
    /**
     * 违规倾倒/消纳: −perCase per illegal dumping case in the town, −notClearedExtra more when it was
     * not cleared (its case handled or closed) within `clearHours`, −recurrenceExtra for a recurrence
     * within `recurrenceRadiusM` of an earlier case in the last `recurrenceLookbackDays`.
     */
    C: { max: number; perCase: number; clearHours: number; notClearedExtra: number; recurrenceExtra: number; recurrenceRadiusM: number; recurrenceLookbackDays: number };
    /** 路面污染: −perFinding per road pollution / unwashed exit finding (× finder weight), plus −perAreaStep per `areaStepM2` of polluted area. */
    D: { max: number; perFinding: number; areaStepM2: number; perAreaStep: number };
    /** 办结: share of the town's assigned cases handled before their deadline; full marks at ≥ fullAtPercent, −perPointBelow per point below. */
    E: { max: number; fullAtPercent: number; perPointBelow: number };
    /** 台账: the item's max split by weight between ledger kept current, collection points covering villages, and 日产日清 rate. */
    F: { max: number; ledgerWeight: number; coverageWeight: number; dailyClearanceWeight: number };
  };
  /** Multiplier of a deduction by who found the problem (town self-report weighs less). */
  finderWeights: Record<Finder, number>;
  /** Bonus points are capped at this per month. */
  bonusCap: number;
  /** Deduction per higher-level notification, and the cap of all of them in a month. */
  notificationPoints: { city: number; province: number; cap: number };
  /** Grade thresholds on the total: ≥ excellent → 优秀, ≥ good → 良好, else 一般. */
  grades: { excellent: number; good: number };
  /** Sizes of the red list (top) and black list (bottom, vetoed always on it). */
  redListSize: number;
  blackListSize: number;
  /** On the black list this many months running (this one included) → 约谈. */
  interviewAfterBlackMonths: number;
}

/** A case the compliance engine raised (and people did not dismiss), as the ranking sees it. */
export interface CaseFact {
  id: string;
  type: string;
  /** ISO 8601. */
  startedAt: string;
  lon: number;
  lat: number;
  finder: Finder;
  /** When it was handled by the department (or closed), ISO 8601, or null. */
  handledAt: string | null;
}

/** An illegal dumping case (item C). */
export interface DumpingFact extends CaseFact {
  /** When the dumped waste was cleared (case handled/closed), or null if not yet. */
  clearedAt: string | null;
}

/** An earlier dumping case (before this month, within the lookback) used to spot recurrences. */
export interface PriorDumpingPlace {
  id: string;
  at: string;
  lon: number;
  lat: number;
}

/** A road pollution / unwashed exit finding (item D) from the findings ledger. */
export interface RoadFindingFact {
  id: string;
  kind: string;
  foundAt: string;
  finder: Finder;
  /** Polluted area in m², or null when not measured. */
  areaM2: number | null;
}

/** A case assigned to a department in the month, for on-time closure (item E). */
export interface AssignedCaseFact {
  id: string;
  deadline: string;
  /** When the department handled it, or null. */
  handledAt: string | null;
}

/** An admin-entered adjustment (bonus, higher-level notification, veto). */
export interface AdjustmentFact {
  id: string;
  kind: AdjustmentKind;
  /** Points (bonus: positive; notifications: the methodology's points unless given). */
  points: number | null;
  vetoGround: VetoGround | null;
  reason: string;
}

/** Everything the month gives one town (assessed unit: street, town or enterprise zone). */
export interface TownMonthFacts {
  townCode: string;
  townName: string;
  /** Item A: the town's construction sites active in the month, and those with a valid approval. */
  sites: { active: number; approved: number; unapprovedIds: string[] };
  /** Item B: trips started by trucks in the town in the month (the normaliser). */
  trips: number;
  transportCases: CaseFact[];
  /** Item C. */
  dumpingCases: DumpingFact[];
  priorDumpingPlaces: PriorDumpingPlace[];
  /** Item D. */
  roadFindings: RoadFindingFact[];
  /** Item E. */
  assignedCases: AssignedCaseFact[];
  /** Item F: waste-pile ledger entries, and those kept current (not past their deadline unresolved, updated within the month). */
  ledger: {
    piles: number;
    pilesCurrent: number;
    staleIds: string[];
    villages: number;
    villagesCovered: number;
    uncoveredVillageCodes: string[];
    requests: number;
    requestsClearedWithin24h: number;
    lateRequestIds: string[];
  };
  adjustments: AdjustmentFact[];
}

/** One reason points were taken (or given), with the records behind it. */
export interface ScoreLine {
  /** Stable code, rendered in zh-CN / en by the console (e.g. `C.recurrence`). */
  code: string;
  points: number;
  params: Record<string, string | number>;
  refs: FactRef[];
}

export interface ItemScore {
  code: AssessmentItemCode;
  max: number;
  /** Earned points, or null when the town had no data for the item (it then counts in neither earned nor available). */
  earned: number | null;
  lines: ScoreLine[];
}

export interface TownScore {
  townCode: string;
  townName: string;
  items: ItemScore[];
  /** Sum of earned over items with data. */
  earned: number;
  /** Sum of max over items with data. */
  available: number;
  /** earned / available × base (base when nothing was available). */
  normalised: number;
  bonus: number;
  notificationDeduction: number;
  adjustmentLines: ScoreLine[];
  /** normalised + bonus − notifications, floored at 0, rounded to 2 decimals. */
  total: number;
  veto: { ground: VetoGround; adjustmentId: string; reason: string }[];
  /** 1-based; tied towns share a rank (并列). */
  rank: number;
  tied: boolean;
  grade: Grade;
  redList: boolean;
  blackList: boolean;
  /** 约谈: black-listed `interviewAfterBlackMonths` months running. */
  interview: boolean;
  /** The tie-break keys, shown so a tie can be explained. */
  tieBreak: { dumpingCases: number; onTimePercent: number | null; notifications: number };
}

export interface MonthRanking {
  /** yyyy-mm. */
  month: string;
  methodologyVersion: number;
  towns: TownScore[];
}

/** What scoreMonth needs from earlier months: how many months running each town has been black-listed before this one. */
export interface RankingHistory {
  blackListStreak: Record<string, number>;
}
