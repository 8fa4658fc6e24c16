import { describe, expect, it } from 'vitest';
import type { CollectionPoint } from '@muckwatch/contracts';
import { villagesOfTown } from '@muckwatch/linzi';
import {
  apiQueryFromLedgerFilter,
  canWriteLedgers,
  emptyLedgerFilter,
  historyHeadline,
  ledgerFilterFromQuery,
  markerLatLng,
  parseTypedPoint,
  percent,
  photoProblem,
  PILE_STATUS_VALUES,
  pointText,
  polygonProblem,
  queryFromLedgerFilter,
  requestActions,
  sameDayVerdict,
  uncoveredVillages,
  villageShortName,
} from './ledger-view.js';

describe('a ledger list’s URL', () => {
  it('gives a plain list a plain URL, and the API always gets the page', () => {
    expect(queryFromLedgerFilter(emptyLedgerFilter())).toEqual({});
    expect(ledgerFilterFromQuery({}, PILE_STATUS_VALUES)).toEqual(emptyLedgerFilter());
    expect(apiQueryFromLedgerFilter(emptyLedgerFilter())).toEqual({ page: '1', pageSize: '20' });
  });

  it('round-trips a filtered, paged pile list, so it can be sent as a link', () => {
    const filter = { ...emptyLedgerFilter(), townCode: '370305001', status: 'in_progress', overdue: true, page: 3, pageSize: 50 };
    const query = queryFromLedgerFilter(filter);
    expect(query).toEqual({ townCode: '370305001', status: 'in_progress', overdue: 'true', page: '3', pageSize: '50' });
    expect(ledgerFilterFromQuery(query, PILE_STATUS_VALUES)).toEqual(filter);
    // The API filters the overdue records itself: the list asks for them like any other filter.
    expect(apiQueryFromLedgerFilter(filter)).toEqual({ townCode: '370305001', status: 'in_progress', overdue: 'true', page: '3', pageSize: '50' });
  });

  it('drops what it does not know: another ledger’s status, a made-up kind, a bad town code or page', () => {
    const filter = ledgerFilterFromQuery({ status: 'rectified', kind: 'fire', finder: 'city', townCode: "x' or 1=1", page: '-2', pageSize: '7' }, PILE_STATUS_VALUES);
    expect(filter).toEqual({ ...emptyLedgerFilter(), finder: 'city' });
  });
});

describe('a location typed by hand', () => {
  it('reads "lon, lat" with a Chinese comma or spaces', () => {
    expect(parseTypedPoint('118.3012, 36.8231')).toEqual({ ok: true, point: { type: 'Point', coordinates: [118.3012, 36.8231] } });
    expect(parseTypedPoint(' 118.3012，36.8231 ')).toEqual({ ok: true, point: { type: 'Point', coordinates: [118.3012, 36.8231] } });
    expect(parseTypedPoint('118.3012 36.8231')).toEqual({ ok: true, point: { type: 'Point', coordinates: [118.3012, 36.8231] } });
  });

  it('turns a pair typed lat-first round, when only that reading is near Linzi', () => {
    expect(parseTypedPoint('36.8231, 118.3012')).toEqual({ ok: true, point: { type: 'Point', coordinates: [118.3012, 36.8231] } });
  });

  it('says what is wrong with anything else', () => {
    expect(parseTypedPoint('')).toEqual({ ok: false, reason: 'empty' });
    expect(parseTypedPoint('118.3')).toEqual({ ok: false, reason: 'format' });
    expect(parseTypedPoint('北纬36, 东经118')).toEqual({ ok: false, reason: 'format' });
    expect(parseTypedPoint('116.40, 39.90')).toEqual({ ok: false, reason: 'range' });
  });

  it('shows a point back with six decimals', () => {
    expect(pointText({ type: 'Point', coordinates: [118.3, 36.82] })).toBe('118.300000, 36.820000');
    expect(pointText(null)).toBe('');
  });
});

describe('shapes on the map', () => {
  const square = { type: 'Polygon' as const, coordinates: [[[118, 36], [118.2, 36], [118.2, 36.2], [118, 36.2], [118, 36]]] };

  it('puts a polygon’s marker at the mean of its vertices, a point’s on it ([lat, lng])', () => {
    expect(markerLatLng(square)).toEqual([36.1, 118.1]);
    expect(markerLatLng({ type: 'Point', coordinates: [118.3, 36.8] })).toEqual([36.8, 118.3]);
  });

  it('refuses an outline of fewer than three vertices', () => {
    expect(polygonProblem(square)).toBeNull();
    expect(polygonProblem({ type: 'Polygon', coordinates: [[[118, 36], [118.2, 36], [118, 36]]] })).toBe('too_few');
  });
});

