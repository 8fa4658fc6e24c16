import { existsSync } from 'node:fs';
import type { MqttClient } from 'mqtt';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunningApi } from '@muckwatch/api';
import { connectTerminal, publishFixes } from '../support/mqtt.js';
import { startTestApi, uniqueTag } from '../support/test-api.js';

const CHROMIUM = '/usr/bin/chromium';

describe('browser: the live map shows a truck after its terminal publishes', () => {
  let api: RunningApi;
  let browser: Browser;
  let terminal: MqttClient;
  const tag = uniqueTag();

  beforeAll(async () => {
    if (!existsSync('apps/web/dist/index.html')) throw new Error('build the web console first: npm run build:web');
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
    // No base map: nothing in the tests needs the internet.
    api = await startTestApi({ WEB_DIST: 'apps/web/dist', MAP_TILE_URL: 'none', LIVE_BATCH_MS: '300' });
    terminal = await connectTerminal(inject('mqttUrl'), `browser-${tag}`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
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
    await page.goto(api.url);
    await page.getByText('渣土车监管平台').first().waitFor();

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
