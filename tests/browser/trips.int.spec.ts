import { mkdirSync } from 'node:fs';
import ExcelJS from 'exceljs';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { formatDateTime, type TripListPage } from '@muckwatch/contracts';
import { signInAdmin, signInAs, TEST_ADMIN, type ApiClient } from '../support/api-client.js';
import { launchChromium, signInThroughLoginPage } from '../support/browser.js';
import { startTestApi, uniqueTag } from '../support/test-api.js';
import { QILU, WENSHAO, type TripSeed, type TripWorld, insertLoadFixes, insertTripViolation, insertTrips, registerTripWorld } from '../trips/trip-fixtures.js';

const SHOTS = 'test-results/browser/trips';
const HOUR = 3_600_000;

// The trips page (运次) in Chromium against the real API: a company's trips listed with their
// states, load and violations, filtered by a truck typed in, exported as xlsx whose rows are the
// list's, and a click that opens the trip's track replay.
describe('browser: 运次', () => {
  let api: Awaited<ReturnType<typeof startTestApi>>;
  let browser: Browser;
  let db: pg.Client;
  let admin: ApiClient;
  let world: TripWorld;
  const tag = uniqueTag();
  const seeds: TripSeed[] = [];
  // Whole hours, a day and a half ago and before: inside the default period (the last 7 days).
  const base = Math.floor(Date.now() / HOUR) * HOUR - 40 * HOUR;
  const period = { from: new Date(base - 24 * HOUR).toISOString(), to: new Date(base + 24 * HOUR).toISOString() };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    api = await startTestApi({ WEB_DIST: 'apps/web/dist', MAP_TILE_URL: 'none' });
    db = new pg.Client({ connectionString: inject('databaseUrl') });
    await db.connect();
    admin = await signInAdmin(api);
    browser = await launchChromium();
    world = await registerTripWorld(await signInAs(api, 'dispatcher'), tag);
    const { t1, t2 } = world.trucks;
    const { s1, s2 } = world.sites;
    const { d1, d2 } = world.disposal;
    const term = (n: number): string => `tb-${tag}-${n}`.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32);
    const at = (hours: number): Date => new Date(base + hours * HOUR);
    seeds.push(
      { terminalId: term(1), truckId: t1.id, plate: t1.plate, originId: s1.id, originName: s1.name, destinationId: d1.id, destinationName: d1.name, startedAt: at(-20), endedAt: at(-19.25), status: 'closed', townCode: QILU, distanceM: 15_300 },
      { terminalId: term(1), truckId: t1.id, plate: t1.plate, originId: s1.id, originName: s1.name, destinationId: d1.id, destinationName: d1.name, startedAt: at(-6), endedAt: at(-5.5), status: 'closed', townCode: QILU, distanceM: 14_800 },
      { terminalId: term(2), truckId: t2.id, plate: t2.plate, originId: s2.id, originName: s2.name, destinationId: d2.id, destinationName: d2.name, startedAt: at(-3), endedAt: at(-2), status: 'unclosed', townCode: WENSHAO, distanceM: 22_000 },
      { terminalId: term(2), truckId: t2.id, plate: t2.plate, originId: s2.id, originName: s2.name, startedAt: at(2), endedAt: at(6), status: 'abandoned', townCode: WENSHAO, distanceM: 800 },
    );
    await insertTrips(db, seeds);
    await insertTripViolation(db, seeds[0]!, 'overspeed');
    await insertTripViolation(db, seeds[2]!, 'undesignated_disposal');
    await insertLoadFixes(db, term(1), new Date(seeds[0]!.startedAt.getTime() + 60_000), [17.5, 18.2]);
  });

  afterAll(async () => {
    await browser?.close();
    await db?.end();
    await api?.close();
  });

  async function openPage(viewport: { width: number; height: number }): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport, acceptDownloads: true });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    return { page, errors };
  }

  const rows = (page: Page) => page.locator('[data-testid="trips-table"] .el-table__body-wrapper .el-table__row');

  it('lists a company’s trips, filters by a truck typed in, exports the rows shown, and replays a trip on a click', async () => {
    const { page, errors } = await openPage({ width: 1366, height: 768 });
    const companyQuery = new URLSearchParams({ companyId: world.companies.a.id, ...period });
    await signInThroughLoginPage(page, api.url, TEST_ADMIN.username, TEST_ADMIN.password, `/trips?${companyQuery.toString()}`);
    expect(await page.locator('[data-nav="trips"]').count()).toBe(1);
    await expect.poll(() => rows(page).count(), { timeout: 15_000 }).toBe(seeds.length);
    await page.locator('[data-testid="trips-summary"]').filter({ hasText: `合计 ${seeds.length} 趟` }).waitFor({ timeout: 15_000 });
    // States in Chinese, the load the sensor reported, the violations by type.
    const first = rows(page).filter({ hasText: formatDateTime(seeds[0]!.startedAt)! });
    await expect.poll(() => first.locator('[data-testid="trip-status"]').textContent()).toBe('已闭合');
    expect(await first.textContent()).toContain('18.2 吨');
    expect(await first.locator('[data-testid="trip-violation"]').textContent()).toContain('超速');
    const statuses = await rows(page).locator('[data-testid="trip-status"]').allTextContents();
    expect(statuses.map((s) => s.trim()).sort()).toEqual(['已闭合', '已闭合', '未闭合', '已放弃'].sort());
    await page.locator('[data-testid="trips-day-chart"] canvas').first().waitFor();
    await page.locator('[data-testid="trips-site-table"]').getByText(world.sites.s1.name).waitFor();
    await page.screenshot({ path: `${SHOTS}/trips-1366.png` });

    // 车辆: truck 2's plate typed in, 查询 → its two trips, and the URL says so.
    await page.locator('input[data-testid="trips-truck"], [data-testid="trips-truck"] input').first().fill(world.trucks.t2.plate);
    await page.locator('[data-testid="trips-search"]').click();
    await page.waitForURL((url) => url.searchParams.get('truck') === world.trucks.t2.plate);
    await expect.poll(() => rows(page).count(), { timeout: 15_000 }).toBe(2);
    expect((await rows(page).locator('[data-testid="trip-plate"]').allTextContents()).map((s) => s.trim())).toEqual([world.trucks.t2.plate, world.trucks.t2.plate]);

    // 导出 Excel: the API's xlsx, whose rows are the ones on screen, in the same order.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="trips-export"]').click()]);
    expect(download.suggestedFilename()).toMatch(/^运次_\d{8}\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(await download.path());
    const sheet = book.getWorksheet('运次')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const cell = (row: number, name: string): unknown => sheet.getRow(row).getCell(header.indexOf(name) + 1).value;
    const listed = (await admin.get<TripListPage>(`/api/v1/trips?${new URLSearchParams({ companyId: world.companies.a.id, truck: world.trucks.t2.plate, ...period }).toString()}`)).body.items;
    expect(sheet.rowCount - 1).toBe(2);
    expect([2, 3].map((r) => cell(r, '运次编号'))).toEqual(listed.map((t) => t.id));
    expect([2, 3].map((r) => cell(r, '车牌号'))).toEqual([world.trucks.t2.plate, world.trucks.t2.plate]);
    expect([2, 3].map((r) => cell(r, '运次状态'))).toEqual(['已放弃', '未闭合']);
    expect(cell(3, '开始时间')).toBe(formatDateTime(seeds[2]!.startedAt));
    expect(cell(3, '违规类型')).toBe('非指定消纳场倾倒');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: `${SHOTS}/trips-filtered-1920.png`, fullPage: true });

    // A click on the unclosed trip opens the replay of truck 2 over the trip's start to its end.
    const unclosed = rows(page).filter({ hasText: '未闭合' });
    const expected = { truck: world.trucks.t2.id, from: seeds[2]!.startedAt.toISOString(), to: seeds[2]!.endedAt!.toISOString() };
    const href = new URL((await unclosed.locator('[data-testid="trip-replay"]').getAttribute('href'))!, api.url);
    expect(href.pathname).toBe('/replay');
    expect(Object.fromEntries(href.searchParams)).toEqual(expected);
    await unclosed.locator('td').first().click();
    await expect.poll(() => page.url(), { timeout: 10_000 }).not.toContain('/trips');
    // With the replay page (its own branch) in the console the URL stays there; without it the
    // console's catch-all sends /replay home, so the link's exact href above is what binds.
    const landed = new URL(page.url());
    if (landed.pathname === '/replay') expect(Object.fromEntries(landed.searchParams)).toEqual(expected);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a town official only their town’s trips, told apart from an empty period', async () => {
    const official = await signInAs(api, 'town_official', { townCode: WENSHAO });
    const { page, errors } = await openPage({ width: 1366, height: 768 });
    await signInThroughLoginPage(page, api.url, official.user.username, official.password, `/trips?${new URLSearchParams({ companyId: world.companies.a.id, ...period }).toString()}`);
    await expect.poll(() => rows(page).count(), { timeout: 15_000 }).toBe(seeds.filter((s) => s.townCode === WENSHAO).length);
    await page.screenshot({ path: `${SHOTS}/trips-town-1366.png` });
    // A period without trips: the empty message, not a failure.
    const empty = new URLSearchParams({ companyId: world.companies.a.id, from: '2024-01-01T00:00:00.000Z', to: '2024-01-02T00:00:00.000Z' });
    await page.goto(`${api.url}/trips?${empty.toString()}`);
    await page.locator('[data-testid="trips-empty"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="trips-failed"]').count()).toBe(0);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: `${SHOTS}/trips-empty-1920.png` });
    expect(errors).toEqual([]);
    await page.close();
  });
});
