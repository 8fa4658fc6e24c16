import { haversineMetres } from '../geo/haversine.js';
import { localDateOf } from '../time-windows/time-windows.js';
import {
  checkLicence,
  classifyTipping,
  corridorVerdict,
  hasLiftSensor,
  isMoving,
  loadedFromSensor,
  localTimeOf,
  lowestLimit,
  offRouteBreach,
  overloadBreach,
  overspeedBreach,
  tamperingBreach,
  timeWindowBreach,
  tippingApprovals,
  unsealedBreach,
  type Breach,
} from './checks.js';
import type { ApprovalFact, ComplianceFacts, DisposalSiteFact, RouteFact, TimeWindowFact } from './facts.js';
import {
  VIOLATION_SEVERITY,
  type ComplianceEvent,
  type ComplianceFix,
  type PlaceAt,
  type Reason,
  type TrackPoint,
  type Trip,
  type TripStatus,
  type ViolationEpisode,
  type ViolationType,
} from './model.js';
import { DEFAULT_COMPLIANCE_RULES, type ComplianceRules } from './rules.js';

/** A run of breaching fixes that has not yet lasted long enough to be an episode. */
interface PendingBreach {
  since: TrackPoint;
  fixes: number;
  evidence: TrackPoint[];
}

/**
 * Everything the engine remembers about one terminal, as plain JSON: persist it as a checkpoint,
 * or rebuild it by replaying stored fixes from an earlier checkpoint (replay gives the same state).
 */
export interface TruckComplianceState {
  version: 1;
  terminalId: string;
  /** Fix time of the newest fix applied (valid or not); older fixes need a replay. */
  lastFixTimeMs: number | null;
  /** Latest receipt time of the fixes applied (absent in checkpoints written before it was kept). */
  lastReceivedAtMs?: number | null;
  /** Newest trusted position (valid, not a jump). */
  last: TrackPoint | null;
  /** The truck was expected to report after its last fix: in a trip or moving, ignition not off. */
  lastActive: boolean;
  loaded: boolean;
  tipping: boolean;
  insideOriginId: string | null;
  /** The site or point the truck was last inside, and its last fix there. */
  lastOrigin: { id: string; exit: PlaceAt } | null;
  lastTripEndMs: number | null;
  trip: Trip | null;
  /**
   * A trip `tick` abandoned while the terminal was silent, kept until the next fix: a backlog whose
   * fixes fall inside the trip's time resumes it (the terminal was buffering, the trip went on).
   */
  abandonedByTick: { trip: Trip; episodes: ViolationEpisode[]; lastTripEndMs: number | null } | null;
  pending: Partial<Record<ViolationType, PendingBreach>>;
  open: Partial<Record<ViolationType, ViolationEpisode>>;
}

export type ApplyOutcome =
  | 'applied'
  /** Same fix time as the newest applied fix: (terminal, fix time) identifies a fix; ignored. */
  | 'duplicate'
  /** Older than the newest applied fix: rebuild from a checkpoint before it (see replayFixes). */
  | 'out-of-order';

export interface ApplyResult {
  outcome: ApplyOutcome;
  events: ComplianceEvent[];
}

type Verdict = Breach | null | 'hold';

const TRIP_BOUND: readonly ViolationType[] = ['unlicensed_transport', 'off_route', 'outside_time_window'];
const TIPPING_TYPES: readonly ViolationType[] = ['illegal_dumping', 'undesignated_disposal'];
/**
 * Facts about the terminal or the trip, true of every fix while they last: a silence does not
 * interrupt them. Every other episode is a run of observed fixes and ends before a silence.
 */
const OUTLAST_SILENCE: readonly ViolationType[] = ['unregistered_terminal', 'unlicensed_transport', 'terminal_offline'];

function place(p: PlaceAt): PlaceAt {
  return { atMs: p.atMs, lon: p.lon, lat: p.lat };
}

export function initialState(terminalId: string): TruckComplianceState {
  return {
    version: 1,
    terminalId,
    lastFixTimeMs: null,
    lastReceivedAtMs: null,
    last: null,
    lastActive: false,
    loaded: false,
    tipping: false,
    insideOriginId: null,
    lastOrigin: null,
    lastTripEndMs: null,
    trip: null,
    abandonedByTick: null,
    pending: {},
    open: {},
  };
}

