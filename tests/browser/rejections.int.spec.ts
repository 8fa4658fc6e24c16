import { mkdirSync } from 'node:fs';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { formatDateTime } from '@muckwatch/contracts';
import type { RunningApi } from '@muckwatch/api';
import { signInAs, TEST_ADMIN } from '../support/api-client.js';
import { launchChromium, signInThroughLoginPage } from '../support/browser.js';
import { startTestApi, uniqueTag } from '../support/test-api.js';

const SHOTS = 'test-results/browser';

/** Picks an option of an Element Plus select by its visible text. */
async function choose(page: Page, selectTestId: string, text: string): Promise<void> {
  await page.locator(`[data-testid="${selectTestId}"]`).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
}

describe('browser: the rejected-telemetry page', () => {
  let api: RunningApi;
  let browser: Browser;
  let db: pg.Pool;
  const tag = uniqueTag();
  const terminal = `RJ-${tag}`.slice(0, 32);
  const hostile = `{"ts":"2026-11-26T08:00:00Z","note":"<img src=x onerror=alert(1)>\u202Egpj.exe","pad":"${'x'.repeat(400)}"}`;
  const receivedAt = Date.now() - 10 * 60_000;

  beforeAll(async () => {
    api = await startTestApi({ WEB_DIST: 'apps/web/dist', MAP_TILE_URL: 'none' });
    browser = await launchChromium();
    db = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
    // 24 fixes refused at 0,0 one second apart, and one hostile malformed message, newest.
    for (let i = 0; i < 24; i++) {
      await db.query(
        `INSERT INTO rejections (received_at, terminal_id, topic, reason, detail, fix_index, payload) VALUES ($1, $2, $3, 'zero_position', 'lat and lon are both 0', $4, $5)`,
        [new Date(receivedAt - (i + 1) * 1000), terminal, `muckwatch/v1/terminals/${terminal}/telemetry`, i, `{"lat":0,"lon":0,"i":${i}}`],
      );
    }
    await db.query(
      `INSERT INTO rejections (received_at, terminal_id, topic, reason, detail, fix_index, payload, payload_truncated) VALUES ($1, $2, $3, 'malformed_json', 'Unexpected token', NULL, $4, true)`,
      [new Date(receivedAt), terminal, `muckwatch/v1/terminals/${terminal}/telemetry`, hostile],
    );
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await db?.end();
    await browser?.close();
    await api?.close();
  });

  it('lists rejections with Chinese reasons, Shanghai times, safe payload excerpts and server-side paging', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    await signInThroughLoginPage(page, api.url, TEST_ADMIN.username, TEST_ADMIN.password, '/rejections');
    await page.waitForURL(/\/rejections$/);
    expect(await page.locator('[data-nav="rejections"]').textContent()).toContain('遥测拒收');

    await page.locator('input[data-testid="rejections-terminal"]').fill(terminal);
    await page.locator('input[data-testid="rejections-terminal"]').press('Enter');
    const table = page.locator('.rejections-page__table[data-state="ready"]');
    await table.waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="rejections-total"]', { hasText: '共 25 条' }).waitFor();

    const firstRow = table.locator('.el-table__body tr').first();
    const text = (await firstRow.textContent()) ?? '';
    expect(text).toContain('JSON 格式错误');
    expect(text).toContain(formatDateTime(receivedAt)!);
    expect(text).toContain('报文过长，服务器仅保存了前一部分');
    // The payload is text: the markup shows as written, the bidi override as an escape, and nothing runs.
    const payload = firstRow.locator('[data-testid="rejection-payload"]');
    expect(await payload.textContent()).toContain('<img src=x onerror=alert(1)>\\u{202E}gpj.exe');
    expect(await payload.textContent()).toMatch(/…$/);
    expect(await table.locator('img').count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/rejections-list.png`, fullPage: false });

    await firstRow.getByRole('button', { name: '展开' }).click();
    expect(await payload.textContent()).toContain('x'.repeat(400));
    await firstRow.getByRole('button', { name: '收起' }).click();

    // Every reason is named in Chinese; no raw code shows as text.
    const bodyText = (await table.locator('.el-table__body').textContent()) ?? '';
    expect(bodyText).toContain('坐标为 0,0（未定位）');
    expect(bodyText).not.toContain('zero_position');
    expect(await table.locator('.el-table__body tr').count()).toBe(20);

    // Page 2 comes from the server: the 5 oldest.
    await page.locator('.rejections-page__pagination .el-pager li', { hasText: '2' }).click();
    await expect.poll(() => table.locator('.el-table__body tr').count(), { timeout: 10_000 }).toBe(5);

    // The reason filter goes to the server.
    await choose(page, 'rejections-reason', 'JSON 格式错误');
    await page.getByRole('button', { name: '查询' }).click();
    await page.locator('[data-testid="rejections-total"]', { hasText: '共 1 条' }).waitFor();
    expect(dialogs).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps empty, failed and invalid-filter states apart', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await signInThroughLoginPage(page, api.url, TEST_ADMIN.username, TEST_ADMIN.password, '/rejections');
    await page.locator('[data-state="ready"], [data-state="empty"]').first().waitFor({ timeout: 15_000 });

    await page.locator('input[data-testid="rejections-terminal"]').fill(`NONE-${tag}`.slice(0, 32));
    await page.locator('input[data-testid="rejections-terminal"]').press('Enter');
    await page.locator('[data-state="empty"]', { hasText: '该条件下没有拒收记录' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/rejections-empty.png` });

    await page.locator('input[data-testid="rejections-terminal"]').fill('bad id!');
    await page.locator('input[data-testid="rejections-terminal"]').press('Enter');
    await page.locator('.el-form-item__error', { hasText: '终端号须为 1–32 位' }).waitFor();

    await page.route('**/api/v1/rejections**', (route) =>
      route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ statusCode: 500, error: 'INTERNAL_SERVER_ERROR', code: 'http.500', message: 'internal error' }) }),
    );
    await page.locator('input[data-testid="rejections-terminal"]').fill('');
    await page.getByRole('button', { name: '查询' }).click();
    await page.locator('[data-state="failed"]', { hasText: '拒收记录加载失败' }).waitFor();
    // The reason comes from the error's code, in Chinese.
    expect(await page.locator('[data-state="failed"]').textContent()).toContain('服务器内部错误');
    await page.screenshot({ path: `${SHOTS}/rejections-failed.png` });
    await page.close();
  });

  it('is an admin page: a dispatcher has no menu entry and is turned away', async () => {
    const dispatcher = await signInAs(api, 'dispatcher');
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signInThroughLoginPage(page, api.url, dispatcher.user.username, dispatcher.password, '/');
    expect(await page.locator('[data-nav="rejections"]').count()).toBe(0);
    await page.goto(`${api.url}/rejections`);
    await page.waitForURL((url) => url.pathname !== '/rejections');
    await page.close();
  });
});
