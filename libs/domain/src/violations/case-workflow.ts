/**
 * The violation case workflow (案件办理): which action each role may take from each state, and
 * what a request must carry. Pure: the API reads the case, asks `planTransition`, and writes the
 * result with an optimistic version check. The wire names are in
 * libs/contracts/src/api/violation-cases.ts; this file is their one rule book.
 */

export type CaseState = 'new' | 'confirmed' | 'dismissed' | 'assigned' | 'handled' | 'returned' | 'closed';
export type CaseAction = 'confirm' | 'dismiss' | 'assign' | 'reassign' | 'handle' | 'return' | 'close' | 'reopen' | 'comment';
export type CaseRole = 'admin' | 'dispatcher' | 'town_official' | 'enforcement_officer' | 'auditor';
export type CaseDismissReason = 'gps_drift' | 'approved_exception' | 'duplicate' | 'test_device' | 'sensor_fault' | 'other';

/** Who acts: their role and, for an enforcement officer, their department's code. */
export interface CaseActor {
  role: CaseRole;
  departmentCode: string | null;
}

/** The case as stored, as far as the rules need it. */
export interface CaseSnapshot {
  state: CaseState;
  /** The department it is (or was last) assigned to. */
  departmentCode: string | null;
}

export interface CaseOutcomeInput {
  kind: 'penalty' | 'rectification' | 'no_case';
  decisionNumber?: string | null;
  amountYuan?: number | null;
  penaltyPoints?: number | null;
  rectification?: string | null;
  noCaseReason?: string | null;
}

export interface CaseRequest {
  action: CaseAction;
  comment?: string | null;
  dismissReason?: CaseDismissReason;
  departmentCode?: string;
  /** Epoch ms. */
  deadlineMs?: number;
  outcome?: CaseOutcomeInput;
}

interface TransitionRule {
  from: readonly CaseState[];
  /** The state after; null keeps the current one (a comment). */
  to: CaseState | null;
  /** The muck office's roles; `department` = an enforcement officer of the case's department. */
  by: ReadonlyArray<CaseRole | 'department'>;
}

const OFFICE: ReadonlyArray<CaseRole> = ['admin', 'dispatcher'];
const ALL_STATES: readonly CaseState[] = ['new', 'confirmed', 'dismissed', 'assigned', 'handled', 'returned', 'closed'];

/** The transition table. Order is the order the console shows the buttons in. */
export const CASE_TRANSITIONS: Readonly<Record<CaseAction, TransitionRule>> = {
  confirm: { from: ['new'], to: 'confirmed', by: OFFICE },
  assign: { from: ['new', 'confirmed'], to: 'assigned', by: OFFICE },
  reassign: { from: ['assigned', 'returned'], to: 'assigned', by: OFFICE },
  handle: { from: ['assigned', 'returned'], to: 'handled', by: ['admin', 'department'] },
  close: { from: ['handled'], to: 'closed', by: OFFICE },
  return: { from: ['handled'], to: 'returned', by: OFFICE },
  dismiss: { from: ['new', 'confirmed'], to: 'dismissed', by: OFFICE },
  reopen: { from: ['closed', 'dismissed'], to: 'confirmed', by: OFFICE },
  comment: { from: ALL_STATES, to: null, by: [...OFFICE, 'department'] },
};

const ACTIONS = Object.keys(CASE_TRANSITIONS) as CaseAction[];

/** States in which a department holds the case and its deadline runs. */
export const DEPARTMENT_HOLDS: readonly CaseState[] = ['assigned', 'returned'];

function mayAct(rule: TransitionRule, actor: CaseActor, snapshot: CaseSnapshot): boolean {
  return rule.by.some((who) =>
    who === 'department'
      ? actor.role === 'enforcement_officer' && actor.departmentCode !== null && actor.departmentCode === snapshot.departmentCode
      : who === actor.role,
  );
}

/** The actions this actor may take on this case now (the console's buttons). */
export function allowedActions(snapshot: CaseSnapshot, actor: CaseActor): CaseAction[] {
  return ACTIONS.filter((action) => {
    const rule = CASE_TRANSITIONS[action];
    return rule.from.includes(snapshot.state) && mayAct(rule, actor, snapshot);
  });
}

/** The actions anyone may take from a state (for the 409's "allowed"). */
export function actionsFrom(state: CaseState): CaseAction[] {
  return ACTIONS.filter((action) => CASE_TRANSITIONS[action].from.includes(state));
}

