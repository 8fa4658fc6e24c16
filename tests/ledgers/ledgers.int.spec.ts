import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type {
  ApiError,
  CollectionPoint,
  CollectionRequestDetail,
  DispatchableTruck,
  Finding,
  FindingDetail,
  LedgerPage,
  LedgerPhoto,
  TownLedgerCoverage,
  WastePile,
  WastePileDetail,
} from '@muckwatch/contracts';
import { formatDateTime, renderApiError } from '@muckwatch/contracts';
import { type ApiClient, type ApiResponse, signInAs } from '../support/api-client.js';
import { startTestApi } from '../support/test-api.js';

type TestApi = Awaited<ReturnType<typeof startTestApi>>;

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('0000000d49484452', 'hex'), Buffer.alloc(64, 1)]);
const PDF = Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj <<>> endobj\n', 'latin1');

const WENSHAO = '370305001'; // 闻韶街道
const XUEGONG = '370305002'; // 雪宫街道

// The towns' ledgers through HTTP on the real migrations: records, validation, scope (a town
// official of 闻韶 against 雪宫's records), optimistic versions, photos and coverage.
describe('town ledgers', () => {
  let api: TestApi;
  let db: pg.Client;
  let admin: ApiClient;
  let dispatcher: ApiClient;
  let auditor: ApiClient;
  let enforcement: ApiClient;
  let wenshao: ApiClient;
  let xuegong: ApiClient;
  /** A point inside each town (its point on surface) and one inside no town. */
  const inside: Record<string, [number, number]> = {};

  async function upload(client: ApiClient, path: string, content: Buffer, name: string): Promise<ApiResponse<LedgerPhoto & ApiError>> {
    const form = new FormData();
    form.append('file', new Blob([content]), name);
    const res = await fetch(`${client.baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${client.token}` }, body: form });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as LedgerPhoto & ApiError };
  }

  const point = (town: string, dLon = 0, dLat = 0): { type: 'Point'; coordinates: [number, number] } => ({
    type: 'Point',
    coordinates: [inside[town]![0] + dLon, inside[town]![1] + dLat],
  });

  /** A small square (≈ 40 m) around the town's inner point. */
  const square = (town: string): { type: 'Polygon'; coordinates: number[][][] } => {
    const [lon, lat] = inside[town]!;
    const d = 0.0002;
    return { type: 'Polygon', coordinates: [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]] };
  };

  beforeAll(async () => {
    api = await startTestApi();
    db = new pg.Client({ connectionString: inject('databaseUrl') });
    await db.connect();
    const { rows } = await db.query<{ code: string; lon: number; lat: number }>(
      `SELECT code, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM towns`,
    );
    for (const r of rows) inside[r.code] = [r.lon, r.lat];
    [admin, dispatcher, auditor, enforcement, wenshao, xuegong] = await Promise.all([
      signInAs(api, 'admin'),
      signInAs(api, 'dispatcher'),
      signInAs(api, 'auditor'),
      signInAs(api, 'enforcement_officer'),
      signInAs(api, 'town_official', { townCode: WENSHAO }),
      signInAs(api, 'town_official', { townCode: XUEGONG }),
    ]);
  });

  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  it('a town registers a pile, works it to cleared, and only the muck office verifies it; history and audit follow', async () => {
    const created = await wenshao.post<WastePileDetail>('/api/v1/ledgers/piles', {
      name: '辛东社区东侧建筑垃圾堆',
      geometry: square(WENSHAO),
      landNature: 'vacant_lot',
      volumeM3: 350,
      responsibleParty: '辛东社区居委会',
      governancePlan: '分批清运至消纳场',
      deadline: '2026-12-31',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ townCode: WENSHAO, status: 'registered', version: 1, volumeM3: 350, overdue: false, geometry: { type: 'Polygon' } });
    expect(created.body.allowedStatuses).toEqual(['in_progress', 'cleared', 'covered']);
    const id = created.body.id;

    let v = created.body.version;
    for (const to of ['in_progress', 'cleared'] as const) {
      const res = await wenshao.post<WastePileDetail>(`/api/v1/ledgers/piles/${id}/transitions`, { to, version: v, comment: `to ${to}` });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.status).toBe(to);
      v = res.body.version;
    }
    const selfVerify = await wenshao.post<ApiError>(`/api/v1/ledgers/piles/${id}/transitions`, { to: 'verified', version: v });
    expect(selfVerify.status).toBe(403);
    expect(selfVerify.body.code).toBe('ledger.action_forbidden');

    const verified = await dispatcher.post<WastePileDetail>(`/api/v1/ledgers/piles/${id}/transitions`, { to: 'verified', version: v });
    expect(verified.status).toBe(200);
    expect(verified.body.status).toBe('verified');
    expect(verified.body.verifiedAt).not.toBeNull();
    expect(verified.body.history.map((e) => `${e.action}:${e.fromStatus ?? ''}>${e.toStatus}`)).toEqual([
      'create:>registered',
      'status:registered>in_progress',
      'status:in_progress>cleared',
      'status:cleared>verified',
    ]);
    const final = await wenshao.patch<ApiError>(`/api/v1/ledgers/piles/${id}`, { version: verified.body.version, volumeM3: 1 });
    expect(final.status).toBe(409);
    expect(final.body.code).toBe('ledger.record_final');

    const { rows } = await db.query<{ action: string }>(`SELECT action FROM audit_log WHERE resource_id = $1 ORDER BY id`, [id]);
    expect(rows.map((r) => r.action)).toEqual(['pile.create', 'pile.status', 'pile.status', 'pile.status']);
  });

  it('scope: a town official sees and edits only their own town; another town’s id is 404', async () => {
    const theirs = await xuegong.post<WastePileDetail>('/api/v1/ledgers/piles', { name: '雪宫堆', geometry: point(XUEGONG), landNature: 'roadside', volumeM3: 20 });
    expect(theirs.status, JSON.stringify(theirs.body)).toBe(201);
    const id = theirs.body.id;

    expect((await wenshao.get<ApiError>(`/api/v1/ledgers/piles/${id}`)).status).toBe(404);
    const patch = await wenshao.patch<ApiError>(`/api/v1/ledgers/piles/${id}`, { version: 1, name: '改名' });
    expect(patch.status).toBe(404);
    expect(patch.body.code).toBe('ledger.not_found');
    expect((await wenshao.post<ApiError>(`/api/v1/ledgers/piles/${id}/transitions`, { to: 'cleared', version: 1 })).status).toBe(404);
    expect((await upload(wenshao, `/api/v1/ledgers/piles/${id}/photos`, PNG, 'a.png')).status).toBe(404);

    const mine = await wenshao.get<LedgerPage<WastePile>>('/api/v1/ledgers/piles?pageSize=200');
    expect(mine.status).toBe(200);
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.items.every((p) => p.townCode === WENSHAO)).toBe(true);
    // Asking for another town's list by filter still yields nothing of it.
    expect((await wenshao.get<LedgerPage<WastePile>>(`/api/v1/ledgers/piles?townCode=${XUEGONG}`)).body.total).toBe(0);

    // Creating for another town, or at a place in another town, is refused.
    const forOther = await wenshao.post<ApiError>('/api/v1/ledgers/piles', { townCode: XUEGONG, name: 'x', geometry: point(XUEGONG), landNature: 'other', volumeM3: 1 });
    expect(forOther.status).toBe(403);
    expect(forOther.body.code).toBe('ledger.town_out_of_scope');
    const elsewhere = await wenshao.post<ApiError>('/api/v1/ledgers/piles', { name: 'x', geometry: point(XUEGONG), landNature: 'other', volumeM3: 1 });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.code).toBe('ledger.outside_town');
    // The message names the town, not the field or the code.
    expect(elsewhere.body.params).toMatchObject({ townCode: WENSHAO, townName: '闻韶街道' });
    expect(renderApiError(elsewhere.body, 'zh-CN')).toBe('位置不在闻韶街道辖区内');
    expect(renderApiError(elsewhere.body, 'en')).toBe('The location is outside 闻韶街道');

    // The muck office sees both towns; the auditor reads but writes nothing; enforcement has no piles.
    expect((await dispatcher.get<WastePileDetail>(`/api/v1/ledgers/piles/${id}`)).status).toBe(200);
    expect((await auditor.get<WastePileDetail>(`/api/v1/ledgers/piles/${id}`)).status).toBe(200);
    const audit = await auditor.patch<ApiError>(`/api/v1/ledgers/piles/${id}`, { version: 1, name: '改名' });
    expect(audit.status).toBe(403);
    expect(audit.body.code).toBe('ledger.read_only');
    expect((await enforcement.get<ApiError>('/api/v1/ledgers/piles')).status).toBe(403);
    // The office may leave the town out: the one whose area holds the pile; outside every town it must name one.
    const derived = await dispatcher.post<WastePileDetail>('/api/v1/ledgers/piles', { name: 'x', geometry: square(XUEGONG), landNature: 'other', volumeM3: 1 });
    expect(derived.status).toBe(201);
    expect(derived.body.townCode).toBe(XUEGONG);
    const noTown = await dispatcher.post<ApiError>('/api/v1/ledgers/piles', { name: 'x', geometry: { type: 'Point', coordinates: [118.0, 36.45] }, landNature: 'other', volumeM3: 1 });
    expect(noTown.status).toBe(400);
    expect(noTown.body.field).toBe('townCode');
  });

  it('optimistic versions: a stale version is 409 with the current one', async () => {
    const created = await wenshao.post<WastePileDetail>('/api/v1/ledgers/piles', { name: '版本测试', geometry: point(WENSHAO), landNature: 'farmland', volumeM3: 5 });
    const id = created.body.id;
    const first = await wenshao.patch<WastePileDetail>(`/api/v1/ledgers/piles/${id}`, { version: 1, volumeM3: 8, deadline: '2020-01-01' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ version: 2, volumeM3: 8, overdue: true });
    expect(first.body.history.at(-1)).toMatchObject({ action: 'update', changed: { volumeM3: 8, deadline: '2020-01-01' } });
    const stale = await dispatcher.patch<ApiError>(`/api/v1/ledgers/piles/${id}`, { version: 1, volumeM3: 9 });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'ledger.version_conflict', params: { currentVersion: 2 } });
  });

  it('validation: bad bodies are 4xx naming the field, never 5xx', async () => {
    const bad: Array<[Record<string, unknown>, number, string]> = [
      [{ name: '', geometry: point(WENSHAO), landNature: 'other', volumeM3: 1 }, 400, 'name'],
      [{ name: 'x', geometry: point(WENSHAO), landNature: 'swamp', volumeM3: 1 }, 400, 'landNature'],
      [{ name: 'x', geometry: point(WENSHAO), landNature: 'other', volumeM3: -1 }, 400, 'volumeM3'],
      [{ name: 'x', geometry: point(WENSHAO), landNature: 'other', volumeM3: 1, extra: 1 }, 400, 'extra'],
      [{ name: 'x', geometry: point(WENSHAO), landNature: 'other', volumeM3: 1, deadline: '2026-02-30' }, 400, 'deadline'],
      [{ name: 'x', geometry: { type: 'Point', coordinates: [116.4, 39.9] }, landNature: 'other', volumeM3: 1 }, 422, 'geometry'],
      [{ name: 'x', geometry: { type: 'LineString', coordinates: [[118.3, 36.8], [118.31, 36.81]] }, landNature: 'other', volumeM3: 1 }, 400, 'geometry'],
      [
        {
          name: 'bow tie',
          geometry: { type: 'Polygon', coordinates: [[[118.30, 36.80], [118.31, 36.81], [118.31, 36.80], [118.30, 36.81], [118.30, 36.80]]] },
          landNature: 'other',
          volumeM3: 1,
        },
        400,
        'geometry',
      ],
      [{ name: 'x'.repeat(101), geometry: point(WENSHAO), landNature: 'other', volumeM3: 1 }, 400, 'name'],
    ];
    for (const [body, status, field] of bad) {
      const res = await wenshao.post<ApiError>('/api/v1/ledgers/piles', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.field, JSON.stringify(res.body)).toMatch(new RegExp(`^${field}`));
    }
    expect((await wenshao.get<ApiError>('/api/v1/ledgers/piles/not-a-uuid')).status).toBe(404);
    expect((await wenshao.get<ApiError>('/api/v1/ledgers/piles?status=gone')).status).toBe(400);
    expect((await wenshao.get<ApiError>('/api/v1/ledgers/piles?pageSize=100000')).status).toBe(400);
    expect((await wenshao.get<ApiError>('/api/v1/ledgers/findings?from=yesterday')).status).toBe(400);
  });

  it('photos: a PNG is kept and served back; a PDF or an .exe named .png is refused', async () => {
    const created = await wenshao.post<WastePileDetail>('/api/v1/ledgers/piles', { name: '照片测试', geometry: point(WENSHAO), landNature: 'woodland', volumeM3: 3 });
    const path = `/api/v1/ledgers/piles/${created.body.id}/photos`;
    const up = await upload(wenshao, path, PNG, '现场.png');
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body).toMatchObject({ contentType: 'image/png', fileName: '现场.png', sizeBytes: PNG.length });
    const back = await fetch(`${api.url}${path}/${up.body.id}`, { headers: { authorization: `Bearer ${wenshao.token}` } });
    expect(back.status).toBe(200);
    expect(back.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await back.arrayBuffer()).equals(PNG)).toBe(true);
    const pdf = await upload(wenshao, path, PDF, 'plan.pdf');
    expect(pdf.status).toBe(415);
    expect(pdf.body.code).toBe('attachment.type_not_allowed');
    const exe = await upload(wenshao, path, Buffer.from('MZ\x90\x00 not an image', 'latin1'), 'photo.png');
    expect(exe.status).toBe(415);
    const detail = await wenshao.get<WastePileDetail>(`/api/v1/ledgers/piles/${created.body.id}`);
    expect(detail.body.photos.map((p) => p.id)).toEqual([up.body.id]);
    expect((await xuegong.get<ApiError>(`${path}/${up.body.id}`)).status).toBe(404);
  });

  it('findings: the town comes from the location; outside every town is 422; enforcement officers read them', async () => {
    const found = await dispatcher.post<FindingDetail>('/api/v1/ledgers/findings', {
      kind: 'road_pollution',
      location: point(XUEGONG),
      foundAt: new Date(Date.now() - 3_600_000).toISOString(),
      areaM2: 120,
      description: '路面遗撒',
      finder: 'city',
      deadline: '2026-12-20',
    });
    expect(found.status, JSON.stringify(found.body)).toBe(201);
    expect(found.body).toMatchObject({ townCode: XUEGONG, finder: 'city', status: 'open', areaM2: 120, reportedBy: dispatcher.user.username });

    const nowhere = await dispatcher.post<ApiError>('/api/v1/ledgers/findings', {
      kind: 'dumping_point',
      location: { type: 'Point', coordinates: [118.0, 36.45] },
      foundAt: new Date().toISOString(),
    });
    expect(nowhere.status).toBe(422);
    expect(nowhere.body.code).toBe('ledger.outside_towns');

    // A town records only its own findings, as the town.
    const wrongFinder = await wenshao.post<ApiError>('/api/v1/ledgers/findings', { kind: 'unwashed_exit', location: point(WENSHAO), foundAt: new Date().toISOString(), finder: 'city' });
    expect(wrongFinder.status).toBe(403);
    const inOther = await wenshao.post<ApiError>('/api/v1/ledgers/findings', { kind: 'unwashed_exit', location: point(XUEGONG), foundAt: new Date().toISOString() });
    expect(inOther.status).toBe(403);
    expect(inOther.body.code).toBe('ledger.town_out_of_scope');
    const future = await wenshao.post<ApiError>('/api/v1/ledgers/findings', { kind: 'unwashed_exit', location: point(WENSHAO), foundAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(future.status).toBe(400);
    expect(future.body.code).toBe('ledger.time_in_future');

    expect((await wenshao.get<ApiError>(`/api/v1/ledgers/findings/${found.body.id}`)).status).toBe(404);
    expect((await wenshao.patch<ApiError>(`/api/v1/ledgers/findings/${found.body.id}`, { version: 1, description: 'x' })).status).toBe(404);
    expect((await wenshao.post<ApiError>(`/api/v1/ledgers/findings/${found.body.id}/transitions`, { to: 'rectifying', version: 1 })).status).toBe(404);
    const byXuegong = await xuegong.post<FindingDetail>(`/api/v1/ledgers/findings/${found.body.id}/transitions`, { to: 'rectified', version: 1 });
    expect(byXuegong.status).toBe(200);
    const seen = await enforcement.get<FindingDetail>(`/api/v1/ledgers/findings/${found.body.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.status).toBe('rectified');
    const enforcementWrites = await enforcement.post<ApiError>(`/api/v1/ledgers/findings/${found.body.id}/transitions`, { to: 'verified', version: 2 });
    expect(enforcementWrites.status).toBe(403);
    const verified = await admin.post<FindingDetail>(`/api/v1/ledgers/findings/${found.body.id}/transitions`, { to: 'verified', version: 2 });
    expect(verified.status).toBe(200);
    const list = await enforcement.get<LedgerPage<FindingDetail>>(`/api/v1/ledgers/findings?kind=road_pollution&townCode=${XUEGONG}`);
    expect(list.body.items.map((f) => f.id)).toContain(found.body.id);
  });

  it('collection points and requests: village checks, scope, and coverage per town', async () => {
    // The database is shared with other specs (the ledger browser test also works in 闻韶): coverage is compared with before.
    const before = (await wenshao.get<TownLedgerCoverage[]>('/api/v1/ledgers/coverage')).body[0]!;
    const village = '370305001005'; // 辛东社区居委会, of 闻韶街道
    const created = await wenshao.post<CollectionPoint>('/api/v1/ledgers/collection-points', { villageCode: village, name: '辛东社区收集点', location: point(WENSHAO, 0.0005) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ townCode: WENSHAO, villageCode: village, villageName: '辛东社区居委会', radiusM: 50, active: true });

    const otherVillage = await wenshao.post<ApiError>('/api/v1/ledgers/collection-points', { villageCode: '370305002001', name: 'x', location: point(WENSHAO) });
    expect(otherVillage.status).toBe(422);
    expect(otherVillage.body.code).toBe('ledger.village_other_town');
    const unknownVillage = await wenshao.post<ApiError>('/api/v1/ledgers/collection-points', { villageCode: '370305001999', name: 'x', location: point(WENSHAO) });
    expect(unknownVillage.status).toBe(400);

    expect((await xuegong.get<ApiError>(`/api/v1/ledgers/collection-points/${created.body.id}`)).status).toBe(404);
    // Another town's point cannot serve this town's request.
    const foreign = await xuegong.post<ApiError>('/api/v1/ledgers/collection-requests', { requesterKind: 'community', requesterName: 'x', collectionPointId: created.body.id, volumeM3: 2 });
    expect(foreign.status).toBe(422);
    expect(foreign.body.code).toBe('ledger.point_unknown');

    const request = await wenshao.post<CollectionRequestDetail>('/api/v1/ledgers/collection-requests', {
      villageCode: village,
      requesterKind: 'community',
      requesterName: '辛东社区',
      contact: '0533-0000000',
      collectionPointId: created.body.id,
      volumeM3: 12.5,
    });
    expect(request.status, JSON.stringify(request.body)).toBe(201);
    expect(request.body).toMatchObject({ state: 'requested', location: created.body.location, radiusM: 50, sameDay: null });

    // Another town's request: not found, by any door.
    expect((await xuegong.get<ApiError>(`/api/v1/ledgers/collection-requests/${request.body.id}`)).status).toBe(404);
    expect((await xuegong.patch<ApiError>(`/api/v1/ledgers/collection-requests/${request.body.id}`, { version: 1, volumeM3: 1 })).status).toBe(404);
    expect((await xuegong.post<ApiError>(`/api/v1/ledgers/collection-requests/${request.body.id}/cancel`, { reason: 'x', version: 1 })).status).toBe(404);
    expect((await xuegong.get<LedgerPage<CollectionRequestDetail>>('/api/v1/ledgers/collection-requests')).body.items.map((r) => r.id)).not.toContain(request.body.id);
    expect((await auditor.get<CollectionRequestDetail>(`/api/v1/ledgers/collection-requests/${request.body.id}`)).status).toBe(200);

    // No person marks it fulfilled: there is no such door, and transitions do not take it.
    expect((await wenshao.post(`/api/v1/ledgers/collection-requests/${request.body.id}/fulfil`, { version: 1 })).status).toBe(404);
    const badTruck = await wenshao.post<ApiError>(`/api/v1/ledgers/collection-requests/${request.body.id}/dispatch`, { truckId: '00000000-0000-4000-8000-000000000000', version: 1 });
    expect(badTruck.status).toBe(400);
    expect(badTruck.body.code).toBe('ledger.truck_unknown');
    const cancel = await wenshao.post<CollectionRequestDetail>(`/api/v1/ledgers/collection-requests/${request.body.id}/cancel`, { reason: '居民自行处理', version: 1 });
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({ state: 'cancelled', cancelReason: '居民自行处理' });
    const again = await wenshao.post<ApiError>(`/api/v1/ledgers/collection-requests/${request.body.id}/cancel`, { reason: 'x', version: 2 });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ledger.illegal_transition');

    const coverage = await wenshao.get<TownLedgerCoverage[]>('/api/v1/ledgers/coverage');
    expect(coverage.status).toBe(200);
    expect(coverage.body).toHaveLength(1);
    const after = coverage.body[0]!;
    expect(after).toMatchObject({ townCode: WENSHAO, villages: 9, activePoints: before.activePoints + 1, requests: before.requests + 1, fulfilled: before.fulfilled });
    expect(after.villagesCovered).toBeGreaterThanOrEqual(Math.max(1, before.villagesCovered));
    expect(after.coverageRate).toBeCloseTo(after.villagesCovered / 9, 4);
    const all = await dispatcher.get<TownLedgerCoverage[]>('/api/v1/ledgers/coverage');
    expect(all.body.length).toBe(14);
    expect(all.body.find((t) => t.townCode === 'E37030501')).toMatchObject({ villages: 0, coverageRate: null });
  });

  it('overdue=true|false filters piles and findings in SQL: past the deadline (before today in Asia/Shanghai) and still open', async () => {
    const town = Object.keys(inside).find((code) => code !== WENSHAO && code !== XUEGONG && /^\d{9}$/.test(code))!;
    const today = formatDateTime(Date.now())!.slice(0, 10);
    const pile = async (name: string, deadline: string | null, dLon: number): Promise<WastePileDetail> => {
      const res = await dispatcher.post<WastePileDetail>('/api/v1/ledgers/piles', { townCode: town, name, geometry: point(town, dLon), landNature: 'other', volumeM3: 1, deadline });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    };
    const late = await pile('逾期堆', '2020-01-01', 0);
    const cleared = await pile('已清运堆', '2020-01-01', 0.0001);
    expect((await dispatcher.post(`/api/v1/ledgers/piles/${cleared.id}/transitions`, { to: 'cleared', version: 1 })).status).toBe(200);
    const noDeadline = await pile('无期限堆', null, 0.0002);
    const dueToday = await pile('今日到期堆', today, 0.0003);
    const later = await pile('未到期堆', '2099-12-31', 0.0004);

    const list = async <T extends { id: string; overdue: boolean }>(path: string): Promise<LedgerPage<T>> => {
      const res = await dispatcher.get<LedgerPage<T>>(path);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    };
    // Other specs share the database and may keep records in this town: judge ours, and every row's flag.
    const ours = (ids: string[]): ((id: string) => boolean) => (id) => ids.includes(id);
    const ourPiles = ours([late.id, cleared.id, noDeadline.id, dueToday.id, later.id]);
    const overdue = await list<WastePile>(`/api/v1/ledgers/piles?townCode=${town}&overdue=true&pageSize=200`);
    expect(overdue.items.map((p) => p.id).filter(ourPiles)).toEqual([late.id]);
    expect(overdue.items.every((p) => p.overdue)).toBe(true);
    const notOverdue = await list<WastePile>(`/api/v1/ledgers/piles?townCode=${town}&overdue=false&pageSize=200`);
    expect(notOverdue.items.map((p) => p.id).filter(ourPiles).sort()).toEqual([cleared.id, noDeadline.id, dueToday.id, later.id].sort());
    expect(notOverdue.items.every((p) => !p.overdue)).toBe(true);
    // With the other filters and paging: the total counts the overdue ones only.
    expect((await list<WastePile>(`/api/v1/ledgers/piles?townCode=${town}&overdue=true&status=cleared`)).total).toBe(0);
    const paged = await list<WastePile>(`/api/v1/ledgers/piles?townCode=${town}&overdue=false&pageSize=1&page=2`);
    expect(paged).toMatchObject({ total: notOverdue.total, page: 2, pageSize: 1 });
    expect(paged.items).toHaveLength(1);

    const finding = async (deadline: string, dLon: number): Promise<FindingDetail> => {
      const res = await dispatcher.post<FindingDetail>('/api/v1/ledgers/findings', { kind: 'road_pollution', location: point(town, dLon), foundAt: '2019-12-01T08:00:00+08:00', deadline });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    };
    const open = await finding('2020-01-01', 0.0005);
    const rectified = await finding('2020-01-01', 0.0006);
    expect((await dispatcher.post(`/api/v1/ledgers/findings/${rectified.id}/transitions`, { to: 'rectified', version: 1 })).status).toBe(200);
    const rectifying = await finding('2020-01-01', 0.0007);
    expect((await dispatcher.post(`/api/v1/ledgers/findings/${rectifying.id}/transitions`, { to: 'rectifying', version: 1 })).status).toBe(200);
    const ourFindings = ours([open.id, rectified.id, rectifying.id]);
    const lateFindings = await list<Finding>(`/api/v1/ledgers/findings?townCode=${town}&overdue=true&pageSize=200`);
    expect(lateFindings.items.map((f) => f.id).filter(ourFindings).sort()).toEqual([open.id, rectifying.id].sort());
    expect(lateFindings.items.every((f) => f.overdue)).toBe(true);
    const onTime = await list<Finding>(`/api/v1/ledgers/findings?townCode=${town}&overdue=false&pageSize=200`);
    expect(onTime.items.map((f) => f.id).filter(ourFindings)).toEqual([rectified.id]);
    expect(onTime.items.every((f) => !f.overdue)).toBe(true);

    // A town official's overdue list is still their own town's only.
    expect((await wenshao.get<LedgerPage<WastePile>>(`/api/v1/ledgers/piles?townCode=${town}&overdue=true`)).body.total).toBe(0);

    // Not true or false: 400 naming the parameter (a repeated one stops at the input boundary).
    const bad: Array<[string, string]> = [['overdue=yes', 'query.invalid'], ['overdue=', 'query.invalid'], ['overdue=TRUE', 'query.invalid'], ['overdue=true&overdue=false', 'input.unacceptable']];
    for (const [query, code] of bad) {
      for (const kind of ['piles', 'findings']) {
        const res = await dispatcher.get<ApiError>(`/api/v1/ledgers/${kind}?${query}`);
        expect(res.status, `${kind}?${query}`).toBe(400);
        expect(res.body).toMatchObject({ code, params: { field: 'overdue' } });
      }
    }
  });

  it('dispatchable trucks: every truck with a terminal and a valid permit, wherever it is; dispatch takes exactly those', async () => {
    const tag = String(Date.now() % 100_000).padStart(5, '0');
    const { rows: [company] } = await db.query<{ id: string }>(
      `INSERT INTO transport_companies (id, name, credit_code) VALUES (gen_random_uuid(), $1, $2) RETURNING id`,
      [`派车测试运输公司${tag}`, `91370305TEST${tag}`],
    );
    const truck = async (plate: string, permit: [string, string] | null, terminal: boolean): Promise<string> => {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO trucks (id, plate, company_id, sealed, permit_no, permit_valid_from, permit_valid_to)
         VALUES (gen_random_uuid(), $1, $2, true, $3, $4, $5) RETURNING id`,
        [plate, company!.id, permit ? `准运-${plate}` : null, permit?.[0] ?? null, permit?.[1] ?? null],
      );
      if (terminal) await db.query(`INSERT INTO terminals (terminal_id, truck_id, bound_at) VALUES ($1, $2, now())`, [`T${tag}${plate.slice(-2)}`, rows[0]!.id]);
      return rows[0]!.id;
    };
    // No truck reports a position: none is in 闻韶, which the town-scoped truck list would need.
    const ready = await truck(`鲁CX${tag}A1`, ['2020-01-01', '2099-12-31'], true);
    const noTerminal = await truck(`鲁CX${tag}B2`, ['2020-01-01', '2099-12-31'], false);
    const expired = await truck(`鲁CX${tag}C3`, ['2020-01-01', '2020-12-31'], true);
    const noPermit = await truck(`鲁CX${tag}D4`, null, true);

    const pointRes = await wenshao.post<CollectionPoint>('/api/v1/ledgers/collection-points', { name: `派车收集点${tag}`, location: point(WENSHAO, -0.0005) });
    expect(pointRes.status, JSON.stringify(pointRes.body)).toBe(201);
    const request = await wenshao.post<CollectionRequestDetail>('/api/v1/ledgers/collection-requests', { requesterKind: 'enterprise', requesterName: '派车测试', collectionPointId: pointRes.body.id, volumeM3: 3 });
    expect(request.status, JSON.stringify(request.body)).toBe(201);
    const base = `/api/v1/ledgers/collection-requests/${request.body.id}/dispatchable-trucks`;

    const mine = await wenshao.get<LedgerPage<DispatchableTruck>>(`${base}?q=${encodeURIComponent(`cx${tag}`)}`);
    expect(mine.status, JSON.stringify(mine.body)).toBe(200);
    expect(mine.body).toMatchObject({ total: 1, page: 1, pageSize: 50 });
    expect(mine.body.items).toEqual([
      { truckId: ready, plate: `鲁CX${tag}A1`, companyId: company!.id, companyName: `派车测试运输公司${tag}`, terminalId: `T${tag}A1`, permitValidTo: '2099-12-31' },
    ]);
    expect((await wenshao.get<LedgerPage<DispatchableTruck>>(`${base}?q=${encodeURIComponent(`鲁CX${tag}B`)}`)).body.total).toBe(0);
    const paged = await dispatcher.get<LedgerPage<DispatchableTruck>>(`${base}?pageSize=1`);
    expect(paged.status).toBe(200);
    expect(paged.body.items.length).toBe(1);
    expect(paged.body.total).toBeGreaterThanOrEqual(1);

    // Another town cannot see the request's list; bounded inputs are 400.
    expect((await xuegong.get<ApiError>(base)).status).toBe(404);
    expect((await wenshao.get<ApiError>('/api/v1/ledgers/collection-requests/not-a-uuid/dispatchable-trucks')).status).toBe(404);
    const longQ = await wenshao.get<ApiError>(`${base}?q=${'鲁'.repeat(21)}`);
    expect(longQ.status).toBe(400);
    expect(longQ.body).toMatchObject({ code: 'query.invalid', params: { field: 'q' } });
    expect((await wenshao.get<ApiError>(`${base}?pageSize=201`)).status).toBe(400);
    expect((await wenshao.get<ApiError>(`${base}?q=a&q=b`)).status).toBe(400);

    // Dispatch refuses the trucks the list leaves out, with a clear 4xx, and takes the listed one.
    const refuse = async (truckId: string, status: number, code: string): Promise<void> => {
      const res = await wenshao.post<ApiError>(`/api/v1/ledgers/collection-requests/${request.body.id}/dispatch`, { truckId, version: 1 });
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.code).toBe(code);
      expect(res.body.field).toBe('truckId');
    };
    await refuse(noTerminal, 422, 'ledger.truck_no_terminal');
    await refuse(expired, 422, 'ledger.truck_permit_invalid');
    await refuse(noPermit, 422, 'ledger.truck_permit_invalid');
    await refuse('00000000-0000-4000-8000-000000000000', 400, 'ledger.truck_unknown');
    const dispatched = await wenshao.post<CollectionRequestDetail>(`/api/v1/ledgers/collection-requests/${request.body.id}/dispatch`, { truckId: ready, version: 1 });
    expect(dispatched.status, JSON.stringify(dispatched.body)).toBe(200);
    expect(dispatched.body).toMatchObject({ state: 'dispatched', truckId: ready, plate: `鲁CX${tag}A1` });
  });

  it('documents every ledger endpoint in OpenAPI with the schemas that validate the bodies and real response schemas', async () => {
    const res = await fetch(`${api.url}/api/openapi.json`, { headers: { authorization: `Bearer ${admin.token}` } });
    expect(res.status).toBe(200);
    type Operation = { requestBody?: { content: Record<string, { schema: { properties?: Record<string, { enum?: string[] }> } }> }; responses: Record<string, { content?: Record<string, { schema: { properties?: Record<string, unknown> } }> }> };
    const doc = (await res.json()) as { paths: Record<string, Record<string, Operation>> };
    for (const path of ['piles', 'collection-points', 'collection-requests', 'findings']) {
      expect(Object.keys(doc.paths[`/api/v1/ledgers/${path}`]!)).toEqual(expect.arrayContaining(['get', 'post']));
      expect(Object.keys(doc.paths[`/api/v1/ledgers/${path}/{id}`]!)).toEqual(expect.arrayContaining(['get', 'patch']));
    }
    const transition = doc.paths['/api/v1/ledgers/piles/{id}/transitions']!['post']!;
    expect(transition.requestBody!.content['application/json']!.schema.properties!['to']!.enum).toEqual(['registered', 'in_progress', 'cleared', 'covered', 'verified']);
    expect(Object.keys(transition.responses['200']!.content!['application/json']!.schema.properties!)).toEqual(expect.arrayContaining(['history', 'photos', 'allowedStatuses']));
    const request = doc.paths['/api/v1/ledgers/collection-requests']!['post']!;
    expect(Object.keys(request.requestBody!.content['application/json']!.schema.properties!)).toEqual(expect.arrayContaining(['requesterKind', 'collectionPointId', 'location']));
    expect(doc.paths['/api/v1/ledgers/collection-requests/{id}/dispatch']!['post']).toBeDefined();
    const dispatchable = doc.paths['/api/v1/ledgers/collection-requests/{id}/dispatchable-trucks']!['get'] as Operation & { parameters: Array<{ name: string }> };
    expect(dispatchable.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['id', 'q', 'page', 'pageSize']));
    for (const path of ['piles', 'findings']) {
      const list = doc.paths[`/api/v1/ledgers/${path}`]!['get'] as Operation & { parameters: Array<{ name: string; schema?: { enum?: string[] } }> };
      expect(list.parameters.find((p) => p.name === 'overdue')?.schema?.enum).toEqual(['true', 'false']);
    }
    expect(doc.paths['/api/v1/ledgers/collection-requests/{id}/fulfil']).toBeUndefined();
    expect(doc.paths['/api/v1/ledgers/coverage']!['get']!.responses['200']).toBeDefined();
  });
});
