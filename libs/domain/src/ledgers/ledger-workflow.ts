/**
 * The towns' ledgers' workflows (issue 12): which status a waste pile (既有建筑垃圾堆), a finding
 * (巡查发现) or a collection request (收集申请) may move to from which, and who may move it. Pure:
 * the API reads the record, asks `planLedgerTransition`, and writes the result with an optimistic
 * version check. The wire names are in libs/contracts/src/api/town-ledgers.ts.
 *
 *   pile:     registered ─▶ in_progress ─▶ cleared | covered ─▶ verified (muck office)
 *             registered ─────────────────▶ cleared | covered
 *             cleared | covered ─▶ in_progress (muck office: not accepted, back to work)
 *   finding:  open ─▶ rectifying ─▶ rectified ─▶ verified (muck office)
 *             open ─────────────────▶ rectified;  rectified ─▶ rectifying (muck office: not accepted)
 *   request:  requested ─▶ dispatched (a truck) ─▶ fulfilled (only the GPS check, never a person)
 *             requested | dispatched ─▶ cancelled;  dispatched ─▶ dispatched (another truck)
 */

export type LedgerRole = 'admin' | 'dispatcher' | 'town_official' | 'enforcement_officer' | 'auditor';
/** `gps`: the fulfilment check over stored fixes and closed trips; no person may act as it. */
export type LedgerActor = LedgerRole | 'gps';

export type PileStatus = 'registered' | 'in_progress' | 'cleared' | 'covered' | 'verified';
export type FindingStatus = 'open' | 'rectifying' | 'rectified' | 'verified';
export type CollectionRequestState = 'requested' | 'dispatched' | 'fulfilled' | 'cancelled';

interface LedgerRule<S extends string> {
  from: readonly S[];
  to: S;
  by: readonly LedgerActor[];
}

const OFFICE: readonly LedgerRole[] = ['admin', 'dispatcher'];
/** Who keeps a town's ledger: the town itself and the muck office. */
const KEEPERS: readonly LedgerRole[] = ['admin', 'dispatcher', 'town_official'];

/** The roles that may create and edit ledger records (scope to their town is the repository's). */
export const LEDGER_WRITERS: readonly LedgerRole[] = KEEPERS;

export const PILE_TRANSITIONS: readonly LedgerRule<PileStatus>[] = [
  { from: ['registered'], to: 'in_progress', by: KEEPERS },
  // Not accepted: back to work is the muck office's verdict, not the town's.
  { from: ['cleared', 'covered'], to: 'in_progress', by: OFFICE },
  { from: ['registered', 'in_progress'], to: 'cleared', by: KEEPERS },
  { from: ['registered', 'in_progress'], to: 'covered', by: KEEPERS },
  { from: ['cleared', 'covered'], to: 'verified', by: OFFICE },
];

export const FINDING_TRANSITIONS: readonly LedgerRule<FindingStatus>[] = [
  { from: ['open'], to: 'rectifying', by: KEEPERS },
  { from: ['rectified'], to: 'rectifying', by: OFFICE },
  { from: ['open', 'rectifying'], to: 'rectified', by: KEEPERS },
  { from: ['rectified'], to: 'verified', by: OFFICE },
];

export const REQUEST_TRANSITIONS: readonly LedgerRule<CollectionRequestState>[] = [
  { from: ['requested', 'dispatched'], to: 'dispatched', by: KEEPERS },
  { from: ['requested', 'dispatched'], to: 'cancelled', by: KEEPERS },
  { from: ['dispatched'], to: 'fulfilled', by: ['gps'] },
];

function applies<S extends string>(rule: LedgerRule<S>, from: S, actor: LedgerActor): boolean {
  return rule.from.includes(from) && rule.by.includes(actor);
}

/** The statuses `actor` may move a record in `from` to, in the table's order. */
export function allowedTargets<S extends string>(table: readonly LedgerRule<S>[], from: S, actor: LedgerActor): S[] {
  return [...new Set(table.filter((rule) => applies(rule, from, actor)).map((rule) => rule.to))];
}

export type LedgerTransitionPlan<S extends string> =
  | { ok: true; from: S; to: S }
  | { ok: false; refusal: 'illegal_transition'; from: S; to: S; allowed: S[] }
  | { ok: false; refusal: 'forbidden'; from: S; to: S };

/**
 * Whether `actor` may move a record from `from` to `to`: `forbidden` when the move exists but not
 * for this actor (a town verifying its own pile), `illegal_transition` when no one may.
 */
export function planLedgerTransition<S extends string>(table: readonly LedgerRule<S>[], from: S, to: S, actor: LedgerActor): LedgerTransitionPlan<S> {
  if (allowedTargets(table, from, actor).includes(to)) return { ok: true, from, to };
  const anyone = (['admin', 'dispatcher', 'town_official', 'gps'] as const).some((who) => allowedTargets(table, from, who).includes(to));
  if (anyone) return { ok: false, refusal: 'forbidden', from, to };
  return { ok: false, refusal: 'illegal_transition', from, to, allowed: allowedTargets(table, from, actor) };
}

/** The pile statuses that still need work (not cleared, covered or verified): past the deadline they are overdue. */
export const PILE_OPEN_STATUSES: readonly PileStatus[] = ['registered', 'in_progress'];
/** The finding statuses not yet rectified (nor verified): past the deadline they are overdue. */
export const FINDING_OPEN_STATUSES: readonly FindingStatus[] = ['open', 'rectifying'];

/** A pile that still needs work: past its deadline (a local date yyyy-mm-dd) and not cleared, covered or verified. */
export function pileOverdue(status: PileStatus, deadline: string | null, todayLocal: string): boolean {
  return deadline !== null && deadline < todayLocal && PILE_OPEN_STATUSES.includes(status);
}

/** A finding past its rectification deadline and not yet rectified. */
export function findingOverdue(status: FindingStatus, deadline: string | null, todayLocal: string): boolean {
  return deadline !== null && deadline < todayLocal && FINDING_OPEN_STATUSES.includes(status);
}

/** Same-day clearance (日产日清): fulfilled within `hours` (24) of the request. */
export function fulfilledSameDay(requestedAtMs: number, fulfilledAtMs: number | null, hours = 24): boolean {
  return fulfilledAtMs !== null && fulfilledAtMs - requestedAtMs <= hours * 3_600_000;
}