export type CaseRefusal =
  /** 409: not from this state. */
  | { code: 'case.illegal_transition'; status: 409; params: { state: CaseState; action: CaseAction; allowed: CaseAction[] } }
  /** 403: this role (or another department) may not. */
  | { code: 'case.action_forbidden'; status: 403; params: { action: CaseAction; role: CaseRole } }
  /** 400: a field the action needs is missing or wrong. */
  | { code: 'case.field_required' | 'case.field_invalid'; status: 400; params: { action: CaseAction; field: string } };

export interface CasePlan {
  ok: true;
  from: CaseState;
  to: CaseState;
  /** The department after the transition. */
  departmentCode: string | null;
}

const COMMENT_REQUIRED: ReadonlySet<CaseAction> = new Set(['return', 'reopen', 'comment']);
/** Longest comment, outcome text or reason. */
export const CASE_TEXT_MAX = 2000;

function required(action: CaseAction, field: string): CaseRefusal {
  return { code: 'case.field_required', status: 400, params: { action, field } };
}

function invalid(action: CaseAction, field: string): CaseRefusal {
  return { code: 'case.field_invalid', status: 400, params: { action, field } };
}

function blank(text: string | null | undefined): boolean {
  return text === null || text === undefined || text.trim() === '';
}

function outcomeRefusal(action: CaseAction, outcome: CaseOutcomeInput | undefined): CaseRefusal | null {
  if (!outcome) return required(action, 'outcome');
  switch (outcome.kind) {
    case 'penalty':
      if (blank(outcome.decisionNumber)) return required(action, 'outcome.decisionNumber');
      break;
    case 'rectification':
      if (blank(outcome.rectification)) return required(action, 'outcome.rectification');
      break;
    case 'no_case':
      if (blank(outcome.noCaseReason)) return required(action, 'outcome.noCaseReason');
      break;
  }
  const amount = outcome.amountYuan;
  if (amount !== null && amount !== undefined && !(Number.isFinite(amount) && amount >= 0 && amount <= 10_000_000)) {
    return invalid(action, 'outcome.amountYuan');
  }
  const points = outcome.penaltyPoints;
  if (points !== null && points !== undefined && !(Number.isInteger(points) && points >= 0 && points <= 12)) {
    return invalid(action, 'outcome.penaltyPoints');
  }
  return null;
}

/**
 * Whether `actor` may take `request` on `snapshot` at `nowMs`, and the state it leads to. The
 * order of checks is the order a user would want the answer in: a state that forbids the action
 * first (409), then the role (403), then the form (400).
 */
export function planTransition(snapshot: CaseSnapshot, request: CaseRequest, actor: CaseActor, nowMs: number): CasePlan | CaseRefusal {
  const { action } = request;
  const rule = CASE_TRANSITIONS[action];
  if (!rule.from.includes(snapshot.state)) {
    return { code: 'case.illegal_transition', status: 409, params: { state: snapshot.state, action, allowed: actionsFrom(snapshot.state) } };
  }
  if (!mayAct(rule, actor, snapshot)) return { code: 'case.action_forbidden', status: 403, params: { action, role: actor.role } };
  if (request.comment && request.comment.length > CASE_TEXT_MAX) return invalid(action, 'comment');
  if (COMMENT_REQUIRED.has(action) && blank(request.comment)) return required(action, 'comment');
  let departmentCode = snapshot.departmentCode;
  switch (action) {
    case 'dismiss':
      if (!request.dismissReason) return required(action, 'dismissReason');
      if (request.dismissReason === 'other' && blank(request.comment)) return required(action, 'comment');
      break;
    case 'assign':
    case 'reassign':
      if (blank(request.departmentCode)) return required(action, 'departmentCode');
      if (request.deadlineMs === undefined) return required(action, 'deadline');
      if (!Number.isFinite(request.deadlineMs) || request.deadlineMs <= nowMs) return invalid(action, 'deadline');
      if (action === 'reassign' && request.departmentCode === snapshot.departmentCode) return invalid(action, 'departmentCode');
      departmentCode = request.departmentCode ?? null;
      break;
    case 'return':
      // The department gets a fresh deadline with the case (the API defaults it to the department's handling time).
      if (request.deadlineMs !== undefined && (!Number.isFinite(request.deadlineMs) || request.deadlineMs <= nowMs)) return invalid(action, 'deadline');
      break;
    case 'handle': {
      const refusal = outcomeRefusal(action, request.outcome);
      if (refusal) return refusal;
      break;
    }
    default:
      break;
  }
  return { ok: true, from: snapshot.state, to: rule.to ?? snapshot.state, departmentCode };
}

/** Overdue: a department holds the case past its deadline. */
export function isOverdue(state: CaseState, deadlineMs: number | null, nowMs: number): boolean {
  return deadlineMs !== null && DEPARTMENT_HOLDS.includes(state) && deadlineMs < nowMs;
}
