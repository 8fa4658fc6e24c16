import type { MqttClient } from 'mqtt';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunningApi } from '@muckwatch/api';
import { TEST_ADMIN } from '../support/api-client.js';
import { launchChromium, signInThroughLoginPage } from '../support/browser.js';
import { connectTerminal, publishFixes } from '../support/mqtt.js';
import { startTestApi, uniqueTag } from '../support/test-api.js';

describe('browser: the live map shows a truck after its terminal publishes', () => {
  let api: RunningApi;
  let browser: Browser;
  let terminal: MqttClient;
  const tag = uniqueTag();

  beforeAll(async () => {
    // No base map: nothing in the tests needs the internet.
    api = await startTestApi({ WEB_DIST: 'apps/web/dist', MAP_TILE_URL: 'none', LIVE_BATCH_MS: '300' });
    terminal = await connectTerminal(inject('mqttUrl'), `browser-${tag}`);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await terminal?.endAsync();
    await api?.close();
  });

  it('draws a marker for a new terminal and moves it with the next fix', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await signInThroughLoginPage(page, api.url, TEST_ADMIN.username, TEST_ADMIN.password);
    await page.getByText('渣土车监管平台').first().waitFor();
    // The socket is authenticated with the access token: wait until the gateway has accepted it.
    await page.locator('.connection-state[data-connection="connected"]').waitFor({ timeout: 15_000 });

    const terminalId = `browser-${tag}`;
    const marker = page.locator(`.truck-marker[data-terminal-id="${terminalId}"]`);
    expect(await marker.count()).toBe(0);

    await publishFixes(terminal, terminalId, { ts: Date.now() - 120_000, lat: 36.82, lon: 118.31, speedKmh: 35, headingDeg: 90, load: 'full', cover: 'closed' });
    await marker.waitFor({ timeout: 15_000 });
    await expect.poll(() => marker.getAttribute('class')).toContain('truck-marker--moving');
    const before = await marker.boundingBox();

    await publishFixes(terminal, terminalId, { ts: Date.now(), lat: 36.82, lon: 118.33, speedKmh: 0, headingDeg: 90, load: 'full', cover: 'closed' });
    await expect.poll(() => marker.getAttribute('class'), { timeout: 15_000 }).toContain('truck-marker--stopped');
    const after = await marker.boundingBox();
    expect(after!.x).toBeGreaterThan(before!.x);

    await page.getByText('English', { exact: true }).first().click();
    await page.getByText('Muck Truck Monitoring Platform').first().waitFor({ timeout: 5000 });
    expect(errors).toEqual([]);
    await page.close();
  });
});