/**
 * 运次 and 违规 of one terminal (the truck it is bound to): fed with its fixes in fix-time order and
 * the registry facts, returns trips and violation episodes as events. Pure: no clock, no I/O.
 */
export class TruckCompliance {
  private s: TruckComplianceState;
  private events: ComplianceEvent[] = [];
  private facts!: ComplianceFacts;
  /** The same breach every fix while the terminal is unbound: built once, not per fix. */
  private unregistered: Breach | null = null;

  constructor(
    terminalIdOrState: string | TruckComplianceState,
    private readonly rules: ComplianceRules = DEFAULT_COMPLIANCE_RULES,
  ) {
    this.s = typeof terminalIdOrState === 'string' ? initialState(terminalIdOrState) : (JSON.parse(JSON.stringify(terminalIdOrState)) as TruckComplianceState);
  }

  /** A deep copy of the state, plain JSON. */
  get state(): TruckComplianceState {
    return JSON.parse(JSON.stringify(this.s)) as TruckComplianceState;
  }

  get trip(): Trip | null {
    return this.s.trip;
  }

  openEpisodes(): ViolationEpisode[] {
    return Object.values(this.s.open);
  }

  apply(fix: ComplianceFix, facts: ComplianceFacts): ApplyResult {
    if (fix.terminalId !== this.s.terminalId) throw new Error(`fix of terminal ${fix.terminalId} fed to the engine of ${this.s.terminalId}`);
    if (this.s.lastFixTimeMs !== null && fix.fixTimeMs <= this.s.lastFixTimeMs) {
      return { outcome: fix.fixTimeMs === this.s.lastFixTimeMs ? 'duplicate' : 'out-of-order', events: [] };
    }
    this.facts = facts;
    this.events = [];
    this.step(fix);
    return { outcome: 'applied', events: this.events };
  }

  /**
   * Rules that fire on silence, at wall-clock `nowMs`: a trip with no end for too long is
   * abandoned; a truck that should report and has not raises a provisional 'terminal offline'
   * (closed by its next fix, or retracted when a backlog shows it was reporting all along).
   */
  tick(nowMs: number, facts: ComplianceFacts): ComplianceEvent[] {
    this.facts = facts;
    this.events = [];
    const trip = this.s.trip;
    if (trip && this.s.last && nowMs - trip.start.atMs > this.rules.abandonTripAfterMs) {
      const episodes = TRIP_BOUND.flatMap((type) => (this.s.open[type] ? [structuredClone(this.s.open[type])] : []));
      this.s.abandonedByTick = { trip: structuredClone(trip), episodes, lastTripEndMs: this.s.lastTripEndMs };
      this.endTrip('abandoned', null, this.s.last, [{ code: 'no-end', detail: `no tipping within ${this.rules.abandonTripAfterMs / 3_600_000} h of the start`, params: { hours: this.rules.abandonTripAfterMs / 3_600_000 } }]);
    }
    const last = this.s.last;
    // A terminal whose fixes are still arriving is uploading, not silent: a backlog may fill the
    // gap, or the rest of it is on its way through another instance. Offline waits until it stops.
    const receiving = this.s.lastReceivedAtMs != null && nowMs - this.s.lastReceivedAtMs <= this.rules.offlineReceiptGraceMs;
    if (last && this.s.lastActive && this.s.lastFixTimeMs !== null && nowMs - this.s.lastFixTimeMs > this.rules.offlineAfterMs && !receiving && !this.s.open.terminal_offline) {
      this.openEpisode('terminal_offline', this.offlineBreach(nowMs - this.s.lastFixTimeMs), last, [last], false);
    }
    return this.events;
  }

  // --- one fix ------------------------------------------------------------------------------

