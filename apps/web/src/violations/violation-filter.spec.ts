import { describe, expect, it } from 'vitest';
import { apiQueryFromFilter, emptyFilter, filterFromQuery, queryFromFilter, sortFromTable, tableSort } from './violation-filter.js';

describe('the violations page URL', () => {
  it('gives a plain list a plain URL', () => {
    expect(queryFromFilter(emptyFilter())).toEqual({});
    expect(filterFromQuery({})).toEqual(emptyFilter());
  });

  it('round-trips a filtered, sorted, paged list through the URL, so it can be sent as a link', () => {
    const filter = {
      ...emptyFilter(),
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-30T16:00:00.000Z',
      types: ['illegal_dumping', 'overspeed'] as const,
      severities: ['high'] as const,
      caseStates: ['assigned', 'returned'] as const,
      townCode: '370305001',
      companyId: 'c-1',
      plate: '鲁C',
      departmentCode: 'traffic-police',
      overdue: true,
      sort: 'deadline' as const,
      order: 'asc' as const,
      page: 3,
      pageSize: 50,
    };
    const query = queryFromFilter({ ...filter, types: [...filter.types], severities: [...filter.severities], caseStates: [...filter.caseStates] });
    expect(query).toMatchObject({ type: 'illegal_dumping,overspeed', caseState: 'assigned,returned', overdue: 'true', sort: 'deadline', order: 'asc', page: '3', pageSize: '50' });
    expect(filterFromQuery(query)).toEqual(filter);
  });

  it('ignores what it does not know: unknown types and states, bad times, odd page sizes, unknown sort fields', () => {
    const filter = filterFromQuery({ type: 'overspeed,flying', caseState: ['new', 'lost'], from: 'yesterday', page: '-2', pageSize: '7', sort: 'plate', overdue: '1' });
    expect(filter).toMatchObject({ types: ['overspeed'], caseStates: ['new'], from: null, page: 1, pageSize: 20, sort: null, overdue: false });
  });

  it('sends the API the whole filter, and leaves the paging out of the export', () => {
    const filter = { ...filterFromQuery({ type: 'overload', page: '2' }) };
    expect(apiQueryFromFilter(filter)).toEqual({ type: 'overload', page: '2', pageSize: '20' });
    expect(apiQueryFromFilter(filter, false)).toEqual({ type: 'overload' });
  });
});

describe('sorting by column', () => {
  it('maps the table header click to the API sort, and back', () => {
    expect(sortFromTable('severity', 'ascending')).toEqual({ sort: 'severity', order: 'asc' });
    expect(sortFromTable('severity', null)).toEqual({ sort: null, order: 'desc' });
    expect(sortFromTable('plate', 'descending')).toEqual({ sort: null, order: 'desc' });
    expect(tableSort({ ...emptyFilter(), sort: 'deadline', order: 'asc' })).toEqual({ prop: 'deadline', order: 'ascending' });
  });
});
