/**
 * Violation cases (案件): what the muck office, the enforcing departments and the towns do with a
 * violation the compliance engine raised (issue "Violations handled to closure").
 *
 * The engine owns the episode (type, times, evidence, `status` open/closed); people own the case:
 *
 *   new ──confirm──▶ confirmed ──assign──▶ assigned ──handle──▶ handled ──close──▶ closed
 *    │                  │                    ▲  │                  │                 │
 *    └──dismiss──▶ dismissed ◀──dismiss──────┘  └─reassign─┐       └──return──▶ returned ──handle──▶ handled
 *                     │                                     ▼
 *                     └──reopen (reason)──▶ confirmed    assigned          closed ──reopen (reason)──▶ confirmed
 *
 * The table itself (who may do what from which state) is `CASE_TRANSITIONS` in
 * libs/domain/src/violations/case-workflow.ts; the API answers an illegal transition with 409
 * `case.illegal_transition` naming the current state and the allowed actions, and a stale
 * `version` with 409 `case.version_conflict`.
 *
 * Endpoints (all under /api/v1):
 * - GET  violations?…ViolationListQuery → ViolationPage (items carry the case fields)
 * - GET  violations/export.xlsx?…same filters → the filtered list as xlsx (zh-CN columns, Asia/Shanghai times; audited)
 * - GET  violations/{id} → ViolationDetail (+ case, timeline, attachments, allowed actions for the caller)
 * - POST violations/{id}/transitions ← CaseTransitionRequest → ViolationDetail
 * - POST violations/bulk ← BulkCaseTransitionRequest → BulkCaseTransitionResult (each case audited on its own)
 * - POST violations/{id}/attachments (multipart, field `file`) → CaseAttachment (not yet on the timeline
 *   until a transition or comment names it in `attachmentIds`)
 * - GET  violations/{id}/attachments/{attachmentId} → the file (same scope as the case)
 * - GET  departments → Department[]; POST/PATCH/DELETE departments[/{code}] (admin) ← DepartmentInput
 * - GET  departments/performance?from&to → DepartmentPerformance[] (handling time per department)
 *
 * Scope: dispatchers and admins see every case; an enforcement officer only the cases assigned
 * (now or before) to their department; a town official their town's cases, read-only; auditors
 * read-only. Out of scope by id → 404.
 */