describe('collection-point coverage of a town’s villages', () => {
  const town = '370305001';
  const [first, second] = villagesOfTown(town);
  const point = (villageCode: string | null, active: boolean, townCode = town): CollectionPoint => ({
    id: `p-${villageCode}-${active}`,
    townCode,
    townName: '',
    villageCode,
    villageName: null,
    name: 'p',
    location: { type: 'Point', coordinates: [118.3, 36.8] },
    radiusM: 50,
    active,
    version: 1,
    createdAt: '',
    updatedAt: '',
  });

  it('lists every village without an active point, and only those', () => {
    const all = villagesOfTown(town);
    expect(all.length).toBeGreaterThan(2);
    const left = uncoveredVillages(town, [point(first!.code, true), point(second!.code, false), point(null, true)]);
    expect(left.map((v) => v.code)).toEqual(all.filter((v) => v.code !== first!.code).map((v) => v.code));
  });

  it('does not count another town’s point', () => {
    expect(uncoveredVillages(town, [point(first!.code, true, '370305002')])).toHaveLength(villagesOfTown(town).length);
  });

  it('names a point after its village without the committee', () => {
    expect(villageShortName('辛东社区居委会')).toBe('辛东社区');
    expect(villageShortName('淄江社区居民委员会')).toBe('淄江社区');
    expect(villageShortName('和里村村委会')).toBe('和里村');
    expect(villageShortName('耿王村委会')).toBe('耿王村');
  });

  it('shows rates with one decimal and no rate as a dash', () => {
    expect(percent(0.8333)).toBe('83.3%');
    expect(percent(1)).toBe('100.0%');
    expect(percent(null)).toBe('—');
  });
});

describe('a collection request and 日产日清', () => {
  const requestedAt = '2026-12-01T00:00:00.000Z';
  const at = (hours: number): number => Date.parse(requestedAt) + hours * 3_600_000;

  it('takes the server’s verdict once fulfilled (from GPS), never the clock', () => {
    expect(sameDayVerdict({ state: 'fulfilled', sameDay: true, requestedAt }, at(100))).toBe('yes');
    expect(sameDayVerdict({ state: 'fulfilled', sameDay: false, requestedAt }, at(1))).toBe('no');
  });

  it('flags an open request past 24 hours, and does not count a cancelled one', () => {
    expect(sameDayVerdict({ state: 'dispatched', sameDay: null, requestedAt }, at(23))).toBe('pending');
    expect(sameDayVerdict({ state: 'requested', sameDay: null, requestedAt }, at(25))).toBe('overdue');
    expect(sameDayVerdict({ state: 'cancelled', sameDay: null, requestedAt }, at(1))).toBe('cancelled');
  });

  it('offers dispatch and cancel only while it waits or is on its way, and only to a writer', () => {
    expect(requestActions('requested', true)).toEqual({ dispatch: true, cancel: true });
    expect(requestActions('dispatched', true)).toEqual({ dispatch: true, cancel: true });
    expect(requestActions('fulfilled', true)).toEqual({ dispatch: false, cancel: false });
    expect(requestActions('cancelled', true)).toEqual({ dispatch: false, cancel: false });
    expect(requestActions('requested', false)).toEqual({ dispatch: false, cancel: false });
  });
});

describe('roles, history and photos', () => {
  it('lets the towns and the muck office write, auditors only read', () => {
    expect(canWriteLedgers('town_official')).toBe(true);
    expect(canWriteLedgers('dispatcher')).toBe(true);
    expect(canWriteLedgers('admin')).toBe(true);
    expect(canWriteLedgers('auditor')).toBe(false);
    expect(canWriteLedgers('enforcement_officer')).toBe(false);
    expect(canWriteLedgers(null)).toBe(false);
  });

  it('reads a history event as a named action or a move to a status', () => {
    expect(historyHeadline({ action: 'create', toStatus: 'registered' })).toEqual({ kind: 'action', action: 'create' });
    expect(historyHeadline({ action: 'cleared', toStatus: 'cleared' })).toEqual({ kind: 'move', status: 'cleared' });
  });

  it('takes JPEG, PNG and WebP up to 10 MiB', () => {
    expect(photoProblem({ type: 'image/jpeg', size: 1000 })).toBeNull();
    expect(photoProblem({ type: 'image/gif', size: 1000 })).toBe('type');
    expect(photoProblem({ type: 'image/png', size: 10 * 1024 * 1024 + 1 })).toBe('size');
  });
});
