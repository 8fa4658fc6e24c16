/**
 * One pure function per rule: facts in, a verdict and its reasons out. The state machine
 * (truck-compliance.ts) decides when a run of breaches becomes an episode; these decide whether a
 * single fix breaches.
 */
import { impliedSpeedKmh } from '../fix-quality/fix-quality.js';
import { evaluateSchedule, localDateOf, SCHEDULE_UTC_OFFSET_MINUTES } from '../time-windows/time-windows.js';
import { distanceToLineM } from './exact-geometry.js';
import { validOn, type ApprovalFact, type DisposalSiteFact, type OriginSiteFact, type RouteFact, type TimeWindowFact, type TruckFact } from './facts.js';
import type { ComplianceFix, PlaceAt, Reason, RuleParameters, TripStatus, ViolationType } from './model.js';
import type { ComplianceRules } from './rules.js';

/** A fix that breaches a rule, with why and the thresholds applied. */
export interface Breach {
  reasons: Reason[];
  parameters: RuleParameters;
  subjectId?: string | null;
  /** The value measured against the threshold (km/h, m, t), for the episode's peak. */
  measure?: number;
}

/** Loaded (true), empty (false) or unknown (null: no load sensor reading). */
export function loadedFromSensor(fix: ComplianceFix, rules: ComplianceRules): boolean | null {
  if (fix.sensors?.load && fix.sensors.load !== 'ok') return null;
  if (typeof fix.loadT === 'number') return fix.loadT > rules.loadedAboveT;
  if (fix.load) return fix.load !== 'empty';
  return null;
}

export function isMoving(fix: ComplianceFix, rules: ComplianceRules): boolean {
  return fix.speedKmh >= rules.movingSpeedKmh;
}

/** A lift (举升) sensor that can be believed on this fix. */
export function hasLiftSensor(fix: ComplianceFix): boolean {
  return fix.body !== undefined && fix.body !== 'fault' && (fix.sensors?.lift === undefined || fix.sensors.lift === 'ok');
}

/** 4. 未密闭: cover open (or half open) while loaded and moving. */
export function unsealedBreach(fix: ComplianceFix, loaded: boolean, rules: ComplianceRules): Breach | null {
  if (!loaded || !isMoving(fix, rules)) return null;
  if (fix.sensors?.cover && fix.sensors.cover !== 'ok') return null;
  if (fix.cover !== 'open' && fix.cover !== 'partial') return null;
  return {
    reasons: [{ code: `cover-${fix.cover}`, detail: `cover ${fix.cover} while loaded at ${Math.round(fix.speedKmh)} km/h`, params: { speedKmh: Math.round(fix.speedKmh) } }],
    parameters: { unsealedGraceMs: rules.unsealedGraceMs, movingSpeedKmh: rules.movingSpeedKmh },
  };
}

export type CorridorVerdict =
  | { where: 'inside'; distanceM: number }
  /** Beyond the corridor but within the tolerance: neither raises nor ends an episode. */
  | { where: 'margin'; distanceM: number }
  | { where: 'outside'; distanceM: number; nearestRouteId: string };

/** 5. 偏离路线: distance beyond the nearest approved corridor's edge, with a tolerance band. */
export function corridorVerdict(lon: number, lat: number, routes: readonly RouteFact[], rules: ComplianceRules): CorridorVerdict | null {
  let best: { beyond: number; routeId: string } | null = null;
  for (const route of routes) {
    const beyond = distanceToLineM(lon, lat, route.geometry.coordinates) - route.corridorWidthM / 2;
    if (!best || beyond < best.beyond) best = { beyond, routeId: route.id };
  }
  if (!best) return null;
  if (best.beyond <= 0) return { where: 'inside', distanceM: 0 };
  if (best.beyond <= rules.offRouteToleranceM) return { where: 'margin', distanceM: best.beyond };
  return { where: 'outside', distanceM: best.beyond, nearestRouteId: best.routeId };
}

