import { randomInt } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CollectionPoint, LedgerPage, WastePile } from '@muckwatch/contracts';
import { makeUscc } from '@muckwatch/linzi';
import { type ApiClient, signInAs } from '../support/api-client.js';
import { launchChromium, signInThroughLoginPage } from '../support/browser.js';
import { startTestApi, uniqueTag } from '../support/test-api.js';

const SHOTS = 'test-results/browser';
const VIEWPORT = { width: 1366, height: 768 };
const WENSHAO = '370305001'; // 闻韶街道
const XUEGONG = '370305002'; // 雪宫街道
/** A real 1×1 PNG, so the thumbnail shows. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** Runs in the page: no map zoom and no CSS transition running (the test's own types have no DOM). */
function pageIsStill(): boolean {
  type Animation = { playState: string; effect: { getTiming(): { iterations?: number } } | null };
  const doc = (globalThis as unknown as { document: { querySelector(selector: string): unknown; getAnimations(): Animation[] } }).document;
  return !doc.querySelector('.leaflet-zoom-anim') && doc.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity);
}

// The towns' ledger pages in Chromium: a town official registers a waste pile (typed location,
// status move, photo) and a finding, sees them listed; another town's official does not.
describe('browser: the towns’ ledgers (台账)', () => {
  let api: Awaited<ReturnType<typeof startTestApi>>;
  let browser: Browser;
  let wenshao: ApiClient;
  let xuegong: ApiClient;
  const inside: Record<string, [number, number]> = {};
  const tag = uniqueTag();
  const pileName = `东侧堆体-${tag}`;

  beforeAll(async () => {
    api = await startTestApi({ WEB_DIST: 'apps/web/dist', MAP_TILE_URL: 'none' });
    const db = new pg.Client({ connectionString: inject('databaseUrl') });
    await db.connect();
    try {
      const { rows } = await db.query<{ code: string; lon: number; lat: number }>(
        `SELECT code, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM towns`,
      );
      for (const r of rows) inside[r.code] = [Number(r.lon), Number(r.lat)];
    } finally {
      await db.end();
    }
    [wenshao, xuegong] = await Promise.all([signInAs(api, 'town_official', { townCode: WENSHAO }), signInAs(api, 'town_official', { townCode: XUEGONG })]);
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  const typed = (town: string): string => `${inside[town]![0].toFixed(6)}, ${inside[town]![1].toFixed(6)}`;
  /** A screenshot once the page is still: no CSS transition (a tag fading in, the map zooming) running. */
  async function shot(page: Page, name: string): Promise<void> {
    await page.waitForFunction(pageIsStill);
    await page.screenshot({ path: `${SHOTS}/ledgers-${name}.png` });
  }

  async function choose(page: Page, testId: string, option: string): Promise<void> {
    await page.locator(`.el-dialog [data-testid="${testId}"]`).click();
    await page.locator('.el-popper:visible .el-select-dropdown__item', { hasText: option }).first().click();
  }

  async function closeDrawer(page: Page): Promise<void> {
    await page.locator('.el-drawer__close-btn').click();
    await page.locator('[data-testid="ledger-drawer"]').waitFor({ state: 'hidden' });
  }

  async function pageAs(client: ApiClient, path: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: VIEWPORT });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // Vue reports a failed render or watcher on the console, not as a page error.
    page.on('console', (message) => {
      if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) errors.push(message.text());
    });
    await signInThroughLoginPage(page, api.url, client.user.username, client.password, path);
    return { page, errors };
  }

  it('a town official registers a pile and a finding and sees them listed, on the map and in the detail', async () => {
    const { page, errors } = await pageAs(wenshao, '/ledgers/piles');
    await page.locator('[data-testid="piles-page"]').waitFor();
    await expect.poll(() => page.locator('[data-testid="ledger-total"]').textContent()).toContain('共');

    // A pile: typed location, land, volume.
    await page.locator('[data-testid="ledger-create"]').click();
    await page.locator('[data-testid="pile-dialog"] input[data-testid="location-typed"]').waitFor();
    await page.locator('input[name="pile-name"]').fill(pileName);
    await choose(page, 'pile-land', '空闲地');
    await page.locator('input[name="pile-volume"]').fill('1200');
    // Another town's place: the server's refusal, in Chinese, under the map.
    await page.locator('input[data-testid="location-typed"]').fill(typed(XUEGONG));
    await page.locator('[data-testid="location-apply"]').click();
    await page.locator('[data-testid="pile-dialog"] [data-testid="dialog-save"]').click();
    // The message names the town as people know it, not the field or the code.
    await page.locator('[data-testid="location-error"]', { hasText: '位置不在闻韶街道辖区内' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="location-error"]').textContent()).not.toMatch(/geometry|370305001/);
    await page.locator('input[data-testid="location-typed"]').fill(typed(WENSHAO));
    await page.locator('[data-testid="location-apply"]').click();
    await shot(page, 'pile-dialog');
    await page.locator('[data-testid="pile-dialog"] [data-testid="dialog-save"]').click();

    // Listed, and its detail opens beside the list with the moves the server allows.
    await page.locator('[data-testid="ledger-table"] .el-table__row', { hasText: pileName }).waitFor({ timeout: 15_000 });
    const drawer = page.locator('[data-testid="ledger-drawer"]');
    await drawer.locator('[data-testid="ledger-status"]', { hasText: '已登记' }).waitFor();
    const moves: string[] = [];
    for (const button of await drawer.locator('[data-testid="ledger-actions"] button[data-status]').all()) moves.push((await button.getAttribute('data-status')) ?? '');
    expect([...moves].sort()).toEqual(['cleared', 'covered', 'in_progress']);
    await drawer.locator('button[data-status="in_progress"]').click();
    await page.locator('.el-message-box textarea').fill('已制定清运方案');
    await page.locator('.el-message-box .el-button--primary').click();
    await drawer.locator('[data-testid="ledger-status"]', { hasText: '治理中' }).waitFor({ timeout: 10_000 });
    await drawer.locator('[data-testid="ledger-history"]').getByText('已制定清运方案').waitFor();
    await drawer.locator('[data-testid="photo-input"]').setInputFiles({ name: 'pile.png', mimeType: 'image/png', buffer: PNG });
    await drawer.locator('.ledger-photos__thumb img').waitFor({ timeout: 10_000 });
    await expect.poll(() => page.locator('[data-testid="ledger-map"] path.ledger-dot').count()).toBeGreaterThan(0);
    await shot(page, 'pile-detail');
    await closeDrawer(page);
    await shot(page, 'piles');

    // A finding: road pollution with its area; the town comes from the place.
    await page.locator('[data-testid="ledgers-nav-findings"]').click();
    await page.locator('[data-testid="findings-page"]').waitFor();
    await page.locator('[data-testid="ledger-create"]').click();
    await page.locator('[data-testid="finding-dialog"] input[data-testid="location-typed"]').waitFor();
    await choose(page, 'finding-kind', '路面污染/遗撒');
    await page.locator('input[name="finding-area"]').fill('35');
    await page.locator('textarea[name="finding-description"]').fill(`遗撒 ${tag}`);
    await page.locator('input[data-testid="location-typed"]').fill(typed(WENSHAO));
    await page.locator('[data-testid="location-apply"]').click();
    await shot(page, 'finding-dialog');
    await page.locator('[data-testid="finding-dialog"] [data-testid="dialog-save"]').click();
    await drawer.locator('[data-testid="finding-facts"]').getByText(`遗撒 ${tag}`).waitFor({ timeout: 15_000 });
    await drawer.locator('[data-testid="finding-facts"]').getByText('自查').waitFor();
    await closeDrawer(page);
    await page.locator('[data-testid="ledger-table"] .el-table__row', { hasText: '路面污染/遗撒' }).first().waitFor();
    await shot(page, 'findings');

    // Collection points and their coverage; a request at a point, with 日产日清 shown, never ticked.
    const point = await wenshao.post<CollectionPoint>('/api/v1/ledgers/collection-points', {
      name: `收集点-${tag}`,
      location: { type: 'Point', coordinates: inside[WENSHAO] },
    });
    expect(point.status).toBe(201);
    await page.locator('[data-testid="ledgers-nav-collection-points"]').click();
    await page.locator('[data-testid="ledger-table"] .el-table__row', { hasText: `收集点-${tag}` }).waitFor({ timeout: 15_000 });
    await shot(page, 'collection-points');
    await page.getByRole('tab', { name: '覆盖情况' }).click();
    await page.locator('[data-testid="coverage-table"] .el-table__row').first().waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="coverage-table"] .el-table__expand-icon').first().click();
    await page.locator('[data-testid="uncovered-villages"]').first().waitFor();
    await shot(page, 'coverage');

    await page.locator('[data-testid="ledgers-nav-requests"]').click();
    await page.locator('[data-testid="requests-page"]').waitFor();
    await page.locator('[data-testid="ledger-create"]').click();
    await page.locator('input[name="request-requester"]').fill(`申请方-${tag}`);
    await choose(page, 'request-point', `收集点-${tag}`);
    await page.locator('input[name="request-volume"]').fill('6');
    await page.locator('[data-testid="request-dialog"] [data-testid="dialog-save"]').click();
    await page.locator('[data-testid="request-fulfilment"]').waitFor({ timeout: 15_000 });
    await closeDrawer(page);
    const row = page.locator('[data-testid="ledger-table"] .el-table__row', { hasText: `申请方-${tag}` });
    await row.waitFor();
    await expect.poll(() => row.locator('[data-testid="same-day"]').textContent()).toContain('进行中');
    expect(await page.locator('[data-testid="requests-page"] input[type="checkbox"]').count()).toBe(0);
    await shot(page, 'requests');

    expect(errors).toEqual([]);
    await page.close();
  });

  it('the muck office draws a pile’s outline for a town; an auditor reads the ledger and changes nothing', async () => {
    const dispatcher = await signInAs(api, 'dispatcher');
    const outlined = `围挡堆体-${tag}`;
    const { page, errors } = await pageAs(dispatcher, '/ledgers/piles');
    await page.locator('[data-testid="piles-page"]').waitFor();
    await page.locator('[data-testid="ledger-create"]').click();
    const dialog = page.locator('[data-testid="pile-dialog"]');
    await dialog.locator('input[data-testid="location-typed"]').waitFor();
    await choose(page, 'pile-town', '闻韶街道');
    await page.locator('input[name="pile-name"]').fill(outlined);
    await choose(page, 'pile-land', '道路两侧');
    await page.locator('input[name="pile-volume"]').fill('300');
    // Go to the town's inner point, then draw a small outline around it on the map.
    await dialog.locator('input[data-testid="location-typed"]').fill(typed(WENSHAO));
    await dialog.locator('[data-testid="location-apply"]').click();
    await dialog.getByText('范围（多边形）').click();
    const map = dialog.locator('.location-picker__map');
    await shot(page, 'pile-outline-start');
    const box = (await map.boundingBox())!;
    const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
    for (const [dx, dy] of [[-40, -30], [40, -30], [40, 30], [-40, 30], [-40, -30]] as const) await page.mouse.click(cx + dx, cy + dy);
    await dialog.getByText('已绘制 4 个顶点').waitFor();
    await shot(page, 'pile-outline');
    await dialog.locator('[data-testid="dialog-save"]').click();
    await page.locator('[data-testid="ledger-table"] .el-table__row', { hasText: outlined }).waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="pile-facts"]').getByText('闻韶街道').waitFor();
    await expect.poll(() => page.locator('[data-testid="ledger-map"] path.ledger-shape').count()).toBeGreaterThan(0);

    // A request dispatched to a registered truck: the plate shows, fulfilment stays the GPS's.
    const company = await dispatcher.post<{ id: string }>('/api/v1/companies', { name: `台账运输-${tag}`, creditCode: makeUscc('370305', `TL${tag.toUpperCase().replace(/[^0-9A-H]/g, '7')}00`.slice(0, 8)) });
    expect(company.status, JSON.stringify(company.body)).toBe(201);
    const plate = `鲁CL${String(randomInt(10_000)).padStart(4, '0')}`;
    // Dispatchable: a valid permit and a bound terminal (it reports no position: it is in no town).
    const truck = await dispatcher.post<{ truckId: string }>('/api/v1/trucks', {
      plate,
      companyId: company.body.id,
      sealed: true,
      permitNo: `临淄渣准字-${tag}`,
      permitValidFrom: '2026-01-01',
      permitValidTo: '2030-12-31',
    });
    expect(truck.status, JSON.stringify(truck.body)).toBe(201);
    const terminalId = `tl-${tag}`.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32);
    const terminal = await dispatcher.post('/api/v1/terminals', { terminalId });
    expect(terminal.status, JSON.stringify(terminal.body)).toBe(201);
    const binding = await dispatcher.put(`/api/v1/terminals/${terminalId}/binding`, { truckId: truck.body.truckId });
    expect(binding.status, JSON.stringify(binding.body)).toBe(200);
    const request = await dispatcher.post<{ id: string }>('/api/v1/ledgers/collection-requests', {
      townCode: WENSHAO,
      requesterKind: 'community',
      requesterName: `派车社区-${tag}`,
      location: { type: 'Point', coordinates: inside[WENSHAO] },
      volumeM3: 8,
    });
    expect(request.status, JSON.stringify(request.body)).toBe(201);
    await page.locator('[data-testid="ledgers-nav-requests"]').click();
    const row = page.locator('[data-testid="ledger-table"] .el-table__row', { hasText: `派车社区-${tag}` });
    await row.locator('button[data-action="dispatch"]').click();
    // The dialog lists trucks wherever they are; typing part of the plate searches the API.
    await page.locator('.el-dialog [data-testid="dispatch-truck"]').click();
    await page.keyboard.type(plate.slice(-4));
    await page.locator('.el-popper:visible .el-select-dropdown__item', { hasText: plate }).first().click();
    await page.locator('[data-testid="dispatch-submit"]').click();
    await row.filter({ hasText: plate }).filter({ hasText: '已派车' }).waitFor({ timeout: 10_000 });
    await row.click();
    await page.locator('[data-testid="request-fulfilment"]').getByText(plate).waitFor();
    await shot(page, 'request-dispatched');
    expect(errors).toEqual([]);
    await page.close();

    const auditor = await signInAs(api, 'auditor');
    const read = await pageAs(auditor, '/ledgers/piles');
    await read.page.locator('[data-testid="ledger-table"] .el-table__row', { hasText: outlined }).waitFor({ timeout: 15_000 });
    expect(await read.page.locator('[data-testid="ledger-create"]').count()).toBe(0);
    await read.page.getByText('只读：您的账号可查看台账，不能修改').waitFor();
    await read.page.locator('[data-testid="ledger-table"] .el-table__row', { hasText: outlined }).click();
    await read.page.locator('[data-testid="pile-facts"]').waitFor();
    expect(await read.page.locator('[data-testid="ledger-actions"] button').count()).toBe(0);
    await shot(read.page, 'auditor');
    // The same page in English.
    await closeDrawer(read.page);
    await read.page.locator('.console-header__locale').getByText('English').click();
    await read.page.getByText('Read only: your account can read the ledgers but not change them').waitFor();
    await shot(read.page, 'auditor-en');
    expect(read.errors).toEqual([]);
    await read.page.close();

    // An enforcement officer's 台账 is the findings, read only.
    const officer = await signInAs(api, 'enforcement_officer');
    const enforcement = await pageAs(officer, '/ledgers');
    await expect.poll(() => new URL(enforcement.page.url()).pathname, { timeout: 15_000 }).toBe('/ledgers/findings');
    await enforcement.page.locator('[data-testid="findings-page"]').waitFor();
    expect(await enforcement.page.locator('[data-testid="ledgers-nav-piles"]').count()).toBe(0);
    expect(await enforcement.page.locator('[data-testid="ledger-create"]').count()).toBe(0);
    expect(enforcement.errors).toEqual([]);
    await enforcement.page.close();
  });

  it('another town’s official sees none of it', async () => {
    const mine = await xuegong.get<LedgerPage<WastePile>>('/api/v1/ledgers/piles');
    expect(mine.status).toBe(200);
    const { page, errors } = await pageAs(xuegong, '/ledgers/piles');
    await page.locator('[data-testid="piles-page"]').waitFor();
    await expect.poll(() => page.locator('[data-testid="ledger-total"]').textContent()).toBe(`共 ${mine.body.total} 条`);
    await page.locator('[data-testid="ledger-table"] .el-table__body-wrapper, [data-testid="ledger-table"] .el-table__empty-block').first().waitFor();
    expect(await page.locator('[data-testid="ledger-table"]').getByText(pileName).count()).toBe(0);
    // No town filter for a town official: the page says whose ledger it is.
    expect(await page.locator('[data-testid="filter-town"]').count()).toBe(0);

    await page.locator('[data-testid="ledgers-nav-findings"]').click();
    await page.locator('[data-testid="findings-page"]').waitFor();
    await expect.poll(async () => (await page.locator('[data-testid="ledger-table"] .el-loading-mask').count()) === 0 || !(await page.locator('[data-testid="ledger-table"] .el-loading-mask').isVisible())).toBe(true);
    expect(await page.locator('[data-testid="ledger-table"]').getByText(`遗撒 ${tag}`).count()).toBe(0);
    // The shared database may hold other specs' findings in 雪宫: the page shows exactly the API's.
    const theirs = await xuegong.get<LedgerPage<unknown>>('/api/v1/ledgers/findings');
    expect(theirs.status).toBe(200);
    await expect.poll(() => page.locator('[data-testid="ledger-total"]').textContent()).toBe(`共 ${theirs.body.total} 条`);
    await shot(page, 'other-town');

    // A list that cannot be read says so, apart from an empty one, and reads again on retry.
    await page.route('**/api/v1/ledgers/piles?*', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{}' }));
    await page.locator('[data-testid="ledgers-nav-piles"]').click();
    await page.locator('[data-testid="ledger-failed"]').waitFor();
    expect(await page.locator('[data-testid="ledger-table"]').getByText('暂无堆体台账').count()).toBe(0);
    await shot(page, 'failed');
    await page.unroute('**/api/v1/ledgers/piles?*');
    await page.locator('[data-testid="ledger-failed"] button').click();
    await page.locator('[data-testid="ledger-failed"]').waitFor({ state: 'hidden' });
    // Read again: 雪宫's own piles (other specs share the database), or the empty ledger's words.
    await expect.poll(() => page.locator('[data-testid="ledger-total"]').textContent()).toBe(`共 ${mine.body.total} 条`);
    if (mine.body.total === 0) await page.locator('[data-testid="ledger-table"]').getByText('暂无堆体台账').waitFor();
    else await page.locator('[data-testid="ledger-table"] .el-table__row').first().waitFor();
    // The console logs the refused read it was made to see, nothing else.
    expect(errors.filter((e) => !e.includes('/api/v1/ledgers/piles?page=1&pageSize=20 failed with 503'))).toEqual([]);
    await page.close();
  });
});
