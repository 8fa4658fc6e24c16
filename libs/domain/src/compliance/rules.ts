/**
 * Every threshold of the compliance engine, with its default and why. The API reads overrides from
 * configuration; each violation keeps the parameters that raised it (evidence must hold up later,
 * after the thresholds change).
 */
export interface ComplianceRules {
  /** At or above this speed a truck is moving (km/h). Default 5: below it GPS drift, not driving. */
  movingSpeedKmh: number;
  /** A load sensor reading above this many tonnes means loaded. Default 2 t (an empty body reads 0–1 t). */
  loadedAboveT: number;

  /** 未密闭: cover open while loaded and moving for longer than this (ms). Default 60 s (closing the tarp as the truck pulls out). */
  unsealedGraceMs: number;

  /** 偏离路线: beyond the corridor's edge by more than this (m) counts as outside. Default 50 m (urban GPS error with multipath). */
  offRouteToleranceM: number;
  /** …for at least this long (ms). Default 60 s. */
  offRouteMinDurationMs: number;
  /** …and for at least this many consecutive fixes. Default 3 (one wild fix never raises it). */
  offRouteMinFixes: number;

  /** 时段违规: running loaded outside every window for longer than this (ms). Default 2 min. */
  timeWindowGraceMs: number;

  /** 超速: above the limit by more than this (km/h)… Default 5 km/h (speedometer and GPS tolerance). */
  overspeedToleranceKmh: number;
  /** …for at least this long (ms). Default 30 s. */
  overspeedMinDurationMs: number;
  /** A limit everywhere without a zone or route limit (km/h); null for none. Default null. */
  defaultSpeedLimitKmh: number | null;

  /** 超载: above the rated load by more than this fraction. Default 0.05 (5 %, weighing sensor accuracy). */
  overloadTolerance: number;
  /** …on at least this many consecutive fixes. Default 2 (a pothole jolts the load cell once). */
  overloadMinFixes: number;

  /** 终端离线: no fix for longer than this while the truck should report (ms). Default 10 min. */
  offlineAfterMs: number;
  /**
   * …and not while its fixes are still arriving: a terminal that delivered a fix within this long
   * (ms, by receipt time) is uploading a backlog, or its other fixes are on their way through
   * another instance; `tick` waits. Default 30 s.
   */
  offlineReceiptGraceMs: number;
  /** Suspected tampering: a jump between fixes needing more than this speed (km/h). Default 200 (as ingest's FIX_MAX_IMPLIED_SPEED_KMH). */
  maxPlausibleSpeedKmh: number;

  /** A trip with no end this long after its start is abandoned (ms). Default 6 h. */
  abandonTripAfterMs: number;
  /** A truck without a lift sensor tips when it stops and its load drops; the stop must have lasted… Default 0 (the drop is the evidence). */
  tipStopMinMs: number;

  /** A fix received more than this after its fix time is late; episodes it opens are marked reportedLate. Default 2 min. */
  lateAfterMs: number;
  /** Evidence: at most this many track points kept per episode (first and last always kept). Default 500. */
  maxEvidencePoints: number;
}

export const DEFAULT_COMPLIANCE_RULES: Readonly<ComplianceRules> = Object.freeze({
  movingSpeedKmh: 5,
  loadedAboveT: 2,
  unsealedGraceMs: 60_000,
  offRouteToleranceM: 50,
  offRouteMinDurationMs: 60_000,
  offRouteMinFixes: 3,
  timeWindowGraceMs: 2 * 60_000,
  overspeedToleranceKmh: 5,
  overspeedMinDurationMs: 30_000,
  defaultSpeedLimitKmh: null,
  overloadTolerance: 0.05,
  overloadMinFixes: 2,
  offlineAfterMs: 10 * 60_000,
  offlineReceiptGraceMs: 30_000,
  maxPlausibleSpeedKmh: 200,
  abandonTripAfterMs: 6 * 3_600_000,
  tipStopMinMs: 0,
  lateAfterMs: 2 * 60_000,
  maxEvidencePoints: 500,
});

export function complianceRules(overrides: Partial<ComplianceRules> = {}): ComplianceRules {
  return { ...DEFAULT_COMPLIANCE_RULES, ...overrides };
}
