import { describe, expect, it } from 'vitest';
import { officeDays, siteTotals } from './trips.service.js';
import { parseTripFilter } from './trip-query.js';

describe('trip totals', () => {
  it('lists every office day of the period, counted in Asia/Shanghai', () => {
    // 2026-11-25T16:30Z is already the 26th in the office; 2026-11-27T15:59Z still the 27th.
    expect(officeDays(new Date('2026-11-25T16:30:00Z'), new Date('2026-11-27T15:59:00Z'))).toEqual(['2026-11-26', '2026-11-27']);
    expect(officeDays(new Date('2026-11-25T15:30:00Z'), new Date('2026-11-25T15:40:00Z'))).toEqual(['2026-11-25']);
    expect(officeDays(new Date('2026-12-30T00:00:00Z'), new Date('2027-01-02T00:00:00Z'))).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
  });

  it('folds states into one total per place, most trips first, trips without a place kept', () => {
    const totals = siteTotals([
      { id: 'a', name: '东工地', status: 'closed', trips: 2, distance_m: 1000.4 },
      { id: 'b', name: '西工地', status: 'closed', trips: 1, distance_m: 10 },
      { id: 'a', name: '东工地', status: 'unclosed', trips: 1, distance_m: 500 },
      { id: null, name: null, status: 'open', trips: 3, distance_m: 0 },
    ]);
    expect(totals).toEqual([
      { id: 'a', name: '东工地', trips: 3, distanceM: 1500, open: 0, closed: 2, unclosed: 1, abandoned: 0 },
      { id: null, name: null, trips: 3, distanceM: 0, open: 3, closed: 0, unclosed: 0, abandoned: 0 },
      { id: 'b', name: '西工地', trips: 1, distanceM: 10, open: 0, closed: 1, unclosed: 0, abandoned: 0 },
    ]);
  });
});

describe('trip filter', () => {
  const bad = (query: Record<string, string>): unknown => {
    try {
      parseTripFilter(query);
    } catch (error) {
      return (error as { getResponse(): unknown }).getResponse();
    }
    return null;
  };

  it('reads a truck as an id, or as a terminal id or plate', () => {
    expect(parseTripFilter({ truck: '0E0B7C4A-1B2C-4D5E-8F90-A1B2C3D4E5F6' }).truck).toEqual({ id: '0e0b7c4a-1b2c-4d5e-8f90-a1b2c3d4e5f6' });
    expect(parseTripFilter({ truck: '鲁C12345' }).truck).toEqual({ ref: '鲁C12345' });
    expect(parseTripFilter({ truck: 'sim-0042_a' }).truck).toEqual({ ref: 'sim-0042_a' });
  });

  it('refuses each bad parameter with a 400 naming it', () => {
    expect(bad({ status: 'done' })).toMatchObject({ code: 'query.invalid', field: 'status' });
    expect(bad({ status: 'open,closed,open,closed,open' })).toMatchObject({ field: 'status' });
    expect(bad({ violations: 'yes' })).toMatchObject({ code: 'query.invalid', field: 'violations' });
    expect(bad({ truck: "'; DROP TABLE trips; --" })).toMatchObject({ field: 'truck' });
    expect(bad({ companyId: 'x' })).toMatchObject({ field: 'companyId' });
    expect(bad({ originId: '1' })).toMatchObject({ field: 'originId' });
    expect(bad({ destinationId: '1' })).toMatchObject({ field: 'destinationId' });
    expect(bad({ townCode: 'abc' })).toMatchObject({ field: 'townCode' });
    expect(bad({ sort: 'load' })).toMatchObject({ field: 'sort' });
    expect(bad({ order: 'up' })).toMatchObject({ field: 'order' });
    expect(bad({ from: '2026-01-01T00:00:00Z', to: '2027-01-03T00:00:00Z' })).toMatchObject({ code: 'input.range_too_long', field: 'to' });
    expect(bad({ from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' })).toMatchObject({ code: 'input.range_reversed' });
    expect(bad({ from: '2026-01-01' })).toMatchObject({ code: 'input.time_invalid', field: 'from' });
  });
});
