import { describe, expect, it } from 'vitest';
import { addMonths, isMonth, officeDayStart, officeMonthOf, officeMonthRange } from './office-time.js';

describe('office months', () => {
  it('gives a month of the office as UTC instants', () => {
    expect(officeMonthRange('2026-11')).toEqual({ from: '2026-10-31T16:00:00.000Z', to: '2026-11-30T16:00:00.000Z' });
    expect(officeMonthRange('2026-12').to).toBe('2026-12-31T16:00:00.000Z');
  });

  it('follows the zone it is given (a zone with summer time)', () => {
    expect(officeMonthRange('2026-07', 'Europe/Berlin')).toEqual({ from: '2026-06-30T22:00:00.000Z', to: '2026-07-31T22:00:00.000Z' });
  });

  it('names the month of an instant in the office', () => {
    expect(officeMonthOf(Date.parse('2026-10-31T16:00:00Z'))).toBe('2026-11');
    expect(officeMonthOf(Date.parse('2026-10-31T15:59:59Z'))).toBe('2026-10');
  });

  it('accepts only yyyy-mm', () => {
    for (const bad of ['2026-13', '2026-00', '26-01', '../x', '2026-1', '2026-01-01', '', 202601, null]) expect(isMonth(bad)).toBe(false);
    expect(isMonth('2026-01')).toBe(true);
    expect(() => officeMonthRange('2026-13')).toThrow(RangeError);
  });

  it('steps months across years', () => {
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-05', -24)).toBe('2024-05');
  });
});

describe('officeDayStart', () => {
  it('is Shanghai midnight, the evening before in UTC', () => {
    expect(new Date(officeDayStart(Date.parse('2026-11-26T03:00:00Z'))).toISOString()).toBe('2026-11-25T16:00:00.000Z');
    expect(new Date(officeDayStart(Date.parse('2026-11-26T17:00:00Z'))).toISOString()).toBe('2026-11-26T16:00:00.000Z');
  });
});
