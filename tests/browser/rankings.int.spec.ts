import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { officeMonthOf, type Ranking, type RankingAdjustment } from '@muckwatch/contracts';
import { townByCode } from '@muckwatch/linzi';
import { signInAdmin, signInAs, TEST_ADMIN, type ApiClient } from '../support/api-client.js';
import { launchChromium, signInThroughLoginPage } from '../support/browser.js';
import { startTestApi } from '../support/test-api.js';
import { insertViolation } from '../cases/case-fixtures.js';

const SHOTS = 'test-results/browser';
const QILU = 'E37030501';
const WENSHAO = '370305001';

// The assessment dashboard and the bulletin in Chromium against the real API: a month with
// illegal dumping in one town and an adjustment in another; the table, a drill-down to the cases
// behind a number (and a town official kept to their own town), the bulletin on screen and as
// an A4 PDF.
describe('browser: 考核排名 and 通报', () => {
  let api: Awaited<ReturnType<typeof startTestApi>>;
  let browser: Browser;
  let db: pg.Client;
  let admin: ApiClient;
  let month: string;
  let dumpingIds: string[];

  const qiluName = townByCode(QILU)!.name;
  const wenshaoName = townByCode(WENSHAO)!.name;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    api = await startTestApi({ WEB_DIST: 'apps/web/dist', MAP_TILE_URL: 'none' });
    db = new pg.Client({ connectionString: inject('databaseUrl') });
    await db.connect();
    admin = await signInAdmin(api);
    browser = await launchChromium();

    // Facts of this month: two illegal dumping cases in 齐鲁石化, a bonus and a city notification in 闻韶街道.
    const startedAt = new Date(Date.now() - 60_000);
    month = officeMonthOf(startedAt);
    dumpingIds = [
      await insertViolation(db, { type: 'illegal_dumping', severity: 'high', townCode: QILU, startedAt, plate: '鲁C0R001', reasons: [{ code: 'tipping_outside_site', detail: '非消纳场举升' }] }),
      await insertViolation(db, { type: 'illegal_dumping', severity: 'critical', townCode: QILU, startedAt: new Date(startedAt.getTime() - 1000), plate: '鲁C0R002', reasons: [{ code: 'tipping_outside_site', detail: '非消纳场举升' }] }),
    ];
    for (const body of [
      { month, townCode: WENSHAO, kind: 'bonus', points: 2, reason: '建筑垃圾资源化利用试点', documentRef: '临渣办〔2026〕7号' },
      { month, townCode: WENSHAO, kind: 'city_notification', reason: '市级督查发现道路遗撒', documentRef: '淄城管通〔2026〕3号' },
    ]) {
      const res = await admin.post<RankingAdjustment>('/api/v1/assessment/adjustments', body);
      expect(res.status).toBe(201);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await db?.end();
    await api?.close();
  });

  async function openPage(viewport: { width: number; height: number }): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    return { page, errors };
  }

  const townRow = (page: Page, name: string) => page.locator('[data-testid="ranking-table"] .el-table__body-wrapper .el-table__row').filter({ hasText: name });

  it('shows every town with its items, exports the xlsx, and drills down from 齐鲁石化’s dumping score to the cases behind it', async () => {
    const ranking = (await admin.get<Ranking>(`/api/v1/rankings/${month}`)).body;
    const qilu = ranking.rows.find((row) => row.townCode === QILU)!;
    expect(qilu.items.find((item) => item.code === 'C')!.earned).toBeLessThan(qilu.items.find((item) => item.code === 'C')!.max);

    const { page, errors } = await openPage({ width: 1366, height: 768 });
    await signInThroughLoginPage(page, api.url, TEST_ADMIN.username, TEST_ADMIN.password, `/rankings/${month}`);
    await page.locator('[data-testid="ranking-status"]').filter({ hasText: '临时（月度未结束）' }).waitFor({ timeout: 15_000 });
    await expect.poll(() => page.locator('[data-testid="ranking-town"]').count(), { timeout: 15_000 }).toBe(ranking.rows.length);
    for (const row of ranking.rows) await townRow(page, row.townName).first().waitFor();

    // 闻韶街道: the bonus and the notification are in their columns; its total with two decimals.
    const wenshao = ranking.rows.find((row) => row.townCode === WENSHAO)!;
    await expect.poll(() => townRow(page, wenshaoName).first().locator('[data-testid="ranking-total"]').textContent()).toBe(wenshao.total.toFixed(2));
    await expect.poll(() => townRow(page, wenshaoName).first().textContent()).toContain('+2');

    expect(await page.locator('[data-nav="rankings"]').count()).toBe(1);

    // 导出 Excel: the API's xlsx, saved under its own name.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-ranking"]').click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const saved = await download.path();
    expect(readFileSync(saved).subarray(0, 2).toString('latin1')).toBe('PK');
    await page.locator('[data-testid="ranking-map"] .leaflet-interactive').first().waitFor();
    await page.locator('[data-testid="ranking-trend"] canvas').first().waitFor();
    await page.screenshot({ path: `${SHOTS}/rankings-dashboard-1366.png` });
    await page.locator('[data-testid="ranking-map"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/rankings-charts-1366.png` });
    // A click on a town on the map marks its row.
    await page.locator('[data-testid="ranking-map"] .leaflet-interactive').first().click({ force: true });
    await page.locator('[data-testid="ranking-table"] .ranking-row--selected').first().waitFor();
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: `${SHOTS}/rankings-dashboard-1920.png`, fullPage: true });

    // Drill-down: 齐鲁石化's item C → the dumping lines (zh-CN) and both cases, each a link to its page.
    await townRow(page, qiluName).first().locator('[data-item="C"]').click();
    const drawer = page.locator('.el-drawer').filter({ hasText: qiluName });
    await drawer.locator('[data-testid="drawer-lines"]').filter({ hasText: '违规倾倒' }).waitFor({ timeout: 10_000 });
    await expect.poll(() => drawer.locator('[data-testid="record-link"]').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    const links: (string | null)[] = [];
    for (const link of await drawer.locator('[data-testid="record-link"]').all()) links.push(await link.getAttribute('href'));
    for (const id of dumpingIds) expect(links).toContain(`/violations/${encodeURIComponent(id)}`);
    await page.screenshot({ path: `${SHOTS}/rankings-drilldown-1366.png` });
    await drawer.locator('[data-testid="record-link"]').first().click();
    await page.waitForURL(/\/violations\//);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('考核设置: the admin enters a bonus with its reason and document, sees it in the ranking, and deletes it while the month is open', async () => {
    const town = (await admin.get<Ranking>(`/api/v1/rankings/${month}`)).body.rows.find((row) => row.townCode !== QILU && row.townCode !== WENSHAO)!;
    const { page, errors } = await openPage({ width: 1366, height: 768 });
    await signInThroughLoginPage(page, api.url, TEST_ADMIN.username, TEST_ADMIN.password, `/rankings/${month}?tab=settings`);
    const form = page.locator('[data-testid="adjustment-form"]');
    await form.waitFor({ timeout: 15_000 });
    const field = (label: string) => form.locator('.el-form-item').filter({ has: page.locator('.el-form-item__label', { hasText: label }) });
    await field('镇街').locator('.el-select').click();
    await page.locator('.el-popper:visible .el-select-dropdown__item', { hasText: town.townName }).first().click();
    await field('分值').locator('input').fill('1.5');
    const reason = `浏览器测试加分 ${Date.now()}`;
    await field('事由').locator('input').fill(reason);
    await field('文号').locator('input').fill('临渣办〔2026〕99号');
    await page.locator('[data-testid="adjustment-add"]').click();
    const row = page.locator('[data-testid="adjustments-table"] .el-table__row').filter({ hasText: reason });
    await row.waitFor({ timeout: 10_000 });
    expect(await row.textContent()).toContain('+1.5');
    await page.locator('[data-testid="methodologies-table"] .el-table__row').first().waitFor();

    const adjustments = (await admin.get<RankingAdjustment[]>(`/api/v1/assessment/adjustments?month=${month}`)).body;
    const entered = adjustments.find((entry) => entry.reason === reason)!;
    expect(entered).toMatchObject({ townCode: town.townCode, kind: 'bonus', points: 1.5, documentRef: '临渣办〔2026〕99号' });
    expect((await admin.get<Ranking>(`/api/v1/rankings/${month}`)).body.rows.find((r) => r.townCode === town.townCode)!.bonus).toBe(1.5);

    await page.locator(`[data-testid="adjustment-delete-${entered.id}"]`).click();
    await page.locator('.el-message-box .el-button--primary').click();
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(0);
    expect((await admin.get<RankingAdjustment[]>(`/api/v1/assessment/adjustments?month=${month}`)).body.some((entry) => entry.id === entered.id)).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('考核设置: the admin freezes a past month, then corrects it by a revision with a reason; the old revision stays readable', async () => {
    // A month of its own: no other spec freezes it.
    const past = '2023-07';
    const { page, errors } = await openPage({ width: 1366, height: 768 });
    await signInThroughLoginPage(page, api.url, TEST_ADMIN.username, TEST_ADMIN.password, `/rankings/${past}?tab=settings`);
    await page.locator('[data-testid="close-month"]').click({ timeout: 15_000 });
    await page.locator('.el-message-box input').fill('浏览器测试冻结');
    await page.locator('.el-message-box .el-button--primary').click();
    await page.locator('[data-testid="ranking-status"]').filter({ hasText: '已冻结 第1版' }).waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="adjustment-form"]').count()).toBe(0);
    await expect.poll(() => page.locator('[data-testid="revisions-table"] .el-table__body .el-table__row').count()).toBe(1);

    await page.locator('[data-testid="revise-month"]').click();
    // A revision needs its reason: an empty one is refused in the dialog.
    await page.locator('.el-message-box .el-button--primary').click();
    await page.locator('.el-message-box__errormsg').waitFor();
    await page.locator('.el-message-box input').fill('更正：补录迟到的定位数据');
    await page.locator('.el-message-box .el-button--primary').click();
    await page.locator('[data-testid="ranking-status"]').filter({ hasText: '已冻结 第2版' }).waitFor({ timeout: 15_000 });
    await expect.poll(() => page.locator('[data-testid="revisions-table"] .el-table__body .el-table__row').count()).toBe(2);
    expect(await page.locator('[data-testid="revisions-table"]').textContent()).toContain('更正：补录迟到的定位数据');

    await page.goto(`${api.url}/rankings/${past}?revision=1`);
    await page.locator('[data-testid="ranking-status"]').filter({ hasText: '已冻结 第1版' }).waitFor({ timeout: 15_000 });
    await page.getByText('正在查看第1版（非最新版本）').waitFor();
    // The month before: over, but not frozen by the other's freeze.
    await page.locator('[data-testid="month-previous"]').click();
    await page.waitForURL(/\/rankings\/2023-06/);
    await page.locator('[data-testid="ranking-status"]').filter({ hasText: '临时（尚未冻结）' }).waitFor({ timeout: 15_000 });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a town official sees all towns, their own highlighted, and is told plainly that another town’s records are not theirs', async () => {
    const official = await signInAs(api, 'town_official', { townCode: WENSHAO });
    const { page, errors } = await openPage({ width: 1366, height: 768 });
    await signInThroughLoginPage(page, api.url, official.user.username, official.password, `/rankings/${month}`);
    await townRow(page, qiluName).first().waitFor({ timeout: 15_000 });
    await expect.poll(() => page.locator('.ranking-row--own').first().textContent()).toContain(wenshaoName);
    // No settings tab for a town official.
    expect(await page.locator('.el-tabs__item').filter({ hasText: '考核设置' }).count()).toBe(0);

    await townRow(page, qiluName).first().locator('[data-item="C"]').click();
    await page.locator('[data-testid="drawer-out-of-scope"]').waitFor({ timeout: 10_000 });
    await page.keyboard.press('Escape');

    await townRow(page, wenshaoName).first().locator('[data-item="C"]').click();
    await page.locator('.el-drawer').filter({ hasText: wenshaoName }).locator('[data-testid="drawer-records"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="drawer-out-of-scope"]').isVisible()).toBe(false);
    await page.keyboard.press('Escape');

    // In English the same page reads in English (names from libs/contracts ranking-text).
    await page.locator('.console-header__locale').getByText('English').click();
    await expect.poll(() => page.locator('[data-testid="ranking-table"] thead').first().textContent()).toContain('Source control');
    expect(await page.locator('[data-testid="ranking-table"] thead').first().textContent()).toContain('Total');
    await page.screenshot({ path: `${SHOTS}/rankings-town-official-en-1366.png` });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('prints the bulletin: title, ranking, lists and the worst cases on screen at two sizes, and an A4 PDF with pages', async () => {
    const ranking = (await admin.get<Ranking>(`/api/v1/rankings/${month}`)).body;
    const { page, errors } = await openPage({ width: 1366, height: 768 });
    await signInThroughLoginPage(page, api.url, TEST_ADMIN.username, TEST_ADMIN.password, `/rankings/${month}`);
    await page.goto(`${api.url}/rankings/${month}/bulletin`);
    const bulletin = page.locator('[data-testid="bulletin"]');
    await bulletin.waitFor({ timeout: 20_000 });
    const [year, mon] = month.split('-').map(Number);
    await expect.poll(() => bulletin.locator('h1').textContent()).toBe('临淄区建筑垃圾治理工作月度考核通报');
    expect(await bulletin.textContent()).toContain(`${year}年${mon}月`);
    expect(await bulletin.locator('[data-testid="bulletin-table"] tbody tr').count()).toBe(ranking.rows.length);
    expect(await bulletin.locator('[data-testid="bulletin-red"] li').count()).toBe(ranking.rows.filter((row) => row.redList).length);
    expect(await bulletin.locator('[data-testid="bulletin-black"] li').count()).toBe(ranking.rows.filter((row) => row.blackList).length);
    await expect.poll(() => bulletin.locator('[data-testid="bulletin-case"]').count()).toBeGreaterThanOrEqual(2);
    await bulletin.locator('[data-testid="ranking-trend"] canvas').first().waitFor();
    await bulletin.locator('[data-testid="ranking-map"] path').first().waitFor();
    // No console chrome on the bulletin.
    expect(await page.locator('.console-header').count()).toBe(0);

    await page.screenshot({ path: `${SHOTS}/bulletin-1366.png`, fullPage: true });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: `${SHOTS}/bulletin-1920.png`, fullPage: true });

    // The print stylesheet at A4's width (794 px at 96 dpi), as one long strip to look at.
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.screenshot({ path: `${SHOTS}/bulletin-print-a4.png`, fullPage: true });
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    writeFileSync(`${SHOTS}/bulletin.pdf`, pdf);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(pages).toBeLessThanOrEqual(6);
    expect(errors).toEqual([]);
    await page.close();
  });
});