/** The case's place in the workflow. */
export const CASE_STATES = ['new', 'confirmed', 'dismissed', 'assigned', 'handled', 'returned', 'closed'] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** What a person can do to a case; `comment` adds a note (and attachments) without changing the state. */
export const CASE_ACTIONS = ['confirm', 'dismiss', 'assign', 'reassign', 'handle', 'return', 'close', 'reopen', 'comment'] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** Why a case was dismissed (the form's list; `other` needs the comment). */
export const DISMISS_REASONS = ['gps_drift', 'approved_exception', 'duplicate', 'test_device', 'sensor_fault', 'other'] as const;
export type DismissReason = (typeof DISMISS_REASONS)[number];

/** What the enforcing department did. */
export const OUTCOME_KINDS = ['penalty', 'rectification', 'no_case'] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

export interface CaseOutcome {
  kind: OutcomeKind;
  /** 处罚决定书编号, for a penalty. */
  decisionNumber?: string | null;
  /** Fine in yuan. */
  amountYuan?: number | null;
  /** Penalty points (记分). */
  penaltyPoints?: number | null;
  /** What must be put right, and by when, for a rectification (责令整改). */
  rectification?: string | null;
  /** Why there is no case (不予立案), required for `no_case`. */
  noCaseReason?: string | null;
}

/** The case fields carried by every violation in lists and details. */
export interface CaseFields {
  caseState: CaseState;
  /** Optimistic version: send it back with a transition; a stale one is 409 `case.version_conflict`. */
  version: number;
  /** Code of the enforcing department it is (or was last) assigned to. */
  departmentCode: string | null;
  departmentName: string | null;
  /** Handling deadline (ISO 8601 UTC) while assigned or returned. */
  deadline: string | null;
  /** Assigned or returned and past its deadline. */
  overdue: boolean;
  assignedAt: string | null;
  handledAt: string | null;
  closedAt: string | null;
  dismissReason: DismissReason | null;
  outcome: CaseOutcome | null;
}

/** The case fields of a violation nobody has acted on yet (what the database defaults a new row to). */
export const NEW_CASE: Readonly<CaseFields> = Object.freeze({
  caseState: 'new',
  version: 1,
  departmentCode: null,
  departmentName: null,
  deadline: null,
  overdue: false,
  assignedAt: null,
  handledAt: null,
  closedAt: null,
  dismissReason: null,
  outcome: null,
});

export interface CaseAttachment {
  id: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  uploadedBy: string | null;
  uploadedAt: string;
  /** The timeline event it was attached to; null until a transition or comment names it. */
  eventId: string | null;
}

/** One entry of a case's timeline: a transition or a comment, who, when and why. */
export interface CaseEvent {
  id: string;
  at: string;
  action: CaseAction;
  fromState: CaseState;
  toState: CaseState;
  actorUsername: string | null;
  actorRole: string | null;
  comment: string | null;
  dismissReason: DismissReason | null;
  departmentCode: string | null;
  deadline: string | null;
  outcome: CaseOutcome | null;
  attachments: CaseAttachment[];
}

/** POST /violations/{id}/transitions. */
export interface CaseTransitionRequest {
  action: CaseAction;
  /** The version the caller saw. */
  version: number;
  /** Free text (required for dismiss with `other`, return and reopen); at most 2,000 characters. */
  comment?: string | null;
  /** dismiss */
  dismissReason?: DismissReason;
  /** assign, reassign: the department's code and the deadline (ISO 8601, in the future). */
  departmentCode?: string;
  deadline?: string;
  /** handle */
  outcome?: CaseOutcome;
  /** Attachments uploaded to this case before, now put on this event. At most 10. */
  attachmentIds?: string[];
}

/** POST /violations/bulk: one action over many cases (confirm, dismiss, assign). At most 500. */
export interface BulkCaseTransitionRequest extends Omit<CaseTransitionRequest, 'version' | 'attachmentIds' | 'outcome'> {
  action: 'confirm' | 'dismiss' | 'assign';
  items: Array<{ id: string; version: number }>;
}

export interface BulkCaseTransitionResult {
  succeeded: Array<{ id: string; version: number; caseState: CaseState }>;
  /** Each failure with the error's stable code and parameters (as ApiError). */
  failed: Array<{ id: string; statusCode: number; code: string; params?: Record<string, unknown> }>;
}

/** An enforcing department (执法部门): registry data an admin edits. */
export interface Department {
  /** Stable short code, e.g. `traffic-police`; users and cases refer to it. */
  code: string;
  /** zh-CN name, e.g. 交警大队. */
  name: string;
  /** Default handling time in hours for a new assignment's deadline. */
  defaultDeadlineHours: number;
  active: boolean;
}

export interface DepartmentInput {
  code?: string;
  name: string;
  defaultDeadlineHours?: number;
  active?: boolean;
}

/** Handling time per department over a period (feeds the monthly ranking's closure rate). */
export interface DepartmentPerformance {
  departmentCode: string;
  departmentName: string;
  assigned: number;
  handled: number;
  handledOnTime: number;
  overdueOpen: number;
  /** Median and mean hours from assignment to handling, null without handled cases. */
  medianHandlingHours: number | null;
  meanHandlingHours: number | null;
}

export const CASE_SORT_FIELDS = ['startedAt', 'severity', 'deadline', 'updatedAt', 'type', 'caseState'] as const;
export type CaseSortField = (typeof CASE_SORT_FIELDS)[number];

/**
 * GET /violations query (every parameter optional): from, to (time range of the start), type
 * (comma list), severity (comma list), caseState (comma list), status (open|closed), townCode,
 * companyId, truckId, plate, departmentCode, overdue (true), sort (CaseSortField), order
 * (asc|desc), page (1-based), pageSize (1–500).
 */
export interface ViolationListQuery {
  from?: string;
  to?: string;
  type?: string;
  severity?: string;
  caseState?: string;
  status?: string;
  townCode?: string;
  companyId?: string;
  truckId?: string;
  plate?: string;
  departmentCode?: string;
  overdue?: string;
  sort?: CaseSortField;
  order?: 'asc' | 'desc';
  page?: string;
  pageSize?: string;
}
