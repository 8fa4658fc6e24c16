import type { CaseAction, CaseOutcome, CaseTransitionRequest, Department, DismissReason, OutcomeKind } from '@muckwatch/contracts';

/** The actions the dispatcher can take on many cases at once (POST /violations/bulk). */
export type BulkAction = 'confirm' | 'dismiss' | 'assign';

/** A field of the form an action opens. */
export type CaseFormField = 'dismissReason' | 'department' | 'deadline' | 'outcome' | 'comment' | 'attachments';

/** What the user typed into an action's form. */
export interface CaseFormValues {
  comment: string;
  dismissReason: DismissReason | null;
  departmentCode: string | null;
  /** ISO instant. */
  deadline: string | null;
  outcomeKind: OutcomeKind | null;
  decisionNumber: string;
  amountYuan: number | null;
  penaltyPoints: number | null;
  rectification: string;
  noCaseReason: string;
  attachmentIds: string[];
}

export const MAX_COMMENT_LENGTH = 2000;
export const MAX_ATTACHMENTS = 10;

/** The fields each action's form shows, in order. Every action can carry a comment and attachments. */
export function formFields(action: CaseAction): CaseFormField[] {
  switch (action) {
    case 'dismiss':
      return ['dismissReason', 'comment', 'attachments'];
    case 'assign':
    case 'reassign':
      return ['department', 'deadline', 'comment', 'attachments'];
    case 'handle':
      return ['outcome', 'comment', 'attachments'];
    default:
      return ['comment', 'attachments'];
  }
}

/** Whether the comment must be filled in for this action (and dismiss reason). */
export function commentRequired(action: CaseAction, dismissReason: DismissReason | null): boolean {
  return action === 'return' || action === 'reopen' || action === 'comment' || (action === 'dismiss' && dismissReason === 'other');
}

export function emptyForm(): CaseFormValues {
  return {
    comment: '',
    dismissReason: null,
    departmentCode: null,
    deadline: null,
    outcomeKind: null,
    decisionNumber: '',
    amountYuan: null,
    penaltyPoints: null,
    rectification: '',
    noCaseReason: '',
    attachmentIds: [],
  };
}

/** A new assignment's deadline: now plus the department's default handling time. */
export function defaultDeadline(department: Pick<Department, 'defaultDeadlineHours'> | null | undefined, nowMs: number): string | null {
  if (!department) return null;
  return new Date(nowMs + department.defaultDeadlineHours * 3_600_000).toISOString();
}

/** Message keys (under `cases.form.errors`) of what is missing or wrong; empty when the form may be sent. */
export function validateForm(action: CaseAction, values: CaseFormValues, nowMs: number): string[] {
  const errors: string[] = [];
  const fields = formFields(action);
  if (fields.includes('dismissReason') && !values.dismissReason) errors.push('dismissReasonRequired');
  if (fields.includes('department') && !values.departmentCode) errors.push('departmentRequired');
  if (fields.includes('deadline')) {
    if (!values.deadline) errors.push('deadlineRequired');
    else if (Date.parse(values.deadline) <= nowMs) errors.push('deadlineInPast');
  }
  if (fields.includes('outcome')) {
    if (!values.outcomeKind) errors.push('outcomeRequired');
    if (values.outcomeKind === 'penalty' && !values.decisionNumber.trim()) errors.push('decisionNumberRequired');
    if (values.outcomeKind === 'rectification' && !values.rectification.trim()) errors.push('rectificationRequired');
    if (values.outcomeKind === 'no_case' && !values.noCaseReason.trim()) errors.push('noCaseReasonRequired');
    if (values.amountYuan !== null && !(values.amountYuan >= 0)) errors.push('amountInvalid');
    if (values.penaltyPoints !== null && !(Number.isInteger(values.penaltyPoints) && values.penaltyPoints >= 0)) errors.push('pointsInvalid');
  }
  if (commentRequired(action, values.dismissReason) && !values.comment.trim()) errors.push('commentRequired');
  if (values.comment.length > MAX_COMMENT_LENGTH) errors.push('commentTooLong');
  if (values.attachmentIds.length > MAX_ATTACHMENTS) errors.push('tooManyAttachments');
  return errors;
}

function outcomeOf(values: CaseFormValues): CaseOutcome {
  const kind = values.outcomeKind!;
  const text = (value: string): string | null => (value.trim() ? value.trim() : null);
  return {
    kind,
    decisionNumber: kind === 'penalty' ? text(values.decisionNumber) : null,
    amountYuan: kind === 'penalty' ? values.amountYuan : null,
    penaltyPoints: kind === 'penalty' ? values.penaltyPoints : null,
    rectification: kind === 'rectification' ? text(values.rectification) : null,
    noCaseReason: kind === 'no_case' ? text(values.noCaseReason) : null,
  };
}

/** The request body for an action's form: only the fields the action takes, with the version the user saw. */
export function transitionRequest(action: CaseAction, version: number, values: CaseFormValues): CaseTransitionRequest {
  const fields = formFields(action);
  const request: CaseTransitionRequest = { action, version };
  const comment = values.comment.trim();
  if (comment) request.comment = comment;
  if (fields.includes('dismissReason') && values.dismissReason) request.dismissReason = values.dismissReason;
  if (fields.includes('department') && values.departmentCode) request.departmentCode = values.departmentCode;
  if (fields.includes('deadline') && values.deadline) request.deadline = values.deadline;
  if (fields.includes('outcome') && values.outcomeKind) request.outcome = outcomeOf(values);
  if (values.attachmentIds.length) request.attachmentIds = [...values.attachmentIds];
  return request;
}

/** Files an attachment may be: photos and PDF documents. */
export const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;
export const ATTACHMENT_ACCEPT = ATTACHMENT_TYPES.join(',');
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** Why a chosen file cannot be uploaded (message key under `cases.form.errors`), or null when it can. */
export function attachmentProblem(file: { type: string; size: number }): string | null {
  if (!(ATTACHMENT_TYPES as readonly string[]).includes(file.type)) return 'attachmentType';
  if (file.size > MAX_ATTACHMENT_BYTES) return 'attachmentSize';
  return null;
}
