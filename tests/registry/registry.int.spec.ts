import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type {
  RegisteredTerminal,
  ApiError,
  ApprovedRoute,
  ConstructionSite,
  DisposalApproval,
  DisposalSite,
  GeofenceExport,
  GeofenceImportResult,
  RegistryChange,
  RegistryRates,
  TerminalBinding,
  TerminalRecord,
  TimeWindowOpenResponse,
  TimeWindowSchedule,
  TransportCompany,
  TruckRecord,
} from '@muckwatch/contracts';
import { makeUscc } from '@muckwatch/linzi';
import { RegistryChanges, type RunningApi, TruckDirectory } from '@muckwatch/api';
import { type ApiClient, signInAs } from '../support/api-client.js';
import { connectTerminal, publishFixes } from '../support/mqtt.js';
import { startTestApi, uniqueTag, waitFor } from '../support/test-api.js';

/** A ~200 m square site polygon around a point (counter-clockwise). */
function square(lon: number, lat: number, half = 0.001): { type: 'Polygon'; coordinates: number[][][] } {
  return {
    type: 'Polygon',
    coordinates: [[[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half], [lon - half, lat - half]]],
  };
}

/** A fresh valid credit code per call (organisation body from the tag). */
let orgCounter = 0;
function uscc(tag: string): string {
  orgCounter++;
  const body = `MA${tag.toUpperCase().replace(/[^0-9A-H]/g, '7').slice(0, 4)}${String(orgCounter).padStart(2, '0')}`.slice(0, 8);
  return makeUscc('370305', body);
}

let plateCounter = 0;
function plate(): string {
  plateCounter++;
  return `鲁C${'ABCDEFGHJK'[Math.floor(Math.random() * 10)]}${String(Math.floor(Math.random() * 9000) + 1000 + plateCounter).slice(-4)}`;
}

