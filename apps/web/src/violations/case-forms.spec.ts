import { describe, expect, it } from 'vitest';
import { attachmentProblem, commentRequired, defaultDeadline, emptyForm, formFields, transitionRequest, validateForm } from './case-forms.js';

const NOW = Date.parse('2026-12-05T08:00:00Z');

describe('the form each case action opens', () => {
  it('asks a dismissal for its reason, an assignment for department and deadline, a handling report for the outcome', () => {
    expect(formFields('dismiss')).toEqual(['dismissReason', 'comment', 'attachments']);
    expect(formFields('assign')).toEqual(['department', 'deadline', 'comment', 'attachments']);
    expect(formFields('reassign')).toEqual(['department', 'deadline', 'comment', 'attachments']);
    expect(formFields('handle')).toEqual(['outcome', 'comment', 'attachments']);
    expect(formFields('confirm')).toEqual(['comment', 'attachments']);
  });

  it('requires a comment to return, reopen, comment, or dismiss for "other"', () => {
    expect(commentRequired('return', null)).toBe(true);
    expect(commentRequired('reopen', null)).toBe(true);
    expect(commentRequired('comment', null)).toBe(true);
    expect(commentRequired('dismiss', 'other')).toBe(true);
    expect(commentRequired('dismiss', 'gps_drift')).toBe(false);
    expect(commentRequired('close', null)).toBe(false);
  });

  it('defaults the deadline to the department’s handling time from now', () => {
    expect(defaultDeadline({ defaultDeadlineHours: 72 }, NOW)).toBe('2026-12-08T08:00:00.000Z');
    expect(defaultDeadline(null, NOW)).toBeNull();
  });
});

describe('validating a form', () => {
  it('refuses an assignment without department or with a deadline already past', () => {
    expect(validateForm('assign', emptyForm(), NOW)).toEqual(['departmentRequired', 'deadlineRequired']);
    expect(validateForm('assign', { ...emptyForm(), departmentCode: 'tp', deadline: '2026-12-05T07:00:00Z' }, NOW)).toEqual(['deadlineInPast']);
  });

  it('wants the decision number for a penalty, the order for a rectification, the reason for no case', () => {
    expect(validateForm('handle', { ...emptyForm(), outcomeKind: 'penalty' }, NOW)).toEqual(['decisionNumberRequired']);
    expect(validateForm('handle', { ...emptyForm(), outcomeKind: 'rectification' }, NOW)).toEqual(['rectificationRequired']);
    expect(validateForm('handle', { ...emptyForm(), outcomeKind: 'no_case' }, NOW)).toEqual(['noCaseReasonRequired']);
    expect(validateForm('handle', { ...emptyForm(), outcomeKind: 'penalty', decisionNumber: '临综执罚〔2026〕12号', penaltyPoints: 1.5 }, NOW)).toEqual(['pointsInvalid']);
  });

  it('wants the dismiss reason, and the comment when the reason is "other"', () => {
    expect(validateForm('dismiss', emptyForm(), NOW)).toEqual(['dismissReasonRequired']);
    expect(validateForm('dismiss', { ...emptyForm(), dismissReason: 'other' }, NOW)).toEqual(['commentRequired']);
    expect(validateForm('dismiss', { ...emptyForm(), dismissReason: 'gps_drift' }, NOW)).toEqual([]);
  });
});

describe('the request sent', () => {
  it('carries the version seen and only the fields of its action', () => {
    const values = { ...emptyForm(), comment: ' 请核实 ', dismissReason: 'duplicate' as const, departmentCode: 'tp', attachmentIds: ['a1'] };
    expect(transitionRequest('dismiss', 4, values)).toEqual({ action: 'dismiss', version: 4, comment: '请核实', dismissReason: 'duplicate', attachmentIds: ['a1'] });
  });

  it('sends a penalty with its decision number, fine and points, and nothing of the other outcomes', () => {
    const values = { ...emptyForm(), outcomeKind: 'penalty' as const, decisionNumber: 'D-12', amountYuan: 2000, penaltyPoints: 3, rectification: 'x' };
    expect(transitionRequest('handle', 2, values).outcome).toEqual({ kind: 'penalty', decisionNumber: 'D-12', amountYuan: 2000, penaltyPoints: 3, rectification: null, noCaseReason: null });
  });
});

describe('attachments', () => {
  it('takes photos and PDFs up to 10 MiB', () => {
    expect(attachmentProblem({ type: 'image/jpeg', size: 1000 })).toBeNull();
    expect(attachmentProblem({ type: 'application/pdf', size: 11 * 1024 * 1024 })).toBe('attachmentSize');
    expect(attachmentProblem({ type: 'application/zip', size: 10 })).toBe('attachmentType');
  });
});