  private step(fix: ComplianceFix): void {
    const rules = this.rules;
    const point: TrackPoint = { atMs: fix.fixTimeMs, lon: fix.lon, lat: fix.lat, speedKmh: fix.speedKmh };
    const late = fix.receivedAtMs - fix.fixTimeMs > rules.lateAfterMs;
    const truck = this.facts.truckOfTerminal(this.s.terminalId);

    this.resumeOrConfirmAbandonment(fix);
    this.checkSilence(fix, point, late);
    if (this.s.trip && fix.fixTimeMs - this.s.trip.start.atMs > rules.abandonTripAfterMs && this.s.last) {
      this.endTrip('abandoned', null, this.s.last, [{ code: 'no-end', detail: `no tipping within ${rules.abandonTripAfterMs / 3_600_000} h of the start`, params: { hours: rules.abandonTripAfterMs / 3_600_000 } }]);
    }
    this.s.lastFixTimeMs = fix.fixTimeMs;
    this.s.lastReceivedAtMs = Math.max(this.s.lastReceivedAtMs ?? fix.receivedAtMs, fix.receivedAtMs);

    this.track(
      'unregistered_terminal',
      truck ? null : (this.unregistered ??= { reasons: [{ code: 'terminal-not-bound', detail: `terminal ${this.s.terminalId} is not bound to any registered truck`, params: { terminalId: this.s.terminalId } }], parameters: {} }),
      point,
      late,
      0,
      1,
    );
    if (fix.valid === false) return;

    const previous = this.s.last;
    if (previous) {
      const jump = tamperingBreach(previous, fix, rules);
      if (jump) {
        // Evidence of tampering, never a position: the next fix is compared with the last trusted one.
        this.openEpisode('suspected_tampering', jump, previous, [previous, point], late);
        this.closeEpisode('suspected_tampering', point);
        return;
      }
    }

    const index = this.facts.index;
    const moving = isMoving(fix, rules);
    const sensed = loadedFromSensor(fix, rules);
    const originIds = [...index.covering('construction-site', fix.lon, fix.lat), ...index.covering('collection-point', fix.lon, fix.lat)];
    const insideOrigin = originIds[0] ?? null;
    const sitesHere = index.covering('disposal-site', fix.lon, fix.lat).flatMap((id) => this.facts.disposalSites.get(id) ?? []);
    let loaded = sensed ?? this.s.loaded;
    // Without a load sensor, a stop inside a site or collection point is taken as loading.
    if (sensed === null && insideOrigin && !moving && !this.s.trip) loaded = true;

    if (this.s.trip && previous) this.s.trip.distanceM += haversineMetres(previous, point);

    // 举升: tipping ends the trip and decides where it went.
    const lift = hasLiftSensor(fix);
    const tippingNow = lift ? fix.body === 'raised' : this.s.loaded && sensed === false && !moving;
    if (tippingNow && !this.s.tipping && (this.s.trip || this.s.loaded)) {
      this.tipped(point, sitesHere, lift, late);
      loaded = false;
    }
    if (!tippingNow && this.s.tipping) for (const type of TIPPING_TYPES) this.closeEpisode(type);
    this.s.tipping = lift && tippingNow;

    // A loaded truck moving away from a site or point starts a trip.
    if (!this.s.trip && loaded && moving && !insideOrigin && !tippingNow) this.startTrip(point, truck, late);

    const trip = this.s.trip;
    const approval = trip?.approvalId ? this.facts.approval(trip.approvalId) : null;
    const routes = approval ? approval.routeIds.map((id) => this.facts.routes.get(id)).filter((r): r is RouteFact => !!r) : [];
    const windows = approval ? approval.timeWindowIds.map((id) => this.facts.timeWindows.get(id)).filter((w): w is TimeWindowFact => !!w) : [];

    // 3. entering a closed or illegal disposal site loaded; the episode lasts until it leaves.
    const banned = sitesHere.find((s) => s.status !== 'licensed');
    this.track(
      'closed_disposal_site',
      banned && (trip || loaded || this.s.open.closed_disposal_site)
        ? { reasons: [{ code: `entered-${banned.status}-site`, detail: `entered ${banned.name}, a ${banned.status} disposal site`, params: { site: banned.name } }], parameters: { status: banned.status }, subjectId: banned.id }
        : null,
      point,
      late,
      0,
      1,
    );

    // 4. 未密闭 (a stop keeps the episode; a closed cover or an empty body ends it)
    const unsealed = unsealedBreach(fix, loaded, rules);
    const coverOpen = fix.cover === 'open' || fix.cover === 'partial';
    this.track('unsealed_transport', unsealed ?? (loaded && coverOpen && !moving ? 'hold' : null), point, late, rules.unsealedGraceMs, 2);

    // 5. 偏离路线, with a tolerance band beyond the corridor that neither raises nor ends it
    const corridor = trip && routes.length > 0 ? corridorVerdict(fix.lon, fix.lat, routes, rules) : null;
    let offRoute: Verdict = null;
    if (corridor?.where === 'outside' && !insideOrigin && sitesHere.length === 0) offRoute = offRouteBreach(corridor, routes, rules);
    else if (corridor?.where === 'margin' || (corridor?.where === 'outside' && (insideOrigin || sitesHere.length > 0))) offRoute = 'hold';
    this.track('off_route', offRoute, point, late, rules.offRouteMinDurationMs, rules.offRouteMinFixes);

    // 6. 时段违规 (a stop holds it)
    let window: Verdict = null;
    if (trip && windows.length > 0) window = timeWindowBreach(fix, windows, rules) ?? (!moving && this.s.open.outside_time_window ? 'hold' : null);
    this.track('outside_time_window', window, point, late, rules.timeWindowGraceMs, 1);

    // 7. 超速
    const zones = index.covering('speed-zone', fix.lon, fix.lat).flatMap((id) => this.facts.speedZones.get(id) ?? []);
    const limit = lowestLimit(zones, routes, corridor?.where === 'inside', rules);
    this.track('overspeed', overspeedBreach(fix, limit, rules), point, late, rules.overspeedMinDurationMs, 2);

    // 8. 超载
    this.track('overload', overloadBreach(fix, truck, rules), point, late, 0, rules.overloadMinFixes);

    // Every open episode keeps the track while it lasts.
    for (const episode of Object.values(this.s.open)) this.addEvidence(episode, point);

    this.s.last = point;
    this.s.loaded = loaded;
    this.s.insideOriginId = insideOrigin;
    if (insideOrigin) this.s.lastOrigin = { id: insideOrigin, exit: place(point) };
    this.s.lastActive = fix.ignition !== false && (this.s.trip !== null || moving);
  }

