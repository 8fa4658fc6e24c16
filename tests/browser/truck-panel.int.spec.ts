import { mkdirSync } from 'node:fs';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { officeDayStart, type ConstructionSite, type TransportCompany, type TruckRecord } from '@muckwatch/contracts';
import { makeUscc } from '@muckwatch/linzi';
import { type ApiClient, TEST_ADMIN, signInAs } from '../support/api-client.js';
import { launchChromium, signInThroughLoginPage } from '../support/browser.js';
import { connectTerminal, publishFixes } from '../support/mqtt.js';
import { startTestApi, uniqueTag, waitFor } from '../support/test-api.js';
import { insertViolation } from '../cases/case-fixtures.js';

const SHOTS = 'test-results/browser/truck-panel';
const TOWN = '370305111';

/** Runs in the page: no map zoom and no CSS transition running (the test's own types have no DOM). */
function pageIsStill(): boolean {
  type Animation = { playState: string; effect: { getTiming(): { iterations?: number } } | null };
  const doc = (globalThis as unknown as { document: { querySelector(selector: string): unknown; getAnimations(): Animation[] } }).document;
  return !doc.querySelector('.leaflet-zoom-anim') && doc.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity);
}

function square(lon: number, lat: number, half = 0.0006): { type: 'Polygon'; coordinates: number[][][] } {
  return { type: 'Polygon', coordinates: [[[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half], [lon - half, lat - half]]] };
}

