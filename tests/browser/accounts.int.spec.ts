import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApi } from '@muckwatch/api';
import { TEST_ADMIN } from '../support/api-client.js';
import { launchChromium, signInThroughLoginPage, submitLogin } from '../support/browser.js';
import { startTestApi, uniqueTag } from '../support/test-api.js';

/** Picks an option of an Element Plus select by its visible text. */
async function choose(page: Page, selectTestId: string, text: string): Promise<void> {
  await page.locator(`[data-testid="${selectTestId}"]`).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
}

describe('browser: signing in, and an admin creating a user', () => {
  let api: RunningApi;
  let browser: Browser;
  const tag = uniqueTag();

  beforeAll(async () => {
    api = await startTestApi({ WEB_DIST: 'apps/web/dist', MAP_TILE_URL: 'none' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('keeps a signed-out visitor on the login page and says when the password is wrong', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${api.url}/users`);
    await page.waitForURL(/\/login/);
    expect(new URL(page.url()).searchParams.get('redirect')).toBe('/users');

    await submitLogin(page, TEST_ADMIN.username, 'not-the-password-1A!');
    const error = page.locator('.login-page__error');
    await error.waitFor({ timeout: 10_000 });
    expect(await error.textContent()).toContain('用户名或密码错误');
    expect(page.url()).toContain('/login');
    await page.close();
  });

  it('restores the session in two tabs opened at once without the rotated cookie ending it', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const first = await context.newPage();
    await signInThroughLoginPage(first, api.url, TEST_ADMIN.username, TEST_ADMIN.password);

    // Both tabs restore from the same refresh cookie on load; neither may end the other's session.
    const tabs = await Promise.all([context.newPage(), context.newPage()]);
    await Promise.all(tabs.map((tab) => tab.goto(`${api.url}/audit`)));
    for (const tab of tabs) {
      await tab.locator('[data-testid="account-name"]').waitFor({ timeout: 15_000 });
      expect(new URL(tab.url()).pathname).toBe('/audit');
    }
    // And the first tab's session still works after a reload.
    await first.reload();
    await first.locator('[data-testid="account-name"]').waitFor({ timeout: 15_000 });
    expect(new URL(first.url()).pathname).toBe('/');
    await context.close();
  });

  it('lets the admin create a town official, who then signs in and sees their name and scope', async () => {
    const admin = await browser.newPage({ viewport: { width: 1366, height: 800 } });
    const errors: string[] = [];
    admin.on('pageerror', (error) => errors.push(error.message));
    await signInThroughLoginPage(admin, api.url, TEST_ADMIN.username, TEST_ADMIN.password, '/users');
    await admin.waitForURL(/\/users$/);
    await admin.locator(`[data-username="${TEST_ADMIN.username}"]`).waitFor();

    const username = `web-${tag}`;
    const displayName = `镇街测试员${tag}`;
    const password = `Qilu-Town-${tag}-2026`;
    await admin.locator('[data-testid="create-user"]').click();
    const dialog = admin.locator('.user-form-dialog');
    await dialog.locator('input[name="username"]').fill(username);
    await dialog.locator('input[name="displayName"]').fill(displayName);
    await dialog.locator('input[name="password"]').fill(password);
    await choose(admin, 'role-select', '镇街工作人员');
    await choose(admin, 'town-select', '齐鲁石化');
    await admin.locator('[data-testid="save-user"]').click();

    const row = admin.locator('.el-table__row', { has: admin.locator(`[data-username="${username}"]`) });
    await row.waitFor({ timeout: 10_000 });
    expect(await row.textContent()).toContain(displayName);
    expect(await row.textContent()).toContain('齐鲁石化');

    // Signing out goes back to the login page; the console is closed again.
    await admin.locator('.console-header__account').click();
    await admin.locator('.el-dropdown-menu__item:visible', { hasText: '退出登录' }).click();
    await admin.waitForURL(/\/login/);
    await admin.goto(`${api.url}/users`);
    await admin.waitForURL(/\/login/);
    expect(errors).toEqual([]);
    await admin.close();

    const official = await browser.newPage({ viewport: { width: 1366, height: 800 } });
    await signInThroughLoginPage(official, api.url, username, password);
    expect(await official.locator('[data-testid="account-name"]').textContent()).toBe(displayName);
    await official.getByText('镇街工作人员 · 辖区：齐鲁石化').waitFor();
    // A town official sees the live map only, and is turned away from user management.
    expect(await official.locator('[data-nav="users"]').count()).toBe(0);
    expect(await official.locator('[data-nav="audit"]').count()).toBe(0);
    await official.goto(`${api.url}/users`);
    await official.waitForURL((url) => url.pathname === '/');
    await official.close();
  });
  it('keeps the menu on one row: at 1366 px the entries that do not fit are under 更多, and open from there', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
    await signInThroughLoginPage(page, api.url, TEST_ADMIN.username, TEST_ADMIN.password);
    const more = page.locator('[data-testid="nav-more"]');
    await more.waitFor();
    const header = (await page.locator('.console-header__nav').boundingBox())!;
    const shown = page.locator('[data-nav]:visible');
    const count = await shown.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i += 1) {
      const box = (await shown.nth(i).boundingBox())!;
      expect(box.x + box.width, await shown.nth(i).textContent() ?? '').toBeLessThanOrEqual(header.x + header.width);
    }
    // The last entry of an admin's menu is not in the row: it is under 更多, and opens from there.
    const hidden = await page.locator('[data-nav]:not(:visible)').first().getAttribute('data-nav');
    expect(hidden).toBeTruthy();
    await more.click();
    await page.locator(`[data-nav-more="${hidden}"]:visible`).click();
    await page.waitForURL((url) => url.pathname !== '/');
    expect(await more.getAttribute('class')).toContain('console-header__nav-item--active');
    // Wide enough, every entry is in the row and there is no 更多.
    await page.setViewportSize({ width: 2400, height: 800 });
    await more.waitFor({ state: 'detached' });
    expect(await page.locator('[data-nav]:visible').count()).toBe(await page.locator('[data-nav]').count());
    await page.close();
  });
});