export function offRouteBreach(verdict: CorridorVerdict & { where: 'outside' }, routes: readonly RouteFact[], rules: ComplianceRules): Breach {
  return {
    reasons: [{ code: 'outside-corridor', detail: `${Math.round(verdict.distanceM)} m outside the corridor of ${routes.map((r) => r.name).join(', ')}`, params: { distanceM: Math.round(verdict.distanceM), routes: routes.map((r) => r.name).join('、') } }],
    parameters: {
      offRouteToleranceM: rules.offRouteToleranceM,
      offRouteMinDurationMs: rules.offRouteMinDurationMs,
      offRouteMinFixes: rules.offRouteMinFixes,
      corridorWidthM: Math.min(...routes.map((r) => r.corridorWidthM)),
    },
    subjectId: verdict.nearestRouteId,
    measure: verdict.distanceM,
  };
}

/** 6. 时段违规: running outside every window of the approval (dated exceptions honoured). */
export function timeWindowBreach(fix: ComplianceFix, schedules: readonly TimeWindowFact[], rules: ComplianceRules): Breach | null {
  if (schedules.length === 0 || !isMoving(fix, rules)) return null;
  const verdicts = schedules.map((s) => ({ s, v: evaluateSchedule(s, fix.fixTimeMs) }));
  if (verdicts.some(({ v }) => v.open)) return null;
  const reasons: Reason[] = [{ code: 'outside-windows', detail: `running at ${localTimeOf(fix.fixTimeMs)} outside ${schedules.map((s) => s.name).join(', ')}`, params: { localTime: localTimeOf(fix.fixTimeMs), schedules: schedules.map((s) => s.name).join('、') } }];
  for (const { s, v } of verdicts) {
    if (v.exception) reasons.push({ code: `exception-${v.exception.kind}`, detail: `${s.name}: ${v.exception.date} ${v.exception.kind}${v.exception.reason ? ` (${v.exception.reason})` : ''}`, params: { schedule: s.name, date: v.exception.date, note: v.exception.reason ?? '' } });
  }
  return { reasons, parameters: { timeWindowGraceMs: rules.timeWindowGraceMs, timeWindowIds: schedules.map((s) => s.id).join(',') } };
}

/** Asia/Shanghai wall-clock time of an instant, `YYYY-MM-DD HH:mm`. */
export function localTimeOf(ms: number): string {
  return new Date(ms + SCHEDULE_UTC_OFFSET_MINUTES * 60_000).toISOString().slice(0, 16).replace('T', ' ');
}

export interface SpeedLimit {
  limitKmh: number;
  /** 'zone:<id>', 'route:<id>' or 'default'. */
  source: string;
}

/** The lowest limit that applies: speed zones covering the point, the approved route's limit, the default. */
export function lowestLimit(zoneLimits: ReadonlyArray<{ id: string; limitKmh: number }>, routes: readonly RouteFact[], onRoute: boolean, rules: ComplianceRules): SpeedLimit | null {
  const limits: SpeedLimit[] = zoneLimits.map((z) => ({ limitKmh: z.limitKmh, source: `zone:${z.id}` }));
  if (onRoute) for (const r of routes) if (r.speedLimitKmh) limits.push({ limitKmh: r.speedLimitKmh, source: `route:${r.id}` });
  if (limits.length === 0 && rules.defaultSpeedLimitKmh !== null) limits.push({ limitKmh: rules.defaultSpeedLimitKmh, source: 'default' });
  return limits.reduce<SpeedLimit | null>((low, l) => (!low || l.limitKmh < low.limitKmh ? l : low), null);
}

/** 7. 超速: above the limit by more than the tolerance. */
export function overspeedBreach(fix: ComplianceFix, limit: SpeedLimit | null, rules: ComplianceRules): Breach | null {
  if (!limit || fix.speedKmh <= limit.limitKmh + rules.overspeedToleranceKmh) return null;
  return {
    reasons: [{ code: 'above-limit', detail: `${Math.round(fix.speedKmh)} km/h where the limit is ${limit.limitKmh} km/h (${limit.source})`, params: { speedKmh: Math.round(fix.speedKmh), limitKmh: limit.limitKmh, source: limit.source } }],
    parameters: { limitKmh: limit.limitKmh, limitSource: limit.source, overspeedToleranceKmh: rules.overspeedToleranceKmh, overspeedMinDurationMs: rules.overspeedMinDurationMs },
    subjectId: limit.source,
    measure: fix.speedKmh,
  };
}

