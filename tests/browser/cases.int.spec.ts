import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ViolationPage } from '@muckwatch/contracts';
import { buildScenario, publishScenario } from '@muckwatch/fleet';
import { signInAdmin, TEST_ADMIN } from '../support/api-client.js';
import { launchChromium, signInThroughLoginPage } from '../support/browser.js';
import { demoDatabase } from '../support/demo-database.js';
import { startTestApi } from '../support/test-api.js';

describe('browser: a dispatcher assigns a case from its deep link, and the filtered list is a link too', () => {
  let api: Awaited<ReturnType<typeof startTestApi>>;
  let browser: Browser;
  let database: Awaited<ReturnType<typeof demoDatabase>>;

  beforeAll(async () => {
    database = await demoDatabase();
    api = await startTestApi({ ...database.env, SEED_DEMO: 'true', FIX_MAX_FUTURE_SECONDS: '7200', WEB_DIST: 'apps/web/dist', MAP_TILE_URL: 'none' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await database?.drop();
  });

  it('opens /violations/:id on a fresh load, shows only the allowed actions, assigns with the department’s default deadline', async () => {
    const scenario = buildScenario('unsealed_transport', { startMs: Date.now(), variant: 2 });
    await publishScenario(scenario, { url: inject('mqttUrl') });
    const admin = await signInAdmin(api);
    let id: string | undefined;
    await expect
      .poll(async () => {
        const page = await admin.get<ViolationPage>(`/api/v1/violations?plate=${encodeURIComponent(scenario.plate!)}&type=unsealed_transport`);
        id = page.body.items[0]?.id;
        return id;
      }, { timeout: 20_000 })
      .toBeDefined();

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await signInThroughLoginPage(page, api.url, TEST_ADMIN.username, TEST_ADMIN.password, `/violations/${encodeURIComponent(id!)}`);
    await page.locator('[data-testid="case-state"]').filter({ hasText: '待确认' }).waitFor({ timeout: 15_000 });
    const actions: string[] = [];
    for (const button of await page.locator('[data-testid="case-actions"] button[data-action]').all()) actions.push((await button.getAttribute('data-action')) ?? '');
    expect([...actions].sort()).toEqual(['assign', 'comment', 'confirm', 'dismiss']);

    await page.locator('button[data-action="assign"]').click();
    await page.locator('.el-dialog .el-select').first().click();
    await page.locator('.el-popper:visible .el-select-dropdown__item', { hasText: '交警大队' }).click();
    // The deadline defaults to the department's handling time (72 h in the demo registry).
    await expect.poll(() => page.locator('.el-dialog .el-date-editor input').inputValue()).not.toBe('');
    await page.locator('[data-testid="form-submit"]').click();
    await page.locator('[data-testid="case-state"]').filter({ hasText: '已交办' }).waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="case-timeline"]').getByText('交警大队').waitFor();

    await page.goto(`${api.url}/violations?caseState=assigned&departmentCode=traffic-police`);
    await page.locator('[data-testid="cases-table"] .el-table__row').filter({ hasText: scenario.plate! }).first().waitFor({ timeout: 15_000 });
    expect(errors).toEqual([]);
    await page.close();
  });
});
