import { describe, expect, it } from 'vitest';
import { DEFAULT_METHODOLOGY, validateMethodology } from './default-methodology.js';
import type { Methodology } from './model.js';

const edit = (change: (m: Methodology) => void): Methodology => {
  const m = structuredClone(DEFAULT_METHODOLOGY);
  change(m);
  return m;
};

describe('validateMethodology', () => {
  it('accepts the default: items sum to the base of 100', () => {
    expect(validateMethodology(DEFAULT_METHODOLOGY)).toEqual([]);
    expect(Object.values(DEFAULT_METHODOLOGY.items).reduce((s, i) => s + i.max, 0)).toBe(100);
  });

  it('names each problem by a stable code and the field', () => {
    expect(validateMethodology(edit((m) => (m.items.C.perCase = -3)))).toEqual(['negative:items.C.perCase']);
    expect(validateMethodology(edit((m) => (m.bonusCap = Number.NaN)))).toEqual(['not_finite:bonusCap']);
    expect(validateMethodology(edit((m) => (m.effectiveFrom = '2026-13')))).toEqual(['effective_from_format']);
    expect(validateMethodology(edit((m) => (m.items.A.max = 25)))).toEqual(['items_sum_not_base']);
    expect(validateMethodology(edit((m) => (m.finderWeights = { town: 0, district: 0, city: 0, higher: 0 })))).toEqual(['finder_weights_zero']);
    expect(validateMethodology(edit((m) => Object.assign(m.items.F, { ledgerWeight: 0, coverageWeight: 0, dailyClearanceWeight: 0 })))).toEqual(['f_weights_zero']);
    expect(validateMethodology(edit((m) => (m.items.D.areaStepM2 = 0)))).toEqual(['not_positive:items.D.areaStepM2']);
    expect(validateMethodology(edit((m) => (m.grades = { excellent: 80, good: 90 })))).toEqual(['grades_order']);
    expect(validateMethodology(edit((m) => (m.redListSize = 2.5)))).toEqual(['not_integer:redListSize']);
    expect(validateMethodology(edit((m) => (m.items.E.fullAtPercent = 120)))).toEqual(['percent_range:items.E.fullAtPercent']);
    expect(validateMethodology(edit((m) => (m.version = 0)))).toEqual(['version_not_positive']);
  });

  it('accepts an item switched off with max 0 when the rest still sum to the base', () => {
    expect(validateMethodology(edit((m) => Object.assign(m.items, { F: { ...m.items.F, max: 0 }, A: { ...m.items.A, max: 25 } })))).toEqual([]);
  });
});