/** 8. 超载: load above the rated load plus the tolerance (the terminal's own 'overload' when it reports no tonnes). */
export function overloadBreach(fix: ComplianceFix, truck: TruckFact | null, rules: ComplianceRules): Breach | null {
  if (fix.sensors?.load && fix.sensors.load !== 'ok') return null;
  const rated = truck?.ratedLoadT ?? null;
  const parameters = { ratedLoadT: rated, overloadTolerance: rules.overloadTolerance, overloadMinFixes: rules.overloadMinFixes };
  if (typeof fix.loadT === 'number' && rated !== null) {
    const limit = rated * (1 + rules.overloadTolerance);
    if (fix.loadT <= limit) return null;
    return { reasons: [{ code: 'above-rated-load', detail: `${fix.loadT} t on a truck rated ${rated} t (limit ${Number(limit.toFixed(2))} t)`, params: { loadT: fix.loadT, ratedT: rated, limitT: Number(limit.toFixed(2)) } }], parameters, measure: fix.loadT };
  }
  if (fix.load === 'overload' && fix.loadT === undefined) {
    return { reasons: [{ code: 'terminal-reports-overload', detail: 'the terminal reports the load state overload' }], parameters };
  }
  return null;
}

export interface LicenceCheck {
  /** The approval the trip runs under: valid that day and listing the truck. */
  approval: ApprovalFact | null;
  /** Why the trip is unlicensed (empty: licensed). */
  problems: Reason[];
}

/** 9. 无证运输: approval for the origin, the truck on it, the truck's permit, all on the trip's local date. */
export function checkLicence(
  origin: (OriginSiteFact & { kind: 'construction-site' | 'collection-point' }) | null,
  approvals: readonly ApprovalFact[],
  truck: TruckFact | null,
  atMs: number,
): LicenceCheck {
  const date = localDateOf(atMs);
  const problems: Reason[] = [];
  let approval: ApprovalFact | null = null;
  if (!origin) {
    problems.push({ code: 'unknown-origin', detail: 'loaded away from any registered construction site or collection point' });
  } else if (origin.kind === 'construction-site') {
    const valid = approvals.filter((a) => validOn(date, a.validFrom, a.validTo));
    approval = (truck && valid.find((a) => a.truckIds.includes(truck.id))) ?? null;
    if (valid.length === 0) {
      const expired = approvals.map((a) => `${a.number} (${a.validFrom}…${a.validTo})`).join(', ');
      problems.push({ code: 'no-valid-approval', detail: `${origin.name} has no disposal approval valid on ${date}${expired ? `; on file: ${expired}` : ''}`, params: { site: origin.name, date, onFile: expired || '' } });
    } else if (!approval && truck) {
      problems.push({ code: 'truck-not-on-approval', detail: `${truck.plate} is not listed on ${valid.map((a) => a.number).join(', ')}`, params: { plate: truck.plate, approvals: valid.map((a) => a.number).join('、') } });
    }
  }
  if (!truck) {
    problems.push({ code: 'no-registered-truck', detail: 'no registered truck carries this terminal' });
  } else {
    if (!truck.permitNo) problems.push({ code: 'no-permit', detail: `${truck.plate} has no transport permit`, params: { plate: truck.plate } });
    else if (!validOn(date, truck.permitValidFrom, truck.permitValidTo)) {
      problems.push({ code: 'permit-invalid', detail: `transport permit ${truck.permitNo} of ${truck.plate} is not valid on ${date} (${truck.permitValidFrom ?? '…'}–${truck.permitValidTo ?? '…'})`, params: { permit: truck.permitNo, plate: truck.plate, date, validFrom: truck.permitValidFrom ?? '…', validTo: truck.permitValidTo ?? '…' } });
    }
  }
  return { approval, problems };
}

