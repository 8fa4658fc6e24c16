import pg from 'pg';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunningApi } from '@muckwatch/api';
import { TEST_ADMIN } from '../support/api-client.js';
import { launchChromium, signInThroughLoginPage } from '../support/browser.js';
import { startTestApi, uniqueTag } from '../support/test-api.js';

describe('browser: terminal models and JT/T 808 auth codes', () => {
  let api: RunningApi;
  let browser: Browser;
  let db: pg.Pool;
  const tag = uniqueTag();
  const terminalId = `J8B${tag}`;
  const maker = `浏览器厂商${tag}`;

  beforeAll(async () => {
    api = await startTestApi({ WEB_DIST: 'apps/web/dist', MAP_TILE_URL: 'none' });
    browser = await launchChromium();
    db = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
    await db.query(`INSERT INTO terminals (terminal_id, sim, protocol) VALUES ($1, $2, 'jt808-2019')`, [terminalId, `1${String(Date.now()).slice(-10)}`]);
  });

  afterAll(async () => {
    await db?.end();
    await browser?.close();
    await api?.close();
  });

  it('lists the defaults in Chinese and refuses a bad mapping next to the field; an admin adds a model', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await signInThroughLoginPage(page, api.url, TEST_ADMIN.username, TEST_ADMIN.password, '/registry/terminal-models');
    const table = page.locator('[data-testid="terminal-models"]');
    await table.locator('.el-table__body tr', { hasText: 'JT/T 808 标准终端（默认）' }).waitFor({ timeout: 15_000 });
    expect(await table.locator('.el-table__body tr', { hasText: 'JT/T 808 标准终端（默认）' }).textContent()).toContain('状态位 bit8–bit9 查表（3 项）');
    expect(await table.locator('.el-table__body tr', { hasText: '鸿泉渣土车终端（默认）' }).textContent()).toContain('附加信息 0xE3 第 0 字节 & 0x01 = 举升');

    await page.locator('[data-testid="list-create"]').click();
    await page.locator('input[name="maker"]').fill(maker);
    await page.locator('input[name="name"]').fill(`型号-${tag}`);
    await page.locator('textarea[name="mapping"]').fill('{"cover":{"from":"status-bit","bit":40,"whenSet":"open"}}');
    await page.locator('[data-testid="dialog-save"]').click();
    const fieldError = page.locator('[data-field="mapping"] .el-form-item__error');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toMatch(/mapping\.cover\.bit.*31/);

    await page.locator('textarea[name="mapping"]').fill('{"cover":{"from":"status-bit","bit":13,"whenSet":"open"}}');
    await page.locator('[data-testid="dialog-save"]').click();
    await table.locator('.el-table__body tr', { hasText: maker }).waitFor();
    expect(await table.locator('.el-table__body tr', { hasText: maker }).textContent()).toContain('状态位 bit13 置位 = 未密闭');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('issues an auth code once, shows it as issued, and revokes it', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await signInThroughLoginPage(page, api.url, TEST_ADMIN.username, TEST_ADMIN.password, '/registry/terminals');
    await page.locator('[data-testid="list-search"] input, input[data-testid="list-search"]').first().fill(terminalId);
    // The terminals page loads in full; the search narrows it to this run's terminal.
    const row = page.locator('.el-table__body tr', { hasText: terminalId }).first();
    await row.waitFor({ timeout: 15_000 });
    const state = page.locator(`[data-testid="auth-code-${terminalId}"]`).first();
    expect(await state.textContent()).toBe('未签发');

    await row.getByText('签发鉴权码').click();
    await page.locator('.el-popper:visible .el-popconfirm__action .el-button--primary').first().click();
    const dialog = page.locator('[data-testid="jt808-auth-code"]');
    await dialog.waitFor();
    const code = ((await dialog.locator('code').textContent()) ?? '').trim();
    expect(code).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const { rows } = await db.query<{ code_hash: string }>(`SELECT code_hash FROM jt808_auth_codes WHERE terminal_id = $1 AND revoked_at IS NULL`, [terminalId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.code_hash).not.toContain(code);
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await state.textContent()) ?? '').toContain('已签发');
    // Once closed, the code is gone from the page: it cannot be read again.
    await expect.poll(async () => (await page.content()).includes(code)).toBe(false);

    await row.getByText('吊销鉴权码').click();
    await page.locator('.el-popper:visible .el-popconfirm__action .el-button--primary').first().click();
    await expect.poll(async () => (await state.textContent()) ?? '').toContain('已吊销');
    await page.close();
  });
});
