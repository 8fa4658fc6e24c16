import { describe, expect, it } from 'vitest';
import {
  CASE_TRANSITIONS,
  type CaseActor,
  type CaseRequest,
  type CaseSnapshot,
  type CaseState,
  actionsFrom,
  allowedActions,
  isOverdue,
  planTransition,
} from './case-workflow.js';

const NOW = Date.UTC(2026, 11, 5, 8, 0, 0);
const HOUR = 3_600_000;
const dispatcher: CaseActor = { role: 'dispatcher', departmentCode: null };
const admin: CaseActor = { role: 'admin', departmentCode: null };
const officer: CaseActor = { role: 'enforcement_officer', departmentCode: 'traffic-police' };
const otherOfficer: CaseActor = { role: 'enforcement_officer', departmentCode: 'ecology' };
const auditor: CaseActor = { role: 'auditor', departmentCode: null };
const townOfficial: CaseActor = { role: 'town_official', departmentCode: null };

const at = (state: CaseState, departmentCode: string | null = null): CaseSnapshot => ({ state, departmentCode });

/** The smallest complete request for each action. */
const valid: Record<keyof typeof CASE_TRANSITIONS, CaseRequest> = {
  confirm: { action: 'confirm' },
  dismiss: { action: 'dismiss', dismissReason: 'gps_drift' },
  assign: { action: 'assign', departmentCode: 'traffic-police', deadlineMs: NOW + 72 * HOUR },
  reassign: { action: 'reassign', departmentCode: 'ecology', deadlineMs: NOW + 24 * HOUR },
  handle: { action: 'handle', outcome: { kind: 'penalty', decisionNumber: '临交罚〔2026〕118号', amountYuan: 2000, penaltyPoints: 3 } },
  return: { action: 'return', comment: '处罚依据不足，请补充现场照片' },
  close: { action: 'close' },
  reopen: { action: 'reopen', comment: '当事人申诉，复核' },
  comment: { action: 'comment', comment: '已电话联系运输企业' },
};

describe('case workflow: every transition of the table', () => {
  const cases: Array<[string, CaseSnapshot, CaseRequest, CaseActor, CaseState, string | null]> = [
    ['new → confirm → confirmed', at('new'), valid.confirm, dispatcher, 'confirmed', null],
    ['new → dismiss → dismissed', at('new'), valid.dismiss, dispatcher, 'dismissed', null],
    ['confirmed → dismiss → dismissed', at('confirmed'), valid.dismiss, admin, 'dismissed', null],
    ['new → assign → assigned', at('new'), valid.assign, dispatcher, 'assigned', 'traffic-police'],
    ['confirmed → assign → assigned', at('confirmed'), valid.assign, dispatcher, 'assigned', 'traffic-police'],
    ['assigned → reassign → assigned (other department)', at('assigned', 'traffic-police'), valid.reassign, dispatcher, 'assigned', 'ecology'],
    ['returned → reassign → assigned', at('returned', 'traffic-police'), valid.reassign, dispatcher, 'assigned', 'ecology'],
    ['assigned → handle (by its department) → handled', at('assigned', 'traffic-police'), valid.handle, officer, 'handled', 'traffic-police'],
    ['returned → handle → handled', at('returned', 'traffic-police'), valid.handle, officer, 'handled', 'traffic-police'],
    ['assigned → handle (admin) → handled', at('assigned', 'traffic-police'), valid.handle, admin, 'handled', 'traffic-police'],
    ['handled → close → closed', at('handled', 'traffic-police'), valid.close, dispatcher, 'closed', 'traffic-police'],
    ['handled → return → returned', at('handled', 'traffic-police'), valid.return, dispatcher, 'returned', 'traffic-police'],
    ['closed → reopen → confirmed', at('closed', 'traffic-police'), valid.reopen, dispatcher, 'confirmed', 'traffic-police'],
    ['dismissed → reopen → confirmed', at('dismissed'), valid.reopen, dispatcher, 'confirmed', null],
    ['assigned → comment (its department) → assigned', at('assigned', 'traffic-police'), valid.comment, officer, 'assigned', 'traffic-police'],
    ['closed → comment (dispatcher) → closed', at('closed'), valid.comment, dispatcher, 'closed', null],
  ];
  for (const [name, snapshot, request, actor, to, department] of cases) {
    it(name, () => {
      expect(planTransition(snapshot, request, actor, NOW)).toEqual({ ok: true, from: snapshot.state, to, departmentCode: department });
    });
  }

  it('covers every (action, from) pair of the table', () => {
    const covered = new Set(cases.map(([, s, r]) => `${r.action}:${s.state}`));
    const missing = Object.entries(CASE_TRANSITIONS)
      .flatMap(([action, rule]) => rule.from.map((from) => `${action}:${from}`))
      .filter((pair) => !covered.has(pair) && !pair.startsWith('comment:'));
    expect(missing).toEqual([]);
  });
});

