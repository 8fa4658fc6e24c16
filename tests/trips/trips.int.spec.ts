import ExcelJS from 'exceljs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { formatDateTime, officeDayOf, officeDayRange, type ApiError, type TripListPage, type TripTotals } from '@muckwatch/contracts';
import { type ApiClient, signInAs } from '../support/api-client.js';
import { startTestApi, uniqueTag } from '../support/test-api.js';
import { QILU, type TripSeed, type TripWorld, WENSHAO, insertLoadFixes, insertTripViolation, insertTrips, registerTripWorld, tripId } from './trip-fixtures.js';

type TestApi = Awaited<ReturnType<typeof startTestApi>>;
const HOUR = 3_600_000;

// The trips list (运次) through HTTP on the real migrations: filters, totals that add up to the
// list, the export, scope (another town's official, an enforcement officer) and bad input.
describe('trips (运次)', () => {
  let api: TestApi;
  let db: pg.Client;
  let dispatcher: ApiClient;
  let qiluOfficial: ApiClient;
  let wenshaoOfficial: ApiClient;
  let officer: ApiClient;
  let world: TripWorld;
  const tag = uniqueTag();
  const seeds: TripSeed[] = [];
  const violationIds: Record<string, string[]> = {};
  // Three office days ending two days ago: inside the positions' retention, away from "now".
  const today = officeDayOf(Date.now());
  const day0 = officeDayOf(Date.parse(officeDayRange(today).from) - 3 * 24 * HOUR + HOUR);
  const d0 = Date.parse(officeDayRange(day0).from);
  const day1 = officeDayOf(d0 + 24 * HOUR + HOUR);
  const day2 = officeDayOf(d0 + 48 * HOUR + HOUR);
  const period = { from: new Date(d0).toISOString(), to: new Date(d0 + 3 * 24 * HOUR - 1).toISOString() };

  const q = (params: Record<string, string>): string => new URLSearchParams({ ...period, ...params }).toString();

  beforeAll(async () => {
    api = await startTestApi();
    db = new pg.Client({ connectionString: inject('databaseUrl') });
    await db.connect();
    [dispatcher, qiluOfficial, wenshaoOfficial, officer] = await Promise.all([
      signInAs(api, 'dispatcher'),
      signInAs(api, 'town_official', { townCode: QILU }),
      signInAs(api, 'town_official', { townCode: WENSHAO }),
      signInAs(api, 'enforcement_officer', { department: 'urban-management' }),
    ]);
    world = await registerTripWorld(dispatcher, tag);
    const { t1, t2, t3 } = world.trucks;
    const { s1, s2 } = world.sites;
    const { d1, d2 } = world.disposal;
    const at = (dayStart: number, hours: number): Date => new Date(dayStart + hours * HOUR);
    const term = (n: number): string => `tp-${tag}-${n}`.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32);
    seeds.push(
      // day0, 10:00 and 14:00 office time: truck 1 twice from 东工地 to 北消纳场, closed.
      { terminalId: term(1), truckId: t1.id, plate: t1.plate, originId: s1.id, originName: s1.name, destinationId: d1.id, destinationName: d1.name, startedAt: at(d0, 10), endedAt: at(d0, 10.75), status: 'closed', townCode: QILU, distanceM: 15_300, approvalNumber: `临渣核-${tag}` },
      { terminalId: term(1), truckId: t1.id, plate: t1.plate, originId: s1.id, originName: s1.name, destinationId: d1.id, destinationName: d1.name, startedAt: at(d0, 14), endedAt: at(d0, 14.5), status: 'closed', townCode: QILU, distanceM: 14_800 },
      // day1 00:30 office time (the evening before in UTC): truck 2 from 西工地, tipped at 南消纳场 — not its designated site.
      { terminalId: term(2), truckId: t2.id, plate: t2.plate, originId: s2.id, originName: s2.name, destinationId: d2.id, destinationName: d2.name, startedAt: at(d0, 24.5), endedAt: at(d0, 25.5), status: 'unclosed', townCode: WENSHAO, distanceM: 22_000 },
      // day2: truck 3 (company 乙) still under way; truck 2 gave up.
      { terminalId: term(3), truckId: t3.id, plate: t3.plate, originId: s1.id, originName: s1.name, startedAt: at(d0, 57), status: 'open', townCode: QILU, distanceM: 3_000 },
      { terminalId: term(2), truckId: t2.id, plate: t2.plate, originId: s2.id, originName: s2.name, startedAt: at(d0, 59), endedAt: at(d0, 63), status: 'abandoned', townCode: WENSHAO, distanceM: 800 },
    );
    await insertTrips(db, seeds);
    violationIds[tripId(seeds[0]!)] = [await insertTripViolation(db, seeds[0]!, 'overspeed'), await insertTripViolation(db, seeds[0]!, 'unsealed_transport', 120_000)];
    violationIds[tripId(seeds[2]!)] = [await insertTripViolation(db, seeds[2]!, 'undesignated_disposal')];
    // Truck 1's load sensor during its first trip (and a heavier reading after it, which is not the trip's).
    await insertLoadFixes(db, term(1), new Date(seeds[0]!.startedAt.getTime() + 60_000), [17.2, 18.46, 18.1]);
    await insertLoadFixes(db, term(1), new Date(seeds[0]!.endedAt!.getTime() + 60_000), [30]);
  });

  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  it('lists a company’s trips newest first, each with its places, times, distance, load, state and violations', async () => {
    const res = await dispatcher.get<TripListPage>(`/api/v1/trips?${q({ companyId: world.companies.a.id })}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const expected = seeds.filter((s) => s.truckId !== world.trucks.t3.id).sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
    expect(res.body.total).toBe(expected.length);
    expect(res.body.items.map((t) => t.id)).toEqual(expected.map(tripId));
    const first = res.body.items.find((t) => t.id === tripId(seeds[0]!))!;
    expect(first).toMatchObject({
      plate: world.trucks.t1.plate,
      truckId: world.trucks.t1.id,
      companyId: world.companies.a.id,
      companyName: world.companies.a.name,
      originName: world.sites.s1.name,
      destinationName: world.disposal.d1.name,
      status: 'closed',
      distanceM: 15_300,
      durationS: 45 * 60,
      loadT: 18.46,
      ratedLoadT: 20,
      townCode: QILU,
      approvalNumber: `临渣核-${tag}`,
      start: { at: seeds[0]!.startedAt.toISOString() },
      end: { at: seeds[0]!.endedAt!.toISOString() },
    });
    expect(first.townName).toBeTruthy();
    expect(first.violations.map((v) => v.id)).toEqual(violationIds[tripId(seeds[0]!)]);
    expect(first.violations.map((v) => v.type)).toEqual(['overspeed', 'unsealed_transport']);
    const open = (await dispatcher.get<TripListPage>(`/api/v1/trips?${q({ truck: world.trucks.t3.id })}`)).body.items;
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ status: 'open', end: null, durationS: null, loadT: null, destinationId: null, companyName: world.companies.b.name });
  });

  it('filters by truck (id, terminal id or plate), plate, origin, disposal site, town, state and violations', async () => {
    const ids = async (params: Record<string, string>): Promise<string[]> => {
      const res = await dispatcher.get<TripListPage>(`/api/v1/trips?${q({ pageSize: '500', ...params })}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.items.map((t) => t.id).filter((id) => seeds.some((s) => tripId(s) === id)).sort();
    };
    const of = (pick: (s: TripSeed) => boolean): string[] => seeds.filter(pick).map(tripId).sort();
    expect(await ids({ truck: world.trucks.t2.id })).toEqual(of((s) => s.truckId === world.trucks.t2.id));
    expect(await ids({ truck: world.trucks.t2.plate })).toEqual(of((s) => s.truckId === world.trucks.t2.id));
    expect(await ids({ truck: seeds[0]!.terminalId })).toEqual(of((s) => s.terminalId === seeds[0]!.terminalId));
    expect(await ids({ plate: world.trucks.t1.plate })).toEqual(of((s) => s.plate === world.trucks.t1.plate));
    expect(await ids({ originId: world.sites.s2.id })).toEqual(of((s) => s.originId === world.sites.s2.id));
    expect(await ids({ destinationId: world.disposal.d1.id })).toEqual(of((s) => s.destinationId === world.disposal.d1.id));
    expect(await ids({ companyId: world.companies.a.id, townCode: WENSHAO })).toEqual(of((s) => s.townCode === WENSHAO && s.truckId !== world.trucks.t3.id));
    expect(await ids({ companyId: world.companies.a.id, status: 'closed,abandoned' })).toEqual(of((s) => s.truckId !== world.trucks.t3.id && (s.status === 'closed' || s.status === 'abandoned')));
    expect(await ids({ companyId: world.companies.a.id, violations: 'true' })).toEqual([tripId(seeds[0]!), tripId(seeds[2]!)].sort());
    expect(await ids({ companyId: world.companies.a.id, violations: 'false' })).toEqual([tripId(seeds[1]!), tripId(seeds[4]!)].sort());
    // The period bounds the start: day1 alone holds truck 2's night trip (00:30 office time).
    const { from, to } = officeDayRange(day1);
    const night = await dispatcher.get<TripListPage>(`/api/v1/trips?${new URLSearchParams({ from, to, companyId: world.companies.a.id }).toString()}`);
    expect(night.body.items.map((t) => t.id)).toEqual([tripId(seeds[2]!)]);
  });

  it('sorts and pages without losing or repeating a trip', async () => {
    const all = (await dispatcher.get<TripListPage>(`/api/v1/trips?${q({ companyId: world.companies.a.id, sort: 'distance', order: 'asc' })}`)).body.items;
    expect(all.map((t) => t.distanceM)).toEqual([...all.map((t) => t.distanceM)].sort((a, b) => a - b));
    const paged: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const res = await dispatcher.get<TripListPage>(`/api/v1/trips?${q({ companyId: world.companies.a.id, sort: 'distance', order: 'asc', page: String(page), pageSize: '2' })}`);
      expect(res.body).toMatchObject({ total: 4, page, pageSize: 2 });
      paged.push(...res.body.items.map((t) => t.id));
    }
    expect(paged).toEqual(all.map((t) => t.id));
    const byPlate = (await dispatcher.get<TripListPage>(`/api/v1/trips?${q({ companyId: world.companies.a.id, sort: 'plate', order: 'asc' })}`)).body.items;
    expect(byPlate.map((t) => t.plate)).toEqual([...byPlate.map((t) => t.plate)].sort());
  });

  it('totals 趟数 per office day and per site, matching the list', async () => {
    const filter = { companyId: world.companies.a.id };
    const res = await dispatcher.get<TripTotals>(`/api/v1/trips/totals?${q(filter)}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const totals = res.body;
    const list = (await dispatcher.get<TripListPage>(`/api/v1/trips?${q({ ...filter, pageSize: '500' })}`)).body;
    expect(totals.trips).toBe(list.total);
    expect(totals.days.map((d) => d.day)).toEqual([day0, day1, day2]);
    // Counted by the office's day, not UTC's: the 00:30 trip is day1's.
    expect(totals.days.map((d) => d.trips)).toEqual([day0, day1, day2].map((day) => list.items.filter((t) => officeDayOf(Date.parse(t.start.at)) === day).length));
    expect(totals.days.map((d) => [d.closed, d.unclosed, d.open, d.abandoned])).toEqual([[2, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1]]);
    expect(totals.byStatus).toEqual({ open: 0, closed: 2, unclosed: 1, abandoned: 1 });
    expect(totals.origins).toEqual([
      { id: world.sites.s1.id, name: world.sites.s1.name, trips: 2, distanceM: 30_100, open: 0, closed: 2, unclosed: 0, abandoned: 0 },
      { id: world.sites.s2.id, name: world.sites.s2.name, trips: 2, distanceM: 22_800, open: 0, closed: 0, unclosed: 1, abandoned: 1 },
    ]);
    expect(totals.destinations).toEqual([
      { id: world.disposal.d1.id, name: world.disposal.d1.name, trips: 2, distanceM: 30_100, open: 0, closed: 2, unclosed: 0, abandoned: 0 },
      { id: world.disposal.d2.id, name: world.disposal.d2.name, trips: 1, distanceM: 22_000, open: 0, closed: 0, unclosed: 1, abandoned: 0 },
      { id: null, name: null, trips: 1, distanceM: 800, open: 0, closed: 0, unclosed: 0, abandoned: 1 },
    ]);
    for (const place of totals.origins) expect(place.trips).toBe(list.items.filter((t) => t.originId === place.id).length);
  });

  it('exports the filtered list as xlsx: zh-CN headers, Asia/Shanghai times, the list’s rows; audited', async () => {
    const filter = { companyId: world.companies.a.id };
    const res = await fetch(`${api.url}/api/v1/trips/export.xlsx?${q(filter)}`, { headers: { authorization: `Bearer ${dispatcher.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(decodeURIComponent(res.headers.get('content-disposition') ?? '')).toMatch(/运次_\d{8}\.xlsx/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    const sheet = book.getWorksheet('运次')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(expect.arrayContaining(['运次编号', '车牌号', '运输企业', '运次状态', '出发地（工地/收集点）', '目的地（消纳场）', '开始时间', '结束时间', '里程(公里)', '载重(吨)', '违规类型']));
    const col = (name: string): number => header.indexOf(name) + 1;
    const list = (await dispatcher.get<TripListPage>(`/api/v1/trips?${q(filter)}`)).body.items;
    expect(sheet.rowCount - 1).toBe(list.length);
    list.forEach((trip, i) => {
      const row = sheet.getRow(i + 2);
      expect(row.getCell(col('运次编号')).value).toBe(trip.id);
      expect(row.getCell(col('车牌号')).value).toBe(trip.plate);
      expect(row.getCell(col('开始时间')).value).toBe(formatDateTime(trip.start.at));
    });
    const first = sheet.getRow(list.findIndex((t) => t.id === tripId(seeds[0]!)) + 2);
    expect(first.getCell(col('运次状态')).value).toBe('已闭合');
    expect(first.getCell(col('开始时间')).value).toBe(`${day0} 10:00:00`);
    expect(first.getCell(col('结束时间')).value).toBe(`${day0} 10:45:00`);
    expect(first.getCell(col('里程(公里)')).value).toBe(15.3);
    expect(first.getCell(col('载重(吨)')).value).toBe(18.46);
    expect(first.getCell(col('违规类型')).value).toBe('超速、未密闭运输');
    expect(first.getCell(col('运输企业')).value).toBe(world.companies.a.name);
    const night = sheet.getRow(list.findIndex((t) => t.id === tripId(seeds[2]!)) + 2);
    expect(night.getCell(col('开始时间')).value).toBe(`${day1} 00:30:00`);
    expect(night.getCell(col('运次状态')).value).toBe('未闭合');
    const { rows } = await db.query<{ detail: { rows: number; filter: Record<string, string> } }>(
      `SELECT detail FROM audit_log WHERE action = 'trips.export' AND detail->'filter'->>'companyId' = $1`,
      [world.companies.a.id],
    );
    expect(rows[0]?.detail.rows).toBe(list.length);
  });

  it('keeps a town official to their town: another town’s trips never listed, naming it a 403; an enforcement officer sees none', async () => {
    const filter = { companyId: world.companies.a.id, pageSize: '500' };
    const qilu = (await qiluOfficial.get<TripListPage>(`/api/v1/trips?${q(filter)}`)).body.items;
    expect(qilu.map((t) => t.id).sort()).toEqual(seeds.filter((s) => s.townCode === QILU && s.truckId !== world.trucks.t3.id).map(tripId).sort());
    const wenshao = (await wenshaoOfficial.get<TripListPage>(`/api/v1/trips?${q(filter)}`)).body.items;
    expect(wenshao.map((t) => t.id).sort()).toEqual([tripId(seeds[2]!), tripId(seeds[4]!)].sort());
    // Truck 1's trips are 齐鲁石化's: asked for by truck, 闻韶's official gets nothing.
    expect((await wenshaoOfficial.get<TripListPage>(`/api/v1/trips?${q({ truck: world.trucks.t1.id })}`)).body).toMatchObject({ items: [], total: 0 });
    for (const path of ['/api/v1/trips', '/api/v1/trips/totals', '/api/v1/trips/export.xlsx']) {
      const res = await wenshaoOfficial.get<ApiError>(`${path}?${q({ townCode: QILU })}`);
      expect(res.status, path).toBe(403);
      expect(res.body).toMatchObject({ code: 'trip.town_out_of_scope', params: { townCode: QILU } });
    }
    const own = await wenshaoOfficial.get<TripTotals>(`/api/v1/trips/totals?${q({ companyId: world.companies.a.id })}`);
    expect(own.body.trips).toBe(2);
    expect((await officer.get<TripListPage>(`/api/v1/trips?${q({})}`)).body).toMatchObject({ items: [], total: 0 });
    expect((await officer.get<TripTotals>(`/api/v1/trips/totals?${q({})}`)).body.trips).toBe(0);
  });

  it('refuses bad input with a 400 naming the parameter, never a 5xx', async () => {
    const cases: Array<[string, string]> = [
      ['status=done', 'status'],
      ['violations=yes', 'violations'],
      ['truck=%27%3B%20DROP', 'truck'],
      ['companyId=1', 'companyId'],
      ['originId=x', 'originId'],
      ['destinationId=x', 'destinationId'],
      ['townCode=qilu', 'townCode'],
      ['sort=load', 'sort'],
      ['order=up', 'order'],
      ['page=0', 'page'],
      ['pageSize=501', 'pageSize'],
      ['from=2025-01-01T00:00:00Z&to=2026-06-01T00:00:00Z', 'to'],
      ['from=yesterday', 'from'],
      ['plate=a&plate=b', 'plate'],
    ];
    for (const path of ['/api/v1/trips', '/api/v1/trips/totals', '/api/v1/trips/export.xlsx']) {
      for (const [query, field] of cases) {
        const res = await dispatcher.get<ApiError>(`${path}?${query}`);
        expect(res.status, `${path}?${query}`).toBe(400);
        expect(res.body.field, `${path}?${query}`).toBe(field);
      }
    }
  });
});
