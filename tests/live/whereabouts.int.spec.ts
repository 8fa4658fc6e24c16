import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ApiError, ConstructionSite, TransportCompany, TruckRecord, TruckWhereabouts, WhereaboutsBatch } from '@muckwatch/contracts';
import { makeUscc } from '@muckwatch/linzi';
import type { RunningApi } from '@muckwatch/api';
import { type ApiClient, signInAs } from '../support/api-client.js';
import { connectTerminal, publishFixes } from '../support/mqtt.js';
import { startTestApi, uniqueTag, waitFor } from '../support/test-api.js';

/**
 * GET /api/v1/trucks/{id}/whereabouts and GET /api/v1/whereabouts: the town and the nearest site in
 * words, checked against PostGIS asked directly (the oracle), the town official's scope, bad ids.
 */

function square(lon: number, lat: number, half = 0.0006): { type: 'Polygon'; coordinates: number[][][] } {
  return { type: 'Polygon', coordinates: [[[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half], [lon - half, lat - half]]] };
}

const [OWN, OTHER] = ['370305111', '370305102'];

describe('whereabouts (issue #13)', () => {
  let api: RunningApi;
  let dispatcher: ApiClient;
  let pool: pg.Pool;
  const tag = uniqueTag();
  const trucks: Record<'own' | 'inside' | 'other' | 'idle', TruckRecord> = {} as never;
  let ownSite: ConstructionSite;
  let at: Map<string, { lon: number; lat: number; name: string }>;

  beforeAll(async () => {
    api = await startTestApi();
    dispatcher = await signInAs(api, 'dispatcher');
    pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
    const { rows } = await pool.query<{ code: string; name: string; lon: number; lat: number }>(
      `SELECT code, name, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM towns WHERE code = ANY($1)`,
      [[OWN, OTHER]],
    );
    at = new Map(rows.map((r) => [r.code, r]));
    const own = at.get(OWN)!;
    // A site of the own town ~300 m east of the first truck; the second truck stands inside it.
    const site = await dispatcher.post<ConstructionSite>('/api/v1/construction-sites', { name: `方位工地-${tag}`, geometry: square(own.lon + 0.0042, own.lat), townCode: OWN });
    expect(site.status, JSON.stringify(site.body)).toBe(201);
    ownSite = site.body;
    const company = await dispatcher.post<TransportCompany>('/api/v1/companies', {
      name: `方位运输-${tag}`,
      creditCode: makeUscc('370305', `WB${tag.toUpperCase().replace(/[^0-9A-H]/g, '7')}00`.slice(0, 8)),
    });
    expect(company.status, JSON.stringify(company.body)).toBe(201);
    const places: Record<keyof typeof trucks, { lon: number; lat: number } | null> = {
      own: own,
      inside: { lon: own.lon + 0.0042, lat: own.lat },
      other: at.get(OTHER)!,
      idle: null,
    };
    const client = await connectTerminal(inject('mqttUrl'), `wb-${tag}`);
    try {
      let n = 0;
      for (const key of Object.keys(places) as (keyof typeof trucks)[]) {
        for (;;) {
          const plate = `鲁C${'ABCDEFGHJK'[Math.floor(Math.random() * 10)]}${String(Math.floor(Math.random() * 9000) + 1000)}`;
          const res = await dispatcher.post<TruckRecord>('/api/v1/trucks', { plate, companyId: company.body.id, ratedLoadT: 25 });
          if (res.status === 409) continue;
          expect(res.status, JSON.stringify(res.body)).toBe(201);
          trucks[key] = res.body;
          break;
        }
        const p = places[key];
        if (!p) continue;
        const terminalId = `wb-${tag}-${n++}`;
        expect((await dispatcher.post('/api/v1/terminals', { terminalId, sim: '14805330000' })).status).toBe(201);
        expect((await dispatcher.put(`/api/v1/terminals/${terminalId}/binding`, { truckId: trucks[key].truckId })).status).toBeLessThan(300);
        await publishFixes(client, terminalId, { ts: new Date(Date.now() - 5_000).toISOString(), lat: p.lat, lon: p.lon, speedKmh: 20, headingDeg: 90 });
      }
    } finally {
      await client.endAsync();
    }
    await waitFor(
      async () => (await Promise.all(['own', 'inside', 'other'].map(async (k) => (await dispatcher.get<TruckRecord>(`/api/v1/trucks/${trucks[k as 'own'].truckId}`)).body.latest))).every(Boolean),
      20_000,
      'the trucks have latest positions',
    );
  });

  afterAll(async () => {
    await pool?.end();
    await api?.close();
  });

  /** PostGIS asked directly: the town covering the point, the nearest site of each kind by ellipsoid distance. */
  async function oracle(lon: number, lat: number): Promise<{ town: string | null; cs: { id: string; d: number }; ds: { id: string; d: number } | null }> {
    const point = `ST_SetSRID(ST_MakePoint($1, $2), 4326)`;
    const town = await pool.query<{ name: string }>(`SELECT name FROM towns WHERE ST_Covers(geom, ${point}) ORDER BY code LIMIT 1`, [lon, lat]);
    const cs = await pool.query<{ id: string; d: number }>(`SELECT id, ST_Distance(geom::geography, ${point}::geography) AS d FROM construction_sites ORDER BY 2, id LIMIT 1`, [lon, lat]);
    const ds = await pool.query<{ id: string; d: number }>(`SELECT id, ST_Distance(geom::geography, ${point}::geography) AS d FROM disposal_sites ORDER BY 2, id LIMIT 1`, [lon, lat]);
    return { town: town.rows[0]?.name ?? null, cs: cs.rows[0]!, ds: ds.rows[0] ?? null };
  }

  it('names the right town and the nearest site with its distance (PostGIS as the oracle)', async () => {
    for (const key of ['own', 'inside', 'other'] as const) {
      const res = await dispatcher.get<TruckWhereabouts>(`/api/v1/trucks/${trucks[key].truckId}/whereabouts`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const w = res.body;
      const truth = await oracle(w.at!.lon, w.at!.lat);
      expect(w.town?.name ?? null).toBe(truth.town);
      expect(w.nearestConstructionSite?.id).toBe(truth.cs.id);
      expect(w.nearestConstructionSite!.distanceM).toBeCloseTo(truth.cs.d, 3);
      expect(w.nearestDisposalSite?.id ?? null).toBe(truth.ds?.id ?? null);
      const nearer = truth.ds && truth.ds.d < truth.cs.d ? truth.ds.id : truth.cs.id;
      expect(w.nearest?.id).toBe(nearer);
      expect(w.text['zh-CN'].startsWith(`${truth.town} · `)).toBe(true);
      expect(w.text['zh-CN']).toContain(w.nearest!.name);
      expect(w.text.en).toContain(w.nearest!.name);
    }
    const own = (await dispatcher.get<TruckWhereabouts>(`/api/v1/trucks/${trucks.own.truckId}/whereabouts`)).body;
    expect(own.town).toEqual({ code: OWN, name: at.get(OWN)!.name });
    // ~0.0036° of longitude east to the site's edge at this latitude: about 300 m.
    if (own.nearest?.id === ownSite.id) expect(own.text['zh-CN']).toMatch(new RegExp(`^${at.get(OWN)!.name} · 距方位工地-${tag} (2[89]0|3[0-3]0) 米$`));
    const inside = (await dispatcher.get<TruckWhereabouts>(`/api/v1/trucks/${trucks.inside.truckId}/whereabouts`)).body;
    // Other specs share the database and may have drawn sites over the same ground: the nearest is
    // one the truck is inside (distance 0), and ours is among them.
    expect(inside.nearest?.distanceM).toBe(0);
    expect(inside.inside).toContainEqual({ kind: 'construction_site', id: ownSite.id, name: ownSite.name });
    expect(inside.inside.map((f) => f.id)).toContain(inside.nearest!.id);
    expect(inside.text['zh-CN']).toBe(`${at.get(OWN)!.name} · 在${inside.nearest!.name}内`);
    if (inside.nearest!.id === ownSite.id) expect(inside.text['zh-CN']).toBe(`${at.get(OWN)!.name} · 在方位工地-${tag}内`);
    const idle = (await dispatcher.get<TruckWhereabouts>(`/api/v1/trucks/${trucks.idle.truckId}/whereabouts`)).body;
    expect(idle).toMatchObject({ at: null, town: null, nearest: null, inside: [], text: { 'zh-CN': '暂无定位', en: 'No position yet' } });
  });

  it('answers a batch with the same words, leaving out unknown trucks', async () => {
    const ids = [trucks.own.truckId, trucks.other.truckId, '00000000-0000-4000-8000-000000000000'];
    const res = await dispatcher.get<WhereaboutsBatch>(`/api/v1/whereabouts?truckIds=${ids.join(',')}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items.map((w) => w.truckId).sort()).toEqual([trucks.own.truckId, trucks.other.truckId].sort());
    const single = (await dispatcher.get<TruckWhereabouts>(`/api/v1/trucks/${trucks.own.truckId}/whereabouts`)).body;
    expect(res.body.items.find((w) => w.truckId === trucks.own.truckId)).toEqual(single);

    // Measured, not asserted: the batch for up to 200 trucks of the shared database.
    const { rows } = await pool.query<{ id: string }>(`SELECT id FROM trucks ORDER BY id LIMIT 200`);
    const started = performance.now();
    const all = await dispatcher.get<WhereaboutsBatch>(`/api/v1/whereabouts?truckIds=${rows.map((r) => r.id).join(',')}`);
    console.log(`whereabouts batch: ${rows.length} trucks (${all.body.items.filter((w) => w.at).length} with a position) in ${Math.round(performance.now() - started)} ms`);
    expect(all.status).toBe(200);
  });

  it("keeps a town official to their own town's trucks and sites (another town's truck is 404)", async () => {
    const official = await signInAs(api, 'town_official', { townCode: OWN });
    const own = await official.get<TruckWhereabouts>(`/api/v1/trucks/${trucks.own.truckId}/whereabouts`);
    expect(own.status).toBe(200);
    expect(own.body.town?.code).toBe(OWN);
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM construction_sites WHERE id = $1 AND town_code = $2`, [own.body.nearestConstructionSite?.id, OWN]);
    expect(rows[0]!.n).toBe(1);
    expect((await official.get<ApiError>(`/api/v1/trucks/${trucks.other.truckId}/whereabouts`)).status).toBe(404);
    expect((await official.get(`/api/v1/trucks/${trucks.idle.truckId}/whereabouts`)).status).toBe(404);
    const batch = await official.get<WhereaboutsBatch>(`/api/v1/whereabouts?truckIds=${trucks.own.truckId},${trucks.other.truckId}`);
    expect(batch.body.items.map((w) => w.truckId)).toEqual([trucks.own.truckId]);
    // Another town's official sees the other truck and not this one.
    const otherOfficial = await signInAs(api, 'town_official', { townCode: OTHER });
    expect((await otherOfficial.get(`/api/v1/trucks/${trucks.own.truckId}/whereabouts`)).status).toBe(404);
    expect((await otherOfficial.get(`/api/v1/trucks/${trucks.other.truckId}/whereabouts`)).status).toBe(200);
  });

  it('refuses bad ids and lists with a clear 4xx', async () => {
    for (const id of ['x', '-1', '00000000-0000-4000-8000-000000000000', encodeURIComponent('%00'), 'a'.repeat(500)]) {
      const res = await dispatcher.get<ApiError>(`/api/v1/trucks/${id}/whereabouts`);
      expect(res.status, id).toBe(404);
      expect(res.body.code).toBe('registry.not_found');
    }
    for (const query of ['', '?truckIds=', '?truckIds=x', `?truckIds=${trucks.own.truckId}&truckIds=${trucks.own.truckId}`, `?truckIds=${Array.from({ length: 201 }, () => trucks.own.truckId).join(',')}`]) {
      const res = await dispatcher.get<ApiError>(`/api/v1/whereabouts${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.field, query).toBe('truckIds');
      // A repeated parameter is refused at the API's input boundary (input.unacceptable), the rest here.
      expect(res.body.code, query).toBe(query.includes('&') ? 'input.unacceptable' : 'query.invalid');
    }
  });
});