  private resumeOrConfirmAbandonment(fix: ComplianceFix): void {
    const saved = this.s.abandonedByTick;
    if (!saved) return;
    this.s.abandonedByTick = null;
    if (fix.fixTimeMs - saved.trip.start.atMs > this.rules.abandonTripAfterMs) return;
    this.s.trip = saved.trip;
    this.s.lastTripEndMs = saved.lastTripEndMs;
    this.events.push({ kind: 'trip.started', trip: { ...saved.trip } });
    for (const episode of saved.episodes) {
      this.s.open[episode.type] = episode;
      this.events.push({ kind: 'violation.updated', violation: structuredClone(episode) });
    }
  }

  // --- 10. silence: 终端离线 ----------------------------------------------------------------

  private offlineBreach(silentMs: number): Breach {
    return {
      reasons: [{ code: 'silent', detail: `no fix for ${Math.round(silentMs / 60_000)} min while in a trip or moving`, params: { minutes: Math.round(silentMs / 60_000) } }],
      parameters: { offlineAfterMs: this.rules.offlineAfterMs },
      measure: silentMs,
    };
  }

  private checkSilence(fix: ComplianceFix, point: TrackPoint, late: boolean): void {
    if (this.s.lastFixTimeMs === null) return;
    const gap = fix.fixTimeMs - this.s.lastFixTimeMs;
    const provisional = this.s.open.terminal_offline;
    if (provisional) {
      if (gap > this.rules.offlineAfterMs) {
        this.endObservedRuns();
        provisional.peak = gap;
        provisional.reasons = this.offlineBreach(gap).reasons;
        provisional.evidence.push(point);
        this.closeEpisode('terminal_offline', point);
      } else {
        delete this.s.open.terminal_offline;
        this.events.push({ kind: 'violation.retracted', violation: provisional, reason: { code: 'backfilled', detail: 'the terminal was recording: its buffered fixes arrived late' } });
      }
      return;
    }
    const last = this.s.last;
    if (last && this.s.lastActive && gap > this.rules.offlineAfterMs) {
      this.endObservedRuns();
      this.openEpisode('terminal_offline', this.offlineBreach(gap), last, [last, point], late);
      this.closeEpisode('terminal_offline', point);
    }
  }

  /**
   * The terminal went offline while it should have reported: every episode that is a run of
   * observed fixes ends at its last supporting fix, and no run in progress carries over the
   * silence. What happened after the silence is judged afresh (never part of the earlier evidence).
   */
  private endObservedRuns(): void {
    for (const type of Object.keys(this.s.open) as ViolationType[]) if (!OUTLAST_SILENCE.includes(type)) this.closeEpisode(type);
    this.s.pending = {};
  }

