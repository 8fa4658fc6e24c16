import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildScenario, publishScenario } from '@muckwatch/fleet';
import { TEST_ADMIN } from '../support/api-client.js';
import { launchChromium, pageDiary, signInThroughLoginPage } from '../support/browser.js';
import { demoDatabase } from '../support/demo-database.js';
import { startTestApi } from '../support/test-api.js';

describe('browser: a violation appears in the live alarm list and shows its evidence track', () => {
  let api: Awaited<ReturnType<typeof startTestApi>>;
  let browser: Browser;
  let database: Awaited<ReturnType<typeof demoDatabase>>;

  beforeAll(async () => {
    database = await demoDatabase();
    api = await startTestApi({
      ...database.env,
      SEED_DEMO: 'true',
      FIX_MAX_FUTURE_SECONDS: '7200',
      WEB_DIST: 'apps/web/dist',
      MAP_TILE_URL: 'none',
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await database?.drop();
  });

  it('lists the alarm pushed over the socket; a click draws the evidence on the map', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const diary = pageDiary(page);
    await signInThroughLoginPage(page, api.url, TEST_ADMIN.username, TEST_ADMIN.password);
    await page.locator('.connection-state[data-connection="connected"]').waitFor({ timeout: 15_000 });
    await page.getByText('实时报警').first().waitFor();

    const scenario = buildScenario('unsealed_transport', { startMs: Date.now(), variant: 2 });
    await publishScenario(scenario, { url: inject('mqttUrl') });
    const row = page.locator('.alarm-row').filter({ hasText: '未密闭运输' }).filter({ hasText: scenario.plate! });
    await row.first().waitFor({ timeout: 15_000 });

    await row.first().click();
    const clicked = await row.first().getAttribute('data-violation-id');
    await diary.explain(page.locator('path.evidence-track').waitFor({ timeout: 10_000 }).catch((error: Error) => {
      throw new Error(`${error.message} (clicked ${clicked}; rows: ${String(diary.lines.length)})`);
    }));
    expect(await page.locator('path.evidence-start').count()).toBe(1);
    await page.getByText('清除轨迹').click();
    await expect.poll(() => page.locator('path.evidence-track').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
