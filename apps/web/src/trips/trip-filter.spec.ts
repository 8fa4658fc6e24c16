import { describe, expect, it } from 'vitest';
import { apiQueryFromFilter, emptyFilter, filterFromQuery, queryFromFilter, replayLocation, sortFromTable } from './trip-filter.js';

describe('the trips page URL', () => {
  it('reads the truck panel’s link and writes it back unchanged', () => {
    const query = { truck: '鲁C12345', from: '2026-11-26T00:00:00.000Z', to: '2026-11-27T00:00:00.000Z' };
    const filter = filterFromQuery(query);
    expect(filter).toMatchObject({ truck: '鲁C12345', from: query.from, to: query.to, page: 1 });
    expect(queryFromFilter(filter)).toEqual(query);
  });

  it('drops what the API would refuse, keeps the rest', () => {
    const filter = filterFromQuery({ status: 'closed,done,open,closed', violations: 'maybe', sort: 'load', from: 'yesterday', page: '0', pageSize: '33' });
    expect(filter).toMatchObject({ statuses: ['closed', 'open'], violations: null, sort: null, from: null, page: 1, pageSize: 20 });
    expect(filterFromQuery({ violations: 'false' }).violations).toBe(false);
  });

  it('asks the API for the page, and for the whole filter when totalling or exporting', () => {
    const filter = { ...emptyFilter(), companyId: 'c', statuses: ['unclosed' as const], page: 3, pageSize: 50, ...sortFromTable('distance', 'ascending') };
    expect(apiQueryFromFilter(filter)).toEqual({ companyId: 'c', status: 'unclosed', sort: 'distance', order: 'asc', page: '3', pageSize: '50' });
    expect(apiQueryFromFilter(filter, false)).toEqual({ companyId: 'c', status: 'unclosed', sort: 'distance', order: 'asc' });
  });

  it('replays a trip: its truck over its period, to now while it is under way', () => {
    const start = { at: '2026-11-26T02:00:00.000Z', lon: 118.3, lat: 36.8 };
    expect(replayLocation({ truckId: 'u-1', terminalId: 'T1', start, end: { at: '2026-11-26T03:00:00.000Z', lon: 118.4, lat: 36.9 } }, 0)).toEqual({
      path: '/replay',
      query: { truck: 'u-1', from: start.at, to: '2026-11-26T03:00:00.000Z' },
    });
    expect(replayLocation({ truckId: null, terminalId: 'T1', start, end: null }, Date.parse('2026-11-26T04:00:00Z')).query).toEqual({ truck: 'T1', from: start.at, to: '2026-11-26T04:00:00.000Z' });
  });
});
