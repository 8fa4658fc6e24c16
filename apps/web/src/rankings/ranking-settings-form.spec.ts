import { describe, expect, it } from 'vitest';
import type { Methodology } from '@muckwatch/contracts';
import { adjustmentInput, emptyAdjustmentForm, methodologyFormFrom, methodologyInput } from './ranking-settings-form.js';

const filled = { ...emptyAdjustmentForm(), townCode: '370305001', reason: '  获市级表扬  ', documentRef: ' 临渣办〔2026〕3号 ' };

describe('adjustment form', () => {
  it('a bonus needs its points; reason and document are trimmed', () => {
    expect(adjustmentInput('2026-05', filled)).toEqual({ missing: 'points' });
    expect(adjustmentInput('2026-05', { ...filled, points: 2 })).toEqual({
      input: { month: '2026-05', townCode: '370305001', kind: 'bonus', points: 2, reason: '获市级表扬', documentRef: '临渣办〔2026〕3号' },
    });
  });
  it('a notification may leave its points to the methodology', () => {
    expect(adjustmentInput('2026-05', { ...filled, kind: 'city_notification' })).toEqual({
      input: { month: '2026-05', townCode: '370305001', kind: 'city_notification', reason: '获市级表扬', documentRef: '临渣办〔2026〕3号' },
    });
  });
  it('a veto needs its ground and sends no points', () => {
    expect(adjustmentInput('2026-05', { ...filled, kind: 'veto', points: 3 })).toEqual({ missing: 'vetoGround' });
    const built = adjustmentInput('2026-05', { ...filled, kind: 'veto', points: 3, vetoGround: 'falsified_data' });
    expect(built).toEqual({
      input: { month: '2026-05', townCode: '370305001', kind: 'veto', vetoGround: 'falsified_data', reason: '获市级表扬', documentRef: '临渣办〔2026〕3号' },
    });
  });
  it('names the first missing field', () => {
    expect(adjustmentInput('2026-05', emptyAdjustmentForm())).toEqual({ missing: 'town' });
    expect(adjustmentInput('2026-05', { ...filled, points: 1, reason: '   ' })).toEqual({ missing: 'reason' });
    expect(adjustmentInput('2026-05', { ...filled, points: 1, documentRef: '' })).toEqual({ missing: 'documentRef' });
  });
});

describe('new methodology version', () => {
  const newest: Methodology = {
    version: 3,
    effectiveFrom: '2026-01',
    note: null,
    createdAt: '2026-01-01T00:00:00Z',
    createdBy: 'admin',
    base: 100,
    items: {
      A: { max: 20, perPointBelow: 1 },
      B: { max: 20, perCase: 1, tripsReference: 200 },
      C: { max: 25, perCase: 3, clearHours: 48, notClearedExtra: 2, recurrenceExtra: 5, recurrenceRadiusM: 200, recurrenceLookbackDays: 90 },
      D: { max: 15, perFinding: 1, areaStepM2: 100, perAreaStep: 0.5 },
      E: { max: 15, fullAtPercent: 95, perPointBelow: 0.5 },
      F: { max: 5, ledgerWeight: 1, coverageWeight: 1, dailyClearanceWeight: 1 },
    },
    finderWeights: { town: 0.5, district: 1, city: 1.5, higher: 2 },
    bonusCap: 3,
    notificationPoints: { city: 2, province: 5, cap: 10 },
    grades: { excellent: 90, good: 80 },
    redListSize: 3,
    blackListSize: 3,
    interviewAfterBlackMonths: 2,
  };
  it('changes only what the form edits and keeps every other parameter of the newest version', () => {
    const form = methodologyFormFrom(newest, '2026-07');
    form.max.C = 30;
    form.max.F = 0;
    form.good = 75;
    form.note = ' 加重倾倒 ';
    const input = methodologyInput(newest, form);
    expect(input.items.C).toEqual({ ...newest.items.C, max: 30 });
    expect(input.items.F).toEqual({ ...newest.items.F, max: 0 });
    expect(input.items.A).toEqual(newest.items.A);
    expect(input.grades).toEqual({ excellent: 90, good: 75 });
    expect(input).toMatchObject({ effectiveFrom: '2026-07', note: '加重倾倒', finderWeights: newest.finderWeights, notificationPoints: newest.notificationPoints });
    expect(input).not.toHaveProperty('version');
  });
});