describe('case workflow: illegal transitions are 409 naming the state and the allowed actions', () => {
  for (const [state, action] of [
    ['new', 'close'],
    ['new', 'handle'],
    ['confirmed', 'confirm'],
    ['assigned', 'close'],
    ['assigned', 'dismiss'],
    ['handled', 'assign'],
    ['closed', 'handle'],
    ['dismissed', 'assign'],
    ['returned', 'close'],
  ] as const) {
    it(`${action} from ${state}`, () => {
      const refusal = planTransition(at(state, 'traffic-police'), valid[action], dispatcher, NOW);
      expect(refusal).toEqual({ code: 'case.illegal_transition', status: 409, params: { state, action, allowed: actionsFrom(state) } });
    });
  }
});

describe('case workflow: who may act', () => {
  it('auditors and town officials never write', () => {
    for (const actor of [auditor, townOfficial]) {
      expect(planTransition(at('new'), valid.confirm, actor, NOW)).toMatchObject({ code: 'case.action_forbidden', status: 403 });
      expect(planTransition(at('assigned', 'traffic-police'), valid.comment, actor, NOW)).toMatchObject({ code: 'case.action_forbidden' });
      expect(allowedActions(at('handled', 'traffic-police'), actor)).toEqual([]);
    }
  });

  it('an officer handles only their own department’s case, and never confirms, assigns or closes', () => {
    expect(planTransition(at('assigned', 'traffic-police'), valid.handle, otherOfficer, NOW)).toMatchObject({ code: 'case.action_forbidden' });
    expect(planTransition(at('new'), valid.confirm, officer, NOW)).toMatchObject({ code: 'case.action_forbidden' });
    expect(planTransition(at('new'), valid.assign, officer, NOW)).toMatchObject({ code: 'case.action_forbidden' });
    expect(planTransition(at('handled', 'traffic-police'), valid.close, officer, NOW)).toMatchObject({ code: 'case.action_forbidden' });
    expect(allowedActions(at('assigned', 'traffic-police'), officer)).toEqual(['handle', 'comment']);
    expect(allowedActions(at('assigned', 'traffic-police'), otherOfficer)).toEqual([]);
  });

  it('a dispatcher may not handle (that is the department’s)', () => {
    expect(planTransition(at('assigned', 'traffic-police'), valid.handle, dispatcher, NOW)).toMatchObject({ code: 'case.action_forbidden' });
    expect(allowedActions(at('new'), dispatcher)).toEqual(['confirm', 'assign', 'dismiss', 'comment']);
  });

  it('checks the state before the role: an auditor closing a new case hears 409', () => {
    expect(planTransition(at('new'), valid.close, auditor, NOW)).toMatchObject({ code: 'case.illegal_transition' });
  });
});