// The live map's truck panel in Chromium: a truck opened from its URL shows where it is in words,
// its permit, today's trips, its open violations; its recent track is drawn on demand; the geofence
// layers switch; the replay button links today's replay.
describe('browser: the truck panel on the live map', () => {
  let api: Awaited<ReturnType<typeof startTestApi>>;
  let browser: Browser;
  let dispatcher: ApiClient;
  const tag = uniqueTag();
  let truck: TruckRecord;
  let site: ConstructionSite;
  let townName: string;

  beforeAll(async () => {
    // No base map: nothing in the tests needs the internet.
    api = await startTestApi({ WEB_DIST: 'apps/web/dist', MAP_TILE_URL: 'none', LIVE_BATCH_MS: '300' });
    dispatcher = await signInAs(api, 'dispatcher');
    const db = new pg.Client({ connectionString: inject('databaseUrl') });
    await db.connect();
    try {
      const { rows } = await db.query<{ name: string; lon: number; lat: number }>(
        `SELECT name, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM towns WHERE code = $1`,
        [TOWN],
      );
      const { name, lon, lat } = rows[0]!;
      townName = name;
      const created = await dispatcher.post<ConstructionSite>('/api/v1/construction-sites', { name: `面板工地-${tag}`, geometry: square(lon + 0.0042, lat), townCode: TOWN });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      site = created.body;
      const company = await dispatcher.post<TransportCompany>('/api/v1/companies', {
        name: `面板运输-${tag}`,
        creditCode: makeUscc('370305', `TP${tag.toUpperCase().replace(/[^0-9A-H]/g, '7')}00`.slice(0, 8)),
      });
      expect(company.status, JSON.stringify(company.body)).toBe(201);
      for (;;) {
        const plate = `鲁C${'ABCDEFGHJK'[Math.floor(Math.random() * 10)]}${String(Math.floor(Math.random() * 9000) + 1000)}`;
        const res = await dispatcher.post<TruckRecord>('/api/v1/trucks', {
          plate, companyId: company.body.id, ratedLoadT: 25, sealed: true, permitNo: `准运-${tag}`, permitValidFrom: '2026-01-01', permitValidTo: '2027-12-31',
        });
        if (res.status === 409) continue;
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        truck = res.body;
        break;
      }
      const terminalId = `tp-${tag}`;
      expect((await dispatcher.post('/api/v1/terminals', { terminalId, sim: '14805330000' })).status).toBe(201);
      expect((await dispatcher.put(`/api/v1/terminals/${terminalId}/binding`, { truckId: truck.truckId })).status).toBeLessThan(300);
      // The last 40 minutes: a fix every 2 minutes along a short eastward line ending ~300 m west of the site.
      const now = Date.now();
      const client = await connectTerminal(inject('mqttUrl'), `tp-${tag}`);
      try {
        const fixes = Array.from({ length: 21 }, (_, i) => ({
          ts: new Date(now - (20 - i) * 120_000).toISOString(),
          lat,
          lon: lon - 0.004 + i * 0.0002,
          speedKmh: 25,
          headingDeg: 90,
          seq: i,
        }));
        await publishFixes(client, terminalId, fixes);
      } finally {
        await client.endAsync();
      }
      await waitFor(async () => (await dispatcher.get<TruckRecord>(`/api/v1/trucks/${truck.truckId}`)).body.latest !== null, 20_000, 'the truck has a position');
      // Today's trip and an open violation, as the compliance engine would have stored them — under the
      // truck's earlier terminal, so the engine (re-deriving this terminal's late backlog) leaves them be.
      const earlier = `${terminalId}-earlier`;
      const started = new Date(Math.max(now - 30 * 60_000, Date.parse(officeDayStart(now)) + 1000));
      await db.query(
        `INSERT INTO trips (id, terminal_id, truck_id, plate, origin_name, destination_name, started_at, start_geom, status, town_code)
         VALUES ($1, $2, $3, $4, $5, '东风消纳场', $6, ST_SetSRID(ST_MakePoint($7, $8), 4326), 'open', $9)`,
        [`${earlier}/trip/${started.getTime()}`, earlier, truck.truckId, truck.plate, site.name, started.toISOString(), lon, lat, TOWN],
      );
      await insertViolation(db, { terminalId: earlier, truckId: truck.truckId, plate: truck.plate, startedAt: new Date(now - 20 * 60_000), endedAt: null, townCode: TOWN });
    } finally {
      await db.end();
    }
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  async function shot(page: Page, name: string): Promise<void> {
    await page.waitForFunction(pageIsStill);
    await page.screenshot({ path: `${SHOTS}/${name}.png` });
  }

  for (const viewport of [{ width: 1366, height: 768 }, { width: 1920, height: 1080 }]) {
    it(`opens a truck and shows its context (${viewport.width}×${viewport.height})`, async () => {
      const page = await browser.newPage({ viewport });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await signInThroughLoginPage(page, api.url, TEST_ADMIN.username, TEST_ADMIN.password, `/?truck=${truck.truckId}`);
      const panel = page.locator('[data-testid="truck-detail"]');
      await panel.waitFor({ timeout: 20_000 });

      // Where it is, in words, from the API: the town and the nearest site with its distance.
      const words = panel.locator('[data-field="whereabouts"]');
      await words.waitFor({ timeout: 15_000 });
      const text = await words.innerText();
      expect(text.startsWith(`${townName} · `)).toBe(true);
      expect(text).toMatch(/距.+ \d+ 米|在.+内/);
      await expect.poll(() => panel.locator('[data-field="permit"]').innerText()).toContain(`准运-${tag}`);

      // Today's trip with its state, and the open violation.
      const trip = panel.locator('[data-testid="panel-trip"]');
      await expect.poll(async () => `${await panel.locator('[data-testid="panel-trips"]').getAttribute('data-status')} ${await panel.locator('[data-testid="panel-trips"]').innerText()}`, { timeout: 10_000 }).toMatch(/^loaded/);
      expect(await trip.first().innerText()).toContain(site.name);
      expect(await trip.first().innerText()).toContain('进行中');
      await panel.locator('[data-testid="panel-violation"]').first().waitFor({ timeout: 10_000 });
      expect(await panel.locator('[data-testid="panel-violation"]').first().innerText()).toContain('未密闭');

      // The recent track, drawn on demand.
      expect(await page.locator('path.recent-track').count()).toBe(0);
      await panel.locator('[data-testid="draw-track"]').click();
      // Attached, not 'visible': an eastward line has no height, which Playwright counts as hidden.
      await page.locator('path.recent-track').waitFor({ state: 'attached', timeout: 10_000 });
      await expect.poll(() => panel.locator('[data-testid="panel-track"]').getAttribute('data-status')).toBe('loaded');
      expect(await panel.locator('[data-testid="panel-track"]').innerText()).toMatch(/已绘制 (2[01]) 个定位点/);

      // The replay, violations and trips links.
      const replay = new URL(`${api.url}${(await panel.locator('[data-testid="open-replay"]').getAttribute('href'))!}`);
      expect(replay.pathname).toBe('/replay');
      expect(replay.searchParams.get('truck')).toBe(truck.truckId);
      expect(replay.searchParams.get('from')).toBe(officeDayStart(Date.now()));
      expect(Math.abs(Date.parse(replay.searchParams.get('to')!) - Date.now())).toBeLessThan(60_000);
      const violations = new URL(`${api.url}${(await panel.locator('[data-testid="open-violations"]').getAttribute('href'))!}`);
      expect(Object.fromEntries(violations.searchParams)).toEqual({ truckId: truck.truckId, caseState: 'new,confirmed,assigned,handled,returned' });
      expect(await panel.locator('[data-testid="open-trips"]').getAttribute('href')).toBe(`/trips?truck=${truck.truckId}`);
      await shot(page, `truck-panel-${viewport.width}x${viewport.height}`);

      // Geofence layers: sites shown by default, routes off; each switches.
      const layers = page.locator('[data-testid="live-geofence-layers"]');
      await expect.poll(() => layers.getAttribute('data-status'), { timeout: 15_000 }).toBe('loaded');
      const ownSite = page.locator(`path.geofence--construction-sites[data-id="${site.id}"]`);
      await ownSite.waitFor({ state: 'attached' });
      await layers.locator('[data-testid="live-layer-construction-sites"]').click();
      await expect.poll(() => ownSite.count()).toBe(0);
      await layers.locator('[data-testid="live-layer-construction-sites"]').click();
      await expect.poll(() => ownSite.count()).toBe(1);
      await layers.locator('[data-testid="live-layer-routes"]').click();
      await expect.poll(() => layers.locator('[data-testid="live-layer-routes"]').getAttribute('class')).toContain('is-checked');
      await shot(page, `geofences-${viewport.width}x${viewport.height}`);
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});