export interface TippingVerdict {
  destination: DisposalSiteFact | null;
  /** The approval whose designated site it is, when the trip closed at one (a collection-point load: none). */
  closedUnder: ApprovalFact | null;
  tripStatus: Exclude<TripStatus, 'open' | 'abandoned'>;
  violation: { type: ViolationType; reasons: Reason[]; subjectId: string | null } | null;
}

/**
 * The approvals a trip's tipping is judged against: the one it runs under or, when the truck is not
 * on any (or is no registered truck), every approval of its origin valid on the trip's local date.
 * Where the origin's approval sends its waste is a fact of the load, not of the truck: a truck
 * missing from the approval is its own case (unlicensed transport), not a reason to call a load
 * tipped at the designated site "unclosed", nor to excuse one tipped elsewhere.
 */
export function tippingApprovals(runsUnder: ApprovalFact | null, originApprovals: readonly ApprovalFact[], tripStartMs: number): ApprovalFact[] {
  if (runsUnder) return [runsUnder];
  const date = localDateOf(tripStartMs);
  return originApprovals.filter((a) => validOn(date, a.validFrom, a.validTo));
}

/**
 * 1–3. Where a truck tipped, against the disposal sites covering the point and the designated
 * sites of `approvals` (see tippingApprovals). `anyLicensed`: a load from a collection point (no
 * approval: towns dispatch those trucks) is closed at any licensed site.
 */
export function classifyTipping(sitesHere: readonly DisposalSiteFact[], approvals: readonly ApprovalFact[], anyLicensed = false): TippingVerdict {
  for (const site of sitesHere) {
    if (site.status !== 'licensed') continue;
    if (anyLicensed) return { destination: site, closedUnder: null, tripStatus: 'closed', violation: null };
    const closedUnder = approvals.find((a) => a.disposalSiteIds.includes(site.id));
    if (closedUnder) return { destination: site, closedUnder, tripStatus: 'closed', violation: null };
  }
  const banned = sitesHere.find((s) => s.status !== 'licensed');
  if (banned) {
    return {
      destination: banned,
      closedUnder: null,
      tripStatus: 'unclosed',
      violation: { type: 'closed_disposal_site', reasons: [{ code: `tipped-at-${banned.status}-site`, detail: `tipped at ${banned.name}, a ${banned.status} disposal site`, params: { site: banned.name } }], subjectId: banned.id },
    };
  }
  const licensed = sitesHere[0];
  if (licensed) {
    const numbers = approvals.map((a) => a.number);
    return {
      destination: licensed,
      closedUnder: null,
      tripStatus: 'unclosed',
      violation:
        numbers.length > 0
          ? { type: 'undesignated_disposal', reasons: [{ code: 'not-designated', detail: `tipped at ${licensed.name}, not designated by approval ${numbers.join(', ')}`, params: { site: licensed.name, approval: numbers.join('、') } }], subjectId: licensed.id }
          : null,
    };
  }
  return { destination: null, closedUnder: null, tripStatus: 'unclosed', violation: { type: 'illegal_dumping', reasons: [{ code: 'outside-disposal-sites', detail: 'tipped outside every licensed disposal site' }], subjectId: null } };
}

/** 10b. Suspected tampering: a jump from the last trusted position that no truck can drive. */
export function tamperingBreach(previous: PlaceAt, fix: ComplianceFix, rules: ComplianceRules): Breach | null {
  const speed = impliedSpeedKmh({ fixTimeMs: previous.atMs, lat: previous.lat, lon: previous.lon }, fix);
  if (speed <= rules.maxPlausibleSpeedKmh) return null;
  return {
    reasons: [{ code: 'implausible-jump', detail: `moved at an implied ${Number.isFinite(speed) ? Math.round(speed) : '∞'} km/h`, params: { speedKmh: Number.isFinite(speed) ? Math.round(speed) : '∞' } }],
    parameters: { maxPlausibleSpeedKmh: rules.maxPlausibleSpeedKmh },
    ...(Number.isFinite(speed) ? { measure: speed } : {}),
  };
}
