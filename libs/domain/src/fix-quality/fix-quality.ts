import { haversineMetres } from '../geo/haversine.js';

/**
 * Data-quality checks on a fix, in the spirit of Traccar's FilterHandler. Each check either
 * refuses the fix (it cannot be placed in time or space) or stores it with a flag (it is real
 * data from the terminal, but must not be trusted as a position).
 *
 * | check            | verdict | why                                                           |
 * |------------------|---------|---------------------------------------------------------------|
 * | (0,0)            | reject  | a terminal without a fix; no place on earth to store it at     |
 * | future > 10 min  | reject  | would pin the truck's latest position in the future           |
 * | older than horizon | reject | outside the retained history; its partition may be gone      |
 * | valid = false    | flag    | the terminal says it has no fix: stored, never drawn as latest |
 * | implied speed    | flag    | a jump no truck can drive: stored as evidence of tampering     |
 */
export interface FixQualityPolicy {
  /** Fixes dated further ahead than this are refused. Default 10 minutes. */
  maxFutureMs: number;
  /** Fixes dated further back than this are refused. Default 30 days. */
  maxAgeMs: number;
  /** An implied speed from the previous fix above this flags the fix. Default 200 km/h. */
  maxImpliedSpeedKmh: number;
}

export const DEFAULT_FIX_QUALITY_POLICY: FixQualityPolicy = {
  maxFutureMs: 10 * 60_000,
  maxAgeMs: 30 * 24 * 3_600_000,
  maxImpliedSpeedKmh: 200,
};

export type FixRefusal = 'zero_position' | 'future_fix_time' | 'outdated_fix_time';
export type FixFlag = 'invalid_fix' | 'implied_speed';

export interface FixUnderCheck {
  fixTimeMs: number;
  lat: number;
  lon: number;
  valid: boolean;
}

/** The last trusted fix of the same terminal, if any. */
export interface PreviousFix {
  fixTimeMs: number;
  lat: number;
  lon: number;
}

export type FixQualityVerdict =
  | { accepted: true; flags: FixFlag[] }
  | { accepted: false; reason: FixRefusal; detail: string };

export function checkFixQuality(
  fix: FixUnderCheck,
  previous: PreviousFix | null,
  receivedAtMs: number,
  policy: FixQualityPolicy = DEFAULT_FIX_QUALITY_POLICY,
): FixQualityVerdict {
  if (fix.lat === 0 && fix.lon === 0) {
    return { accepted: false, reason: 'zero_position', detail: 'position is (0,0)' };
  }
  const aheadMs = fix.fixTimeMs - receivedAtMs;
  if (aheadMs > policy.maxFutureMs) {
    return {
      accepted: false,
      reason: 'future_fix_time',
      detail: `fix time is ${Math.round(aheadMs / 1000)} s ahead of receipt; at most ${policy.maxFutureMs / 1000} s`,
    };
  }
  const ageMs = receivedAtMs - fix.fixTimeMs;
  if (ageMs > policy.maxAgeMs) {
    return {
      accepted: false,
      reason: 'outdated_fix_time',
      detail: `fix time is ${Math.round(ageMs / 3_600_000)} h old; at most ${policy.maxAgeMs / 3_600_000} h`,
    };
  }
  const flags: FixFlag[] = [];
  if (!fix.valid) flags.push('invalid_fix');
  if (fix.valid && previous && impliedSpeedKmh(previous, fix) > policy.maxImpliedSpeedKmh) {
    flags.push('implied_speed');
  }
  return { accepted: true, flags };
}

/** Speed needed to get from one fix to the other, km/h; Infinity for a move in no time. */
export function impliedSpeedKmh(a: PreviousFix, b: PreviousFix): number {
  const metres = haversineMetres(a, b);
  const hours = Math.abs(b.fixTimeMs - a.fixTimeMs) / 3_600_000;
  if (hours === 0) return metres < 1 ? 0 : Infinity;
  return metres / 1000 / hours;
}