describe('registry API (issue #3)', () => {
  let api: RunningApi;
  let editor: ApiClient;
  let pool: pg.Pool;
  const tag = uniqueTag();

  beforeAll(async () => {
    api = await startTestApi();
    editor = await signInAs(api, 'dispatcher');
    pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
  });

  afterAll(async () => {
    await pool?.end();
    await api?.close();
  });

  async function company(): Promise<TransportCompany> {
    const res = await editor.post<TransportCompany>('/api/v1/companies', { name: `测试运输有限公司-${tag}-${orgCounter}`, creditCode: uscc(tag) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  async function truck(companyId: string, extra: Record<string, unknown> = {}): Promise<TruckRecord> {
    for (;;) {
      const res = await editor.post<TruckRecord>('/api/v1/trucks', { plate: plate(), companyId, ratedLoadT: 25, ...extra });
      if (res.status === 409) continue; // a random plate that exists already
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    }
  }

  async function terminal(): Promise<TerminalRecord> {
    const res = await editor.post<RegisteredTerminal>('/api/v1/terminals', { terminalId: `t-${tag}-${++orgCounter}`, sim: '14805330000', maker: '锐明', model: 'MT5' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // Registering issues the terminal's MQTT credentials, shown this once.
    expect(res.body.credentials).toMatchObject({ terminalId: res.body.terminal.terminalId, username: res.body.terminal.terminalId, rotated: false });
    expect(res.body.credentials.password.length).toBeGreaterThanOrEqual(20);
    return res.body.terminal;
  }

  describe('refuses invalid input with a 400 naming the field', () => {
    const expect400 = (res: { status: number; body: unknown }, field: string, message?: RegExp) => {
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      const error = res.body as ApiError;
      expect(error.field).toBe(field);
      if (message) expect(error.message).toMatch(message);
    };

    it('a credit code with a wrong check character', async () => {
      const good = uscc(tag);
      const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
      expect400(await editor.post('/api/v1/companies', { name: `坏代码公司-${tag}`, creditCode: bad }), 'creditCode', /check character/);
    });

    it('a plate in no known format', async () => {
      const c = await company();
      expect400(await editor.post('/api/v1/trucks', { plate: 'AB-12345', companyId: c.id }), 'plate', /province/);
      expect400(await editor.post('/api/v1/trucks', { plate: '鲁CI12345', companyId: c.id }), 'plate');
      const ok = await editor.post<TruckRecord>('/api/v1/trucks', { plate: `鲁C·${String(Date.now()).slice(-5)}D`, companyId: c.id });
      expect(ok.status).toBe(201);
      expect(ok.body).toMatchObject({ plateKind: 'new-energy', terminalId: null });
    });

    it('a permit valid to before it is valid from', async () => {
      const c = await company();
      expect400(
        await editor.post('/api/v1/trucks', { plate: plate(), companyId: c.id, sealed: true, permitNo: 'X1', permitValidFrom: '2026-05-01', permitValidTo: '2026-04-30' }),
        'permitValidTo',
      );
    });

    it('a self-intersecting polygon, saying where', async () => {
      const bowTie = { type: 'Polygon', coordinates: [[[118.3, 36.8], [118.31, 36.81], [118.31, 36.8], [118.3, 36.81], [118.3, 36.8]]] };
      expect400(await editor.post('/api/v1/construction-sites', { name: '蝴蝶形工地', geometry: bowTie }), 'geometry', /self-intersection at 118\.305,36\.805/);
      expect400(await editor.post('/api/v1/disposal-sites', { name: '蝴蝶形消纳场', status: 'licensed', geometry: bowTie }), 'geometry', /self-intersection/);
      const open = { type: 'Polygon', coordinates: [[[118.3, 36.8], [118.31, 36.8], [118.31, 36.81], [118.3, 36.81]]] };
      expect400(await editor.post('/api/v1/construction-sites', { name: '未闭合工地', geometry: open }), 'geometry', /not closed/);
    });

    it('a window that ends before it starts on the same day without crossing midnight', async () => {
      expect400(await editor.post('/api/v1/time-windows', { name: '夜间', weekly: [{ days: [1, 2, 3], start: '22:00', end: '06:00' }] }), 'weekly.0.end', /crossesMidnight/);
      const ok = await editor.post<TimeWindowSchedule>('/api/v1/time-windows', {
        name: `夜间-${tag}`,
        weekly: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '22:00', end: '06:00', crossesMidnight: true }],
        exceptions: [{ date: '2026-12-15', kind: 'closed', reason: '重污染天气预警' }],
      });
      expect(ok.status).toBe(201);
      const open = await editor.get<TimeWindowOpenResponse>(`/api/v1/time-windows/${ok.body.id}/open?at=2026-12-01T23:30:00%2B08:00`);
      expect(open.body.open).toBe(true);
      const closed = await editor.get<TimeWindowOpenResponse>(`/api/v1/time-windows/${ok.body.id}/open?at=2026-12-15T23:30:00%2B08:00`);
      expect(closed.body).toMatchObject({ open: false, exception: { reason: '重污染天气预警' } });
    });

    it('a route with fewer than two points', async () => {
      expect400(await editor.post('/api/v1/routes', { name: '一点路线', corridorWidthM: 100, geometry: { type: 'LineString', coordinates: [[118.3, 36.8]] } }), 'geometry', /two points/);
      expect400(await editor.post('/api/v1/routes', { name: '无宽度', geometry: { type: 'LineString', coordinates: [[118.3, 36.8], [118.31, 36.8]] } }), 'corridorWidthM');
    });

    it('an approval valid to before it is valid from, a closed disposal site, another company\'s truck', async () => {
      const c = await company();
      const other = await company();
      const foreign = await truck(other.id);
      const site = await editor.post<ConstructionSite>('/api/v1/construction-sites', { name: `核准测试工地-${tag}`, geometry: square(118.3, 36.83) });
      const closed = await editor.post<DisposalSite>('/api/v1/disposal-sites', { name: `已关闭消纳场-${tag}`, status: 'closed', geometry: square(118.2, 36.7, 0.002) });
      const base = { number: `核-${tag}-1`, constructionSiteId: site.body.id, companyId: c.id, validFrom: '2026-01-01', validTo: '2026-12-31' };
      expect400(await editor.post('/api/v1/approvals', { ...base, validTo: '2025-12-31' }), 'validTo', /before validFrom/);
      expect400(await editor.post('/api/v1/approvals', { ...base, disposalSiteIds: [closed.body.id] }), 'disposalSiteIds.0', /closed/);
      expect400(await editor.post('/api/v1/approvals', { ...base, truckIds: [foreign.truckId] }), 'truckIds.0', /another transport company/);
      expect((await editor.post('/api/v1/approvals', base)).status).toBe(201);
    });

    it('a terminal already bound', async () => {
      const c = await company();
      const [a, b] = [await truck(c.id), await truck(c.id)];
      const t = await terminal();
      expect((await editor.put(`/api/v1/terminals/${t.terminalId}/binding`, { truckId: a.truckId })).status).toBe(200);
      expect400(await editor.put(`/api/v1/terminals/${t.terminalId}/binding`, { truckId: b.truckId }), 'terminalId', /already bound/);
      const t2 = await terminal();
      expect400(await editor.put(`/api/v1/terminals/${t2.terminalId}/binding`, { truckId: a.truckId }), 'truckId', /already carries/);
    });
  });

  it('answers unknown ids with 404, duplicates and records still referred to with 409', async () => {
    expect((await editor.get('/api/v1/trucks/3f1d2c4b-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await editor.get('/api/v1/construction-sites/not-a-uuid')).status).toBe(404);
    expect((await editor.get('/api/v1/terminals/nope')).status).toBe(404);
    const c = await company();
    const t = await truck(c.id);
    const duplicate = await editor.post<ApiError>('/api/v1/trucks', { plate: t.plate, companyId: c.id });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.field).toBe('plate');
    const sameCode = await editor.post<ApiError>('/api/v1/companies', { name: `另一家-${tag}`, creditCode: c.creditCode });
    expect(sameCode.body).toMatchObject({ statusCode: 409, field: 'creditCode' });
    expect((await editor.delete(`/api/v1/companies/${c.id}`)).status).toBe(409); // it still has a truck
    const term = await terminal();
    await editor.put(`/api/v1/terminals/${term.terminalId}/binding`, { truckId: t.truckId });
    expect((await editor.delete(`/api/v1/trucks/${t.truckId}`)).status).toBe(409); // it still carries a terminal
    await editor.delete(`/api/v1/terminals/${term.terminalId}/binding`);
    expect((await editor.delete(`/api/v1/trucks/${t.truckId}`)).status).toBe(204);
    expect((await editor.delete(`/api/v1/companies/${c.id}`)).status).toBe(204);
  });

  it('changes a record with PATCH, validating the result as a whole', async () => {
    const c = await company();
    const t = await truck(c.id);
    const permit = await editor.patch<ApiError>(`/api/v1/trucks/${t.truckId}`, { permitNo: '临淄渣准字（2026）第9999号', permitValidFrom: '2026-01-01', permitValidTo: '2026-12-31' });
    expect(permit.body).toMatchObject({ statusCode: 400, field: 'permitNo' }); // a permit only for a sealed truck
    const sealed = await editor.patch<TruckRecord>(`/api/v1/trucks/${t.truckId}`, {
      sealed: true,
      sealedCertifiedOn: '2026-01-01',
      permitNo: '临淄渣准字（2026）第9999号',
      permitValidFrom: '2026-01-01',
      permitValidTo: '2030-12-31',
    });
    expect(sealed.body).toMatchObject({ sealed: true, permitValid: true, plate: t.plate, ratedLoadT: 25 });
  });

  it('keeps speed-limit zones as polygons or corridors', async () => {
    const polygon = await editor.post<{ id: string; corridorWidthM: number | null }>('/api/v1/speed-zones', { name: `学校周边-${tag}`, limitKmh: 30, geometry: square(118.33, 36.88) });
    expect(polygon.status).toBe(201);
    expect(polygon.body.corridorWidthM).toBeNull();
    const line = { type: 'LineString', coordinates: [[118.27, 36.812], [118.3, 36.813]] };
    expect((await editor.post<ApiError>('/api/v1/speed-zones', { name: `道路-${tag}`, limitKmh: 50, geometry: line })).body.field).toBe('corridorWidthM');
    const corridor = await editor.post<{ corridorWidthM: number }>('/api/v1/speed-zones', { name: `道路-${tag}`, limitKmh: 50, geometry: line, corridorWidthM: 40 });
    expect(corridor.body.corridorWidthM).toBe(40);
    expect((await editor.post<ApiError>('/api/v1/speed-zones', { name: 'x', limitKmh: 0, geometry: line, corridorWidthM: 40 })).body.field).toBe('limitKmh');
  });

  it('keeps the rebinding history with its times, so history stays attributable', async () => {
    const c = await company();
    const [a, b] = [await truck(c.id), await truck(c.id)];
    const t = await terminal();
    await editor.put(`/api/v1/terminals/${t.terminalId}/binding`, { truckId: a.truckId });
    const moved = await editor.put<TerminalRecord>(`/api/v1/terminals/${t.terminalId}/binding`, { truckId: b.truckId, rebind: true });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ truckId: b.truckId, plate: b.plate });

    const history = (await editor.get<TerminalBinding[]>(`/api/v1/terminals/${t.terminalId}/bindings`)).body;
    expect(history.map((h) => [h.plate, h.unboundAt === null])).toEqual([
      [b.plate, true],
      [a.plate, false],
    ]);
    expect(history[1]!.unboundAt).toBe(history[0]!.boundAt);
    expect((await editor.get<TruckRecord>(`/api/v1/trucks/${a.truckId}`)).body.terminalId).toBeNull();
    expect((await editor.get<TerminalBinding[]>(`/api/v1/trucks/${a.truckId}/bindings`)).body).toHaveLength(1);

    const unbound = await editor.delete<TerminalRecord>(`/api/v1/terminals/${t.terminalId}/binding`);
    expect(unbound.body.truckId).toBeNull();
    const after = (await editor.get<TerminalBinding[]>(`/api/v1/terminals/${t.terminalId}/bindings`)).body;
    expect(after.every((h) => h.unboundAt !== null)).toBe(true);
  });

  it('audits every change with who, when, before and after', async () => {
    const c = await company();
    const t = await truck(c.id);
    const newPlate = plate();
    const res = await editor.patch<TruckRecord>(`/api/v1/trucks/${t.truckId}`, { plate: newPlate, ratedLoadT: 31 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { rows } = await pool.query<{ action: string; actor_username: string; actor_role: string; before: { plate: string } | null; after: { plate: string; ratedLoadT: number } | null; at: Date }>(
      `SELECT action, actor_username, actor_role, before, after, at FROM audit_log WHERE resource_type = 'truck' AND resource_id = $1 ORDER BY id`,
      [t.truckId],
    );
    expect(rows.map((r) => r.action)).toEqual(['truck.create', 'truck.update']);
    expect(rows[1]).toMatchObject({ actor_username: editor.user.username, actor_role: 'dispatcher', before: { plate: t.plate }, after: { plate: newPlate, ratedLoadT: 31 } });
    expect(rows[0]!.before).toBeNull();
  });

  it('brings a change to the running system within seconds, without a restart', async () => {
    const changes: RegistryChange[] = [];
    const subscription = api.app.get(RegistryChanges).changes$.subscribe((c) => changes.push(c));
    const directory = api.app.get(TruckDirectory);
    const c = await company();
    const tr = await truck(c.id);
    const t = await terminal();
    await editor.put(`/api/v1/terminals/${t.terminalId}/binding`, { truckId: tr.truckId });
    await waitFor(() => directory.lookup(t.terminalId)?.plate === tr.plate, 5000, 'the live directory to know the new binding');
    const renamed = plate();
    await editor.patch(`/api/v1/trucks/${tr.truckId}`, { plate: renamed });
    await waitFor(() => directory.lookup(t.terminalId)?.plate === renamed, 5000, 'the live directory to follow the plate change');
    subscription.unsubscribe();
    expect(changes.map((x) => `${x.resourceType}.${x.action}`)).toEqual(['company.create', 'truck.create', 'terminal.create', 'terminal.bind', 'truck.update']);
  });

  it('imports GeoJSON in GCJ-02, exports WGS-84, and the export imports again unchanged', async () => {
    const gcj = {
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'GCJ02' } },
      features: [
        { type: 'Feature', properties: { name: `导入工地A-${tag}`, address: '测试地址', status: 'active' }, geometry: square(118.3065, 36.8365) },
        { type: 'Feature', properties: { name: `导入工地B-${tag}` }, geometry: square(118.2465, 36.8465) },
      ],
    };
    const imported = await editor.post<GeofenceImportResult>('/api/v1/construction-sites/import', gcj);
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body).toMatchObject({ kind: 'construction-sites', crs: 'GCJ02', created: 2, updated: 0 });

    const exported = (await editor.get<GeofenceExport<ConstructionSite>>('/api/v1/construction-sites/export')).body;
    const mine = exported.features.filter((f) => imported.body.ids.includes(f.properties.id));
    expect(mine).toHaveLength(2);
    // GCJ-02 is offset from WGS-84 by a few hundred metres in Zibo: converted, the west edge moves west.
    const a = mine.find((f) => f.properties.name.startsWith('导入工地A'))!;
    const westEdge = (a.geometry as { coordinates: number[][][] }).coordinates[0]![0]![0]!;
    expect(westEdge).toBeLessThan(118.3055 - 0.003);
    expect(westEdge).toBeGreaterThan(118.3055 - 0.008);
    expect(a.properties).toMatchObject({ townCode: expect.any(String) as string, address: '测试地址', status: 'active' });

    const again = await editor.post<GeofenceImportResult>('/api/v1/construction-sites/import?crs=WGS84', { type: 'FeatureCollection', features: mine });
    expect(again.body).toMatchObject({ created: 0, updated: 2 });
    const reexported = (await editor.get<GeofenceExport<ConstructionSite>>('/api/v1/construction-sites/export')).body.features.filter((f) =>
      imported.body.ids.includes(f.properties.id),
    );
    expect(reexported).toEqual(mine);

    const bad = await editor.post<ApiError>('/api/v1/routes/import', {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { name: '好路线', corridorWidthM: 80 }, geometry: { type: 'LineString', coordinates: [[118.3, 36.8], [118.31, 36.8]] } },
        { type: 'Feature', properties: { name: '坏路线', corridorWidthM: 80 }, geometry: { type: 'LineString', coordinates: [[118.3, 36.8]] } },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('features.1.geometry');
    expect((await editor.get<ApprovedRoute[]>('/api/v1/routes')).body.some((r) => r.name === '好路线')).toBe(false); // all or nothing
  });

  it('round-trips the export of every geofence kind through its import', async () => {
    await editor.post('/api/v1/disposal-sites', { name: `往返消纳场-${tag}`, status: 'licensed', geometry: square(118.41, 36.822, 0.002), washingFacility: true, distanceToSchoolsM: 1500 });
    await editor.post('/api/v1/routes', { name: `往返路线-${tag}`, corridorWidthM: 150, geometry: { type: 'LineString', coordinates: [[118.338, 36.832], [118.36, 36.832], [118.41, 36.822]] } });
    await editor.post('/api/v1/speed-zones', { name: `往返限速-${tag}`, limitKmh: 40, geometry: square(118.3, 36.82, 0.01) });
    for (const kind of ['construction-sites', 'disposal-sites', 'routes', 'speed-zones']) {
      const before = (await editor.get<GeofenceExport>(`/api/v1/${kind}/export`)).body;
      expect(before.features.length, kind).toBeGreaterThan(0);
      const res = await editor.post<GeofenceImportResult>(`/api/v1/${kind}/import`, before);
      expect(res.status, `${kind}: ${JSON.stringify(res.body)}`).toBe(200);
      expect(res.body).toMatchObject({ created: 0, updated: before.features.length });
      expect((await editor.get<GeofenceExport>(`/api/v1/${kind}/export`)).body, kind).toEqual(before);
    }
  });

  it('imports official town boundaries with the CRS declared', async () => {
    const towns = (await editor.get<GeofenceExport<{ code: string; name: string }>>('/api/v1/towns/export')).body;
    const qilu = towns.features.find((f) => f.properties.code === 'E37030502')!;
    const res = await editor.post<GeofenceImportResult>('/api/v1/towns/import', { type: 'FeatureCollection', features: [{ ...qilu, properties: { code: 'E37030502', synthetic: true } }] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ kind: 'towns', crs: 'WGS84', updated: 1, created: 0 });
    const unknownCrs = await editor.post<ApiError>('/api/v1/towns/import?crs=EPSG:3857', { type: 'FeatureCollection', features: [] });
    expect(unknownCrs.body.field).toBe('crs');
  });

  it('computes the sealed, terminal-installation and approval rates on a hand-built fixture', async () => {
    const c = await company();
    const sealed = { sealed: true, sealedCertifiedOn: '2026-01-01', permitNo: `准-${tag}`, permitValidFrom: '2026-01-01', permitValidTo: '2026-12-31' };
    const t1 = await truck(c.id, sealed);
    const t2 = await truck(c.id, sealed);
    const t3 = await truck(c.id, { ...sealed, permitValidTo: '2026-03-31' }); // permit expired on the day
    const t4 = await truck(c.id); // not sealed, no permit
    for (const t of [t1, t2, t3]) {
      const term = await terminal();
      await editor.put(`/api/v1/terminals/${term.terminalId}/binding`, { truckId: t.truckId });
    }
    // 十化建 (E37030502): three active sites, one finished; two active sites with an approval valid on 2026-06-01.
    const site = async (lon: number, status = 'active') =>
      (await editor.post<ConstructionSite>('/api/v1/construction-sites', { name: `费率工地-${lon}-${tag}`, geometry: square(lon, 36.7915, 0.0005), townCode: 'E37030502', status })).body;
    const [s1, s2, s3, s4] = [await site(118.3405), await site(118.3425), await site(118.3445), await site(118.3465, 'finished')];
    const approve = (n: string, siteId: string, truckIds: string[], validTo = '2026-12-31') =>
      editor.post<DisposalApproval>('/api/v1/approvals', { number: `费率-${tag}-${n}`, constructionSiteId: siteId, companyId: c.id, validFrom: '2026-01-01', validTo, truckIds });
    await approve('1', s1.id, [t1.truckId, t2.truckId]);
    await approve('2', s2.id, [t2.truckId, t4.truckId]);
    await approve('3', s3.id, [t3.truckId], '2026-05-31'); // expired before the day
    await approve('4', s4.id, [t3.truckId]); // a finished site does not count

    const rates = (await editor.get<RegistryRates>('/api/v1/registry/rates?on=2026-06-01')).body;
    const byCompany = rates.companies.find((r) => r.companyId === c.id)!;
    expect(byCompany).toMatchObject({
      trucks: 4,
      sealed: { numerator: 3, denominator: 4, rate: 0.75 },
      terminalInstalled: { numerator: 3, denominator: 4, rate: 0.75 },
      permitValid: { numerator: 2, denominator: 4, rate: 0.5 },
    });
    const town = rates.towns.find((r) => r.townCode === 'E37030502')!;
    // trucks on the valid approvals of active sites: t1, t2, t4 (t3 only on expired or finished sites' approvals)
    expect(town).toMatchObject({
      activeSites: 3,
      approval: { numerator: 2, denominator: 3, rate: 0.6667 },
      trucks: 3,
      sealed: { numerator: 2, denominator: 3 },
      terminalInstalled: { numerator: 2, denominator: 3 },
      permitValid: { numerator: 2, denominator: 3 },
    });
    expect((await editor.get<ApiError>('/api/v1/registry/rates?on=2026-13-01')).body.field).toBe('on');
  });

  it('shows a town official only their own town\'s sites, approvals and disposal sites (another town\'s by id is 404)', async () => {
    const own = (await editor.post<ConstructionSite>('/api/v1/construction-sites', { name: `金山镇工地-${tag}`, geometry: square(118.177, 36.711, 0.0008), townCode: '370305111' })).body;
    const other = (await editor.post<ConstructionSite>('/api/v1/construction-sites', { name: `皇城镇工地-${tag}`, geometry: square(118.428, 36.9, 0.0008), townCode: '370305102' })).body;
    const c = await company();
    const otherApproval = (
      await editor.post<DisposalApproval>('/api/v1/approvals', { number: `范围-${tag}`, constructionSiteId: other.id, companyId: c.id, validFrom: '2026-01-01', validTo: '2026-12-31' })
    ).body;
    const official = await signInAs(api, 'town_official', { townCode: '370305111' });
    const sites = (await official.get<ConstructionSite[]>('/api/v1/construction-sites')).body;
    expect(sites.some((s) => s.id === own.id)).toBe(true);
    expect(sites.every((s) => s.townCode === '370305111')).toBe(true);
    expect((await official.get(`/api/v1/construction-sites/${other.id}`)).status).toBe(404);
    expect((await official.get(`/api/v1/approvals/${otherApproval.id}`)).status).toBe(404);
    expect((await official.get<DisposalApproval[]>('/api/v1/approvals')).body.every((a) => a.townCode === '370305111')).toBe(true);
    expect((await official.get<GeofenceExport<ConstructionSite>>('/api/v1/construction-sites/export')).body.features.every((f) => f.properties.townCode === '370305111')).toBe(true);
    expect((await official.get<DisposalSite[]>('/api/v1/disposal-sites')).body.every((d) => d.townCode === '370305111')).toBe(true);
    expect((await official.post('/api/v1/construction-sites', { name: 'x', geometry: square(118.177, 36.711) })).status).toBe(403);
  });
  it("shows a town official only their town's trucks, routes and rates, as the live map does (another town's by id is 404)", async () => {
    const [own, other] = ['370305111', '370305102'];
    // A truck in each town: its latest position (from a real fix over MQTT) lies inside that town.
    const { rows: points } = await pool.query<{ code: string; lon: number; lat: number }>(
      `SELECT code, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM towns WHERE code = ANY($1)`,
      [[own, other]],
    );
    const at = new Map(points.map((p) => [p.code, p]));
    const c = await company();
    const [ownTruck, otherTruck, idleTruck] = [await truck(c.id), await truck(c.id), await truck(c.id)];
    const mqttClient = await connectTerminal(inject('mqttUrl'), `scope-rest-${tag}`);
    try {
      for (const [t, town] of [[ownTruck, own], [otherTruck, other]] as const) {
        const term = await terminal();
        expect((await editor.put(`/api/v1/terminals/${term.terminalId}/binding`, { truckId: t.truckId })).status).toBeLessThan(300);
        const p = at.get(town)!;
        await publishFixes(mqttClient, term.terminalId, { ts: new Date(Date.now() - 5_000).toISOString(), lat: p.lat, lon: p.lon, speedKmh: 20, headingDeg: 90 });
      }
    } finally {
      await mqttClient.endAsync();
    }
    await waitFor(
      async () => (await Promise.all([ownTruck, otherTruck].map(async (t) => (await editor.get<TruckRecord>(`/api/v1/trucks/${t.truckId}`)).body.latest))).every(Boolean),
      20_000,
      'both trucks have a latest position',
    );

    // Routes: one from a site of the town, one designated by an approval of a site of the town,
    // one from another town's site, one linked to nothing.
    const ownSite = (await editor.post<ConstructionSite>('/api/v1/construction-sites', { name: `路线工地-本镇-${tag}`, geometry: square(118.178, 36.712, 0.0005), townCode: own })).body;
    const otherSite = (await editor.post<ConstructionSite>('/api/v1/construction-sites', { name: `路线工地-他镇-${tag}`, geometry: square(118.429, 36.901, 0.0005), townCode: other })).body;
    const line = { type: 'LineString', coordinates: [[118.2, 36.8], [118.21, 36.81]] };
    const route = async (name: string, extra: Record<string, unknown> = {}) => {
      const res = await editor.post<ApprovedRoute>('/api/v1/routes', { name: `${name}-${tag}`, geometry: line, corridorWidthM: 60, ...extra });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    };
    const fromOwnSite = await route('本镇工地路线', { constructionSiteId: ownSite.id });
    const approved = await route('本镇核准路线');
    const fromOtherSite = await route('他镇工地路线', { constructionSiteId: otherSite.id });
    const unlinked = await route('无关路线');
    const approval = await editor.post<DisposalApproval>('/api/v1/approvals', {
      number: `路线范围-${tag}`, constructionSiteId: ownSite.id, companyId: c.id, validFrom: '2026-01-01', validTo: '2026-12-31', routeIds: [approved.id],
    });
    expect(approval.status, JSON.stringify(approval.body)).toBe(201);

    const official = await signInAs(api, 'town_official', { townCode: own });
    // Trucks: only those whose latest position is in the town; a truck without a position is in no town.
    const trucks = (await official.get<TruckRecord[]>('/api/v1/trucks')).body.map((t) => t.truckId);
    expect(trucks).toContain(ownTruck.truckId);
    expect(trucks).not.toContain(otherTruck.truckId);
    expect(trucks).not.toContain(idleTruck.truckId);
    expect((await official.get<TruckRecord>(`/api/v1/trucks/${ownTruck.truckId}`)).status).toBe(200);
    expect((await official.get(`/api/v1/trucks/${otherTruck.truckId}`)).status).toBe(404);
    expect((await official.get(`/api/v1/trucks/${otherTruck.truckId}/bindings`)).status).toBe(404);
    expect((await official.get(`/api/v1/trucks?companyId=${c.id}`)).body).toEqual([expect.objectContaining({ truckId: ownTruck.truckId })]);
    // Routes.
    const routes = (await official.get<ApprovedRoute[]>('/api/v1/routes')).body.map((r) => r.id);
    expect(routes).toEqual(expect.arrayContaining([fromOwnSite.id, approved.id]));
    expect(routes).not.toContain(fromOtherSite.id);
    expect(routes).not.toContain(unlinked.id);
    expect((await official.get(`/api/v1/routes/${approved.id}`)).status).toBe(200);
    expect((await official.get(`/api/v1/routes/${fromOtherSite.id}`)).status).toBe(404);
    expect((await official.get(`/api/v1/routes/${unlinked.id}`)).status).toBe(404);
    expect((await official.get<GeofenceExport<ApprovedRoute>>('/api/v1/routes/export')).body.features.map((f) => f.properties.id)).not.toContain(fromOtherSite.id);
    // Rates: their own town's line only.
    const rates = (await official.get<RegistryRates>('/api/v1/registry/rates')).body;
    expect(rates.towns.map((t) => t.townCode)).toEqual([own]);
    expect(rates.companies).toEqual([]);
    expect(rates.district).toBeNull();

    // The dispatcher still sees the whole district.
    const all = (await editor.get<TruckRecord[]>('/api/v1/trucks')).body.map((t) => t.truckId);
    expect(all).toEqual(expect.arrayContaining([ownTruck.truckId, otherTruck.truckId, idleTruck.truckId]));
    expect((await editor.get(`/api/v1/trucks/${otherTruck.truckId}`)).status).toBe(200);
    expect((await editor.get<ApprovedRoute[]>('/api/v1/routes')).body.map((r) => r.id)).toEqual(
      expect.arrayContaining([fromOwnSite.id, approved.id, fromOtherSite.id, unlinked.id]),
    );
    const districtRates = (await editor.get<RegistryRates>('/api/v1/registry/rates')).body;
    expect(districtRates.district).not.toBeNull();
    expect(districtRates.towns.length).toBeGreaterThan(1);
    expect(districtRates.companies.some((r) => r.companyId === c.id)).toBe(true);
  });
});
