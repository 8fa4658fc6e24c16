import { describe, expect, it } from 'vitest';
import {
  FINDING_TRANSITIONS,
  PILE_TRANSITIONS,
  REQUEST_TRANSITIONS,
  allowedTargets,
  findingOverdue,
  fulfilledSameDay,
  pileOverdue,
  planLedgerTransition,
} from './ledger-workflow.js';

describe('waste pile workflow (既有建筑垃圾堆)', () => {
  it('a town starts work on a registered pile', () => {
    expect(planLedgerTransition(PILE_TRANSITIONS, 'registered', 'in_progress', 'town_official')).toEqual({ ok: true, from: 'registered', to: 'in_progress' });
  });
  it('a town reports a pile cleared or covered, from registered or in progress', () => {
    for (const from of ['registered', 'in_progress'] as const) {
      for (const to of ['cleared', 'covered'] as const) expect(planLedgerTransition(PILE_TRANSITIONS, from, to, 'town_official').ok).toBe(true);
    }
  });
  it('only the muck office verifies a cleared or covered pile', () => {
    expect(planLedgerTransition(PILE_TRANSITIONS, 'cleared', 'verified', 'dispatcher').ok).toBe(true);
    expect(planLedgerTransition(PILE_TRANSITIONS, 'covered', 'verified', 'admin').ok).toBe(true);
    expect(planLedgerTransition(PILE_TRANSITIONS, 'cleared', 'verified', 'town_official')).toMatchObject({ ok: false, refusal: 'forbidden' });
  });
  it('only the muck office sends a cleared pile back to work', () => {
    expect(planLedgerTransition(PILE_TRANSITIONS, 'cleared', 'in_progress', 'dispatcher').ok).toBe(true);
    expect(planLedgerTransition(PILE_TRANSITIONS, 'covered', 'in_progress', 'town_official')).toMatchObject({ ok: false, refusal: 'forbidden' });
  });
  it('a registered pile cannot be verified before it is cleared or covered', () => {
    expect(planLedgerTransition(PILE_TRANSITIONS, 'registered', 'verified', 'admin')).toMatchObject({
      ok: false,
      refusal: 'illegal_transition',
      allowed: ['in_progress', 'cleared', 'covered'],
    });
  });
  it('a verified pile is final', () => {
    for (const role of ['admin', 'dispatcher', 'town_official'] as const) expect(allowedTargets(PILE_TRANSITIONS, 'verified', role)).toEqual([]);
  });
  it('auditors and enforcement officers change nothing', () => {
    for (const role of ['auditor', 'enforcement_officer'] as const) {
      expect(allowedTargets(PILE_TRANSITIONS, 'registered', role)).toEqual([]);
      expect(planLedgerTransition(PILE_TRANSITIONS, 'registered', 'cleared', role)).toMatchObject({ ok: false, refusal: 'forbidden' });
    }
  });
});

describe('finding workflow (巡查发现)', () => {
  it('a town starts rectifying an open finding and reports it rectified', () => {
    expect(planLedgerTransition(FINDING_TRANSITIONS, 'open', 'rectifying', 'town_official').ok).toBe(true);
    expect(planLedgerTransition(FINDING_TRANSITIONS, 'rectifying', 'rectified', 'town_official').ok).toBe(true);
    expect(planLedgerTransition(FINDING_TRANSITIONS, 'open', 'rectified', 'town_official').ok).toBe(true);
  });
  it('only the muck office verifies a rectified finding, or sends it back', () => {
    expect(planLedgerTransition(FINDING_TRANSITIONS, 'rectified', 'verified', 'dispatcher').ok).toBe(true);
    expect(planLedgerTransition(FINDING_TRANSITIONS, 'rectified', 'verified', 'town_official')).toMatchObject({ ok: false, refusal: 'forbidden' });
    expect(planLedgerTransition(FINDING_TRANSITIONS, 'rectified', 'rectifying', 'admin').ok).toBe(true);
    expect(planLedgerTransition(FINDING_TRANSITIONS, 'rectified', 'rectifying', 'town_official')).toMatchObject({ ok: false, refusal: 'forbidden' });
  });
  it('an open finding cannot be verified', () => {
    expect(planLedgerTransition(FINDING_TRANSITIONS, 'open', 'verified', 'admin')).toMatchObject({ ok: false, refusal: 'illegal_transition' });
  });
  it('a verified finding is final', () => {
    expect(allowedTargets(FINDING_TRANSITIONS, 'verified', 'admin')).toEqual([]);
  });
});

describe('collection request workflow (收集申请)', () => {
  it('a town dispatches a requested collection, and may dispatch another truck', () => {
    expect(planLedgerTransition(REQUEST_TRANSITIONS, 'requested', 'dispatched', 'town_official').ok).toBe(true);
    expect(planLedgerTransition(REQUEST_TRANSITIONS, 'dispatched', 'dispatched', 'town_official').ok).toBe(true);
  });
  it('a requested or dispatched collection may be cancelled; a fulfilled one not', () => {
    expect(planLedgerTransition(REQUEST_TRANSITIONS, 'requested', 'cancelled', 'town_official').ok).toBe(true);
    expect(planLedgerTransition(REQUEST_TRANSITIONS, 'dispatched', 'cancelled', 'dispatcher').ok).toBe(true);
    expect(planLedgerTransition(REQUEST_TRANSITIONS, 'fulfilled', 'cancelled', 'admin')).toMatchObject({ ok: false, refusal: 'illegal_transition' });
  });
  it('no person marks a request fulfilled: only the GPS check does', () => {
    for (const role of ['admin', 'dispatcher', 'town_official'] as const) {
      expect(planLedgerTransition(REQUEST_TRANSITIONS, 'dispatched', 'fulfilled', role)).toMatchObject({ ok: false, refusal: 'forbidden' });
    }
    expect(planLedgerTransition(REQUEST_TRANSITIONS, 'dispatched', 'fulfilled', 'gps').ok).toBe(true);
    expect(planLedgerTransition(REQUEST_TRANSITIONS, 'requested', 'fulfilled', 'gps')).toMatchObject({ ok: false, refusal: 'illegal_transition' });
  });
});

describe('deadlines and same-day clearance (日产日清)', () => {
  it('a pile past its deadline is overdue until cleared or covered', () => {
    expect(pileOverdue('in_progress', '2026-11-30', '2026-12-01')).toBe(true);
    expect(pileOverdue('in_progress', '2026-12-01', '2026-12-01')).toBe(false);
    expect(pileOverdue('cleared', '2026-11-30', '2026-12-01')).toBe(false);
    expect(pileOverdue('registered', null, '2026-12-01')).toBe(false);
  });
  it('a finding past its deadline is overdue until rectified', () => {
    expect(findingOverdue('open', '2026-11-30', '2026-12-01')).toBe(true);
    expect(findingOverdue('rectified', '2026-11-30', '2026-12-01')).toBe(false);
  });
  it('fulfilled within 24 hours of the request is same-day; later or never is not', () => {
    const requested = Date.UTC(2026, 11, 1, 2);
    expect(fulfilledSameDay(requested, requested + 24 * 3_600_000)).toBe(true);
    expect(fulfilledSameDay(requested, requested + 24 * 3_600_000 + 1)).toBe(false);
    expect(fulfilledSameDay(requested, null)).toBe(false);
  });
});