  // --- trips ----------------------------------------------------------------------------------

  private startTrip(point: TrackPoint, truck: ReturnType<ComplianceFacts['truckOfTerminal']>, late: boolean): void {
    const recent = this.s.lastOrigin;
    const fromOrigin =
      recent && (this.s.lastTripEndMs === null || recent.exit.atMs >= this.s.lastTripEndMs) && point.atMs - recent.exit.atMs <= this.rules.abandonTripAfterMs ? recent : null;
    const origin = fromOrigin ? (this.facts.origins.get(fromOrigin.id) ?? null) : null;
    const start = fromOrigin ? fromOrigin.exit : place(point);
    const licence = checkLicence(origin, origin ? this.facts.approvalsOfSite(origin.id) : [], truck, start.atMs);
    const trip: Trip = {
      id: `${this.s.terminalId}/trip/${start.atMs}`,
      terminalId: this.s.terminalId,
      truckId: truck?.id ?? null,
      plate: truck?.plate ?? null,
      approvalId: licence.approval?.id ?? null,
      approvalNumber: licence.approval?.number ?? null,
      originId: origin?.id ?? null,
      originKind: origin?.kind ?? null,
      originName: origin?.name ?? null,
      destinationId: null,
      destinationName: null,
      start,
      end: null,
      townCode: this.townAt(start),
      distanceM: fromOrigin ? haversineMetres(fromOrigin.exit, point) : 0,
      status: 'open',
      reasons: [],
      reportedLate: late,
    };
    this.s.trip = trip;
    this.events.push({ kind: 'trip.started', trip: { ...trip } });
    let problems = licence.problems;
    const unregistered = this.s.open.unregistered_terminal;
    if (!truck && unregistered) {
      // One root cause, one case: a terminal bound to no truck is already the unregistered-terminal
      // case; its trips are noted on it rather than counted again as unlicensed transport.
      problems = problems.filter((p) => p.code !== 'no-registered-truck');
      this.noteTripWithoutTruck(unregistered, trip);
    }
    if (problems.length > 0) {
      const evidence: TrackPoint = { ...start, speedKmh: 0 };
      this.openEpisode('unlicensed_transport', { reasons: problems, parameters: { checkedOn: localDateOf(start.atMs) } }, evidence, [evidence, point], late);
    }
  }

  /** Counts the trips of an unbound terminal on its unregistered-terminal episode (one note, the latest trip named). */
  private noteTripWithoutTruck(episode: ViolationEpisode, trip: Trip): void {
    const before = episode.reasons.find((r) => r.code === 'trip-without-registered-truck')?.params?.['trips'];
    const trips = (typeof before === 'number' ? before : 0) + 1;
    const origin = trip.originName ?? '—';
    const startedAt = localTimeOf(trip.start.atMs);
    const note: Reason = { code: 'trip-without-registered-truck', detail: `${trips} trip(s) with no registered truck, the latest from ${origin} at ${startedAt} (not counted again as unlicensed transport)`, params: { trips, origin, startedAt } };
    episode.reasons = [...episode.reasons.filter((r) => r.code !== note.code), note];
    this.events.push({ kind: 'violation.updated', violation: structuredClone(episode) });
  }

  private endTrip(status: TripStatus, destination: DisposalSiteFact | null, at: TrackPoint, reasons: Reason[]): void {
    const trip = this.s.trip;
    if (!trip) return;
    trip.status = status;
    trip.end = place(at);
    trip.destinationId = destination?.id ?? null;
    trip.destinationName = destination?.name ?? null;
    trip.reasons = reasons;
    this.s.trip = null;
    this.s.lastTripEndMs = at.atMs;
    // The trip's end is the last fix of its episodes: they last as long as the trip does.
    for (const type of TRIP_BOUND) {
      const open = this.s.open[type];
      if (open) this.addEvidence(open, at);
      this.closeEpisode(type, at);
      delete this.s.pending[type];
    }
    this.events.push({ kind: 'trip.ended', trip });
  }