describe('case workflow: what a request must carry', () => {
  const field = (snapshot: CaseSnapshot, request: CaseRequest, actor = dispatcher) => {
    const r = planTransition(snapshot, request, actor, NOW);
    return 'ok' in r ? null : [r.code, 'field' in r.params ? r.params.field : null];
  };

  it('dismiss needs a reason, and `other` a comment', () => {
    expect(field(at('new'), { action: 'dismiss' })).toEqual(['case.field_required', 'dismissReason']);
    expect(field(at('new'), { action: 'dismiss', dismissReason: 'other' })).toEqual(['case.field_required', 'comment']);
    expect(field(at('new'), { action: 'dismiss', dismissReason: 'other', comment: '  ' })).toEqual(['case.field_required', 'comment']);
    expect(field(at('new'), { action: 'dismiss', dismissReason: 'other', comment: '重复上报' })).toBeNull();
  });

  it('assign needs a department and a future deadline; reassign another department', () => {
    expect(field(at('new'), { action: 'assign', deadlineMs: NOW + HOUR })).toEqual(['case.field_required', 'departmentCode']);
    expect(field(at('new'), { action: 'assign', departmentCode: 'ecology' })).toEqual(['case.field_required', 'deadline']);
    expect(field(at('new'), { action: 'assign', departmentCode: 'ecology', deadlineMs: NOW })).toEqual(['case.field_invalid', 'deadline']);
    expect(field(at('new'), { action: 'assign', departmentCode: 'ecology', deadlineMs: NaN })).toEqual(['case.field_invalid', 'deadline']);
    expect(field(at('assigned', 'ecology'), { action: 'reassign', departmentCode: 'ecology', deadlineMs: NOW + HOUR })).toEqual([
      'case.field_invalid',
      'departmentCode',
    ]);
  });

  it('return, reopen and comment need a comment of at most 2,000 characters', () => {
    expect(field(at('handled', 'x'), { action: 'return' })).toEqual(['case.field_required', 'comment']);
    expect(field(at('closed'), { action: 'reopen' })).toEqual(['case.field_required', 'comment']);
    expect(field(at('new'), { action: 'comment', comment: '' })).toEqual(['case.field_required', 'comment']);
    expect(field(at('new'), { action: 'comment', comment: 'x'.repeat(2001) })).toEqual(['case.field_invalid', 'comment']);
  });

  it('handle needs an outcome with what its kind requires, and sane figures', () => {
    const handle = (outcome: CaseRequest['outcome']) => field(at('assigned', 'traffic-police'), { action: 'handle', ...(outcome && { outcome }) }, officer);
    expect(handle(undefined)).toEqual(['case.field_required', 'outcome']);
    expect(handle({ kind: 'penalty' })).toEqual(['case.field_required', 'outcome.decisionNumber']);
    expect(handle({ kind: 'rectification' })).toEqual(['case.field_required', 'outcome.rectification']);
    expect(handle({ kind: 'no_case' })).toEqual(['case.field_required', 'outcome.noCaseReason']);
    expect(handle({ kind: 'no_case', noCaseReason: '证据不足' })).toBeNull();
    expect(handle({ kind: 'penalty', decisionNumber: 'A1', amountYuan: -1 })).toEqual(['case.field_invalid', 'outcome.amountYuan']);
    expect(handle({ kind: 'penalty', decisionNumber: 'A1', penaltyPoints: 13 })).toEqual(['case.field_invalid', 'outcome.penaltyPoints']);
    expect(handle({ kind: 'penalty', decisionNumber: 'A1', penaltyPoints: 1.5 })).toEqual(['case.field_invalid', 'outcome.penaltyPoints']);
  });
});

describe('isOverdue', () => {
  it('only while a department holds the case past its deadline', () => {
    expect(isOverdue('assigned', NOW - 1, NOW)).toBe(true);
    expect(isOverdue('returned', NOW - 1, NOW)).toBe(true);
    expect(isOverdue('assigned', NOW + 1, NOW)).toBe(false);
    expect(isOverdue('assigned', NOW, NOW)).toBe(false);
    expect(isOverdue('assigned', null, NOW)).toBe(false);
    for (const state of ['new', 'confirmed', 'dismissed', 'handled', 'closed'] as const) expect(isOverdue(state, NOW - HOUR, NOW)).toBe(false);
  });
});
