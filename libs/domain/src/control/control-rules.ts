import { validOn, type ComplianceFacts, type TruckFact } from '../compliance/index.js';
import { localDateOf } from '../time-windows/time-windows.js';

/**
 * The control policies (智能管控) as rules: from one fix of a truck and the registry, what each
 * switched-on policy wants — the restriction in force, released, or no opinion (a sensor that
 * did not report, a terminal no registered truck carries). Pure: the API's policy service
 * (apps/api/src/commands/control-policies.ts) turns a change of wish into a command.
 *
 * - lift_outside_disposal (lift family): the lift is inhibited while the truck is outside every
 *   disposal site of its approvals valid that day (no valid approval: outside all of them), and
 *   released once it is inside one. Prevention, so a body cannot be raised at the roadside.
 * - speed_cap_cover_open (speed family): capped at the configured km/h while the cover is open or
 *   partly open; released once it reports closed. A faulty or absent cover sensor: no opinion.
 * - lock_unlicensed (lock family): locked while the truck has no transport permit valid that day,
 *   or no approval valid that day that lists it; unlocked once it has both.
 */
export const CONTROL_POLICY_NAMES = ['lift_outside_disposal', 'speed_cap_cover_open', 'lock_unlicensed'] as const;
export type ControlPolicyName = (typeof CONTROL_POLICY_NAMES)[number];
export type ControlFamily = 'lift' | 'speed' | 'lock';

export const FAMILY_OF_POLICY: Readonly<Record<ControlPolicyName, ControlFamily>> = {
  lift_outside_disposal: 'lift',
  speed_cap_cover_open: 'speed',
  lock_unlicensed: 'lock',
};

export interface ControlSwitches {
  enabled: Readonly<Record<ControlPolicyName, boolean>>;
  /** The cap speed_cap_cover_open asks for, km/h. */
  coverOpenSpeedKmh: number;
}

/** What a policy needs of a fix. */
export interface ControlFix {
  terminalId: string;
  atMs: number;
  lon: number;
  lat: number;
  cover?: string | null;
  body?: string | null;
}

export interface ControlWish {
  policy: ControlPolicyName;
  family: ControlFamily;
  restrict: boolean;
  /** speed_cap: the cap. */
  speedKmh?: number;
  /** Why, in English, for the record (the console shows the policy's own zh-CN name beside it). */
  reason: string;
}

/** The approvals valid on `date` that list the truck. */
function approvalsOf(truck: TruckFact, facts: ComplianceFacts, date: string) {
  return facts.snapshot.approvals.filter((a) => a.truckIds.includes(truck.id) && validOn(date, a.validFrom, a.validTo));
}

export function controlWishes(fix: ControlFix, facts: ComplianceFacts, switches: ControlSwitches): ControlWish[] {
  const wishes: ControlWish[] = [];
  const truck = facts.truckOfTerminal(fix.terminalId);
  const date = localDateOf(fix.atMs);
  if (switches.enabled.speed_cap_cover_open) {
    if (fix.cover === 'open' || fix.cover === 'partial') {
      wishes.push({ policy: 'speed_cap_cover_open', family: 'speed', restrict: true, speedKmh: switches.coverOpenSpeedKmh, reason: `cover ${fix.cover}: speed capped at ${switches.coverOpenSpeedKmh} km/h` });
    } else if (fix.cover === 'closed') {
      wishes.push({ policy: 'speed_cap_cover_open', family: 'speed', restrict: false, reason: 'cover closed' });
    }
  }
  if (!truck) return wishes;
  if (switches.enabled.lift_outside_disposal) {
    const sites = new Set(approvalsOf(truck, facts, date).flatMap((a) => a.disposalSiteIds));
    const inside = facts.index.covering('disposal-site', fix.lon, fix.lat).find((id) => sites.has(id));
    if (inside) {
      wishes.push({ policy: 'lift_outside_disposal', family: 'lift', restrict: false, reason: `inside designated disposal site ${facts.disposalSites.get(inside)?.name ?? inside}` });
    } else {
      const raised = fix.body === 'raised' ? '; body raised' : '';
      const why = sites.size === 0 ? 'no valid approval designates a disposal site' : 'outside the designated disposal sites';
      wishes.push({ policy: 'lift_outside_disposal', family: 'lift', restrict: true, reason: `${why}${raised}` });
    }
  }
  if (switches.enabled.lock_unlicensed) {
    const problems: string[] = [];
    if (!truck.permitNo) problems.push('no transport permit');
    else if (!validOn(date, truck.permitValidFrom, truck.permitValidTo)) problems.push(`transport permit ${truck.permitNo} not valid on ${date}`);
    if (approvalsOf(truck, facts, date).length === 0) problems.push(`no approval valid on ${date} lists ${truck.plate}`);
    wishes.push(
      problems.length > 0
        ? { policy: 'lock_unlicensed', family: 'lock', restrict: true, reason: problems.join('; ') }
        : { policy: 'lock_unlicensed', family: 'lock', restrict: false, reason: 'valid permit and approval' },
    );
  }
  return wishes;
}

/** A restriction a policy holds on a terminal now (its command in force). */
export interface PolicyHold {
  policy: ControlPolicyName;
  speedKmh?: number;
}

/**
 * What to do about a wish, given the family's current hold: issue the restriction, release it,
 * or nothing. Only changes act (no command storm): a wish that matches the hold does nothing; a
 * family a dispatcher restricted by hand (`manualInForce`) is left to the dispatcher.
 */
export function controlDecision(hold: PolicyHold | null, wish: ControlWish, manualInForce: boolean): 'issue' | 'release' | null {
  if (wish.restrict) {
    if (manualInForce) return null;
    if (!hold) return 'issue';
    return wish.speedKmh !== undefined && hold.speedKmh !== wish.speedKmh ? 'issue' : null;
  }
  return hold && hold.policy === wish.policy ? 'release' : null;
}