  private tipped(point: TrackPoint, sitesHere: DisposalSiteFact[], lift: boolean, late: boolean): void {
    const trip = this.s.trip;
    const runsUnder: ApprovalFact | null = trip?.approvalId ? this.facts.approval(trip.approvalId) : null;
    const originApprovals = trip?.originKind === 'construction-site' && trip.originId ? this.facts.approvalsOfSite(trip.originId) : [];
    const approvals = trip ? tippingApprovals(runsUnder, originApprovals, trip.start.atMs) : [];
    const verdict = classifyTipping(sitesHere, approvals, trip?.originKind === 'collection-point');
    const how = lift ? 'body raised' : 'stopped and the load dropped';
    if (verdict.violation) {
      const { type, reasons, subjectId } = verdict.violation;
      const open = this.s.open[type];
      if (open) {
        open.reasons.push(...reasons);
        this.events.push({ kind: 'violation.updated', violation: structuredClone(open) });
      } else {
        const breach: Breach = { reasons: [...reasons, { code: lift ? 'lift-raised' : 'load-drop', detail: how }], parameters: { liftSensor: lift }, subjectId };
        this.openEpisode(type, breach, point, [...(this.s.last ? [this.s.last] : []), point], late);
        // Without a lift sensor the drop is an instant; with one, the episode lasts while the body is up.
        if (!lift && type !== 'closed_disposal_site') this.closeEpisode(type, point);
      }
    }
    if (trip) {
      const where = verdict.destination ? `at ${verdict.destination.name}` : 'outside every disposal site';
      const code = verdict.tripStatus === 'closed' ? 'tipped-at-designated-site' : verdict.destination ? 'tipped-at-other-site' : 'tipped-outside-sites';
      const reasons: Reason[] = [{ code, detail: `${how} ${where}` }];
      const closedUnder = verdict.closedUnder;
      if (closedUnder && closedUnder.id !== trip.approvalId) {
        // Closed against the origin's approval the truck is not on (its own unlicensed case).
        const carrier = trip.plate ?? this.s.terminalId;
        const site = trip.originName ?? '';
        reasons.push({ code: 'closed-under-origin-approval', detail: `${carrier} is not listed on ${closedUnder.number}; the load went where it sends the waste of ${site}`, params: { truck: carrier, approval: closedUnder.number, site } });
      }
      this.endTrip(verdict.tripStatus, verdict.destination, point, reasons);
    }
  }

  // --- episodes -------------------------------------------------------------------------------

  private townAt(p: PlaceAt): string | null {
    return this.facts.index.covering('town', p.lon, p.lat)[0] ?? null;
  }

  /**
   * One continuous rule: a breach starts (or extends) a pending run that becomes an episode once it
   * has lasted `minMs` over `minFixes` fixes; a compliant fix ends it; 'hold' does neither.
   */
  private track(type: ViolationType, verdict: Verdict, point: TrackPoint, late: boolean, minMs: number, minFixes: number): void {
    const open = this.s.open[type];
    if (verdict === 'hold') {
      if (open) this.addEvidence(open, point);
      else if (this.s.pending[type]) this.addPendingEvidence(this.s.pending[type], point);
      return;
    }
    if (verdict === null) {
      // The compliant fix is not evidence of the episode: it ends at its last supporting fix.
      delete this.s.pending[type];
      if (open) this.closeEpisode(type);
      return;
    }
    if (open) {
      this.addEvidence(open, point);
      if (verdict.measure !== undefined && (open.peak === null || verdict.measure > open.peak)) {
        // The reasons state the measured value: they follow the peak, so text and figures agree.
        open.peak = verdict.measure;
        open.reasons = [...verdict.reasons, ...open.reasons.filter((r) => !verdict.reasons.some((v) => v.code === r.code))];
        this.events.push({ kind: 'violation.updated', violation: structuredClone(open) });
      }
      return;
    }
    const pending = this.s.pending[type] ?? { since: point, fixes: 0, evidence: [] };
    pending.fixes += 1;
    this.addPendingEvidence(pending, point);
    this.s.pending[type] = pending;
    if (pending.fixes >= minFixes && point.atMs - pending.since.atMs >= minMs) {
      delete this.s.pending[type];
      const episode = this.openEpisode(type, verdict, pending.since, pending.evidence, late);
      episode.peak = verdict.measure ?? null;
    }
  }

  private openEpisode(type: ViolationType, breach: Breach, start: TrackPoint, evidence: TrackPoint[], late: boolean): ViolationEpisode {
    const trip = this.s.trip;
    const truck = this.facts.truckOfTerminal(this.s.terminalId);
    const episode: ViolationEpisode = {
      id: `${this.s.terminalId}/${type}/${start.atMs}`,
      type,
      severity: VIOLATION_SEVERITY[type],
      terminalId: this.s.terminalId,
      truckId: truck?.id ?? null,
      plate: truck?.plate ?? null,
      tripId: trip?.id ?? null,
      approvalId: trip?.approvalId ?? null,
      subjectId: breach.subjectId ?? null,
      start: place(start),
      end: null,
      townCode: this.townAt(start),
      reasons: [...breach.reasons],
      parameters: { ...breach.parameters },
      peak: breach.measure ?? null,
      evidence: [],
      evidenceThinned: false,
      reportedLate: late,
    };
    for (const p of evidence) this.addEvidence(episode, p);
    this.s.open[type] = episode;
    this.events.push({ kind: 'violation.opened', violation: structuredClone(episode) });
    return episode;
  }

  /** Ends an open episode `at` a fix, by default its last supporting fix (its newest evidence). */
  private closeEpisode(type: ViolationType, at?: PlaceAt): void {
    const episode = this.s.open[type];
    if (!episode) return;
    episode.end = place(at ?? episode.evidence[episode.evidence.length - 1] ?? episode.start);
    delete this.s.open[type];
    this.events.push({ kind: 'violation.closed', violation: episode });
  }

  private addEvidence(episode: ViolationEpisode, p: TrackPoint): void {
    const lastPoint = episode.evidence[episode.evidence.length - 1];
    if (lastPoint && lastPoint.atMs >= p.atMs) return;
    episode.evidence.push({ ...p });
    if (episode.evidence.length > this.rules.maxEvidencePoints) {
      episode.evidence = thinned(episode.evidence);
      episode.evidenceThinned = true;
    }
  }

  /**
   * A pending run's evidence is bounded as an episode's is: a run held open by 'hold' verdicts (a
   * loaded truck standing with its cover open all night) would otherwise grow by a point a fix, in
   * memory and in every checkpoint, until the run ends.
   */
  private addPendingEvidence(pending: { evidence: TrackPoint[] }, p: TrackPoint): void {
    pending.evidence.push(p);
    if (pending.evidence.length > this.rules.maxEvidencePoints) pending.evidence = thinned(pending.evidence);
  }
}

/** Keeps the first and the last point and every second one between: deterministic, so replays agree. */
function thinned<T>(points: T[]): T[] {
  return points.filter((_, i) => i === 0 || i % 2 === 0 || i === points.length - 1);
}

/**
 * Rebuilds a terminal's engine from a checkpoint (or from nothing) by replaying stored fixes in
 * fix-time order; the events say what the replay (re)produced. Ids are deterministic, so the
 * caller upserts them. Fixes at or before the checkpoint's last fix are skipped.
 */
export function replayFixes(
  from: string | TruckComplianceState,
  fixes: Iterable<ComplianceFix>,
  facts: ComplianceFacts,
  rules: ComplianceRules = DEFAULT_COMPLIANCE_RULES,
): { engine: TruckCompliance; events: ComplianceEvent[] } {
  const engine = new TruckCompliance(from, rules);
  const sorted = [...fixes].sort((a, b) => a.fixTimeMs - b.fixTimeMs);
  const events: ComplianceEvent[] = [];
  for (const fix of sorted) events.push(...engine.apply(fix, facts).events);
  return { engine, events };
}

/**
 * After a replay from a checkpoint: the ids of trips and episodes stored since the checkpoint that
 * the replay no longer produced (a late fix filled a silence, or moved a start). The caller
 * deletes (or marks superseded) those and upserts everything the replay's events carry.
 */
export function supersededBy(replayEvents: readonly ComplianceEvent[], storedSinceCheckpoint: readonly string[]): string[] {
  const produced = new Set<string>();
  for (const e of replayEvents) {
    if (e.kind === 'violation.retracted') continue;
    produced.add(e.kind === 'trip.started' || e.kind === 'trip.ended' ? e.trip.id : e.violation.id);
  }
  return storedSinceCheckpoint.filter((id) => !produced.has(id));
}
