import { mkdirSync } from 'node:fs';
import type { MqttClient } from 'mqtt';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunningApi } from '@muckwatch/api';
import type { TelemetryFix } from '@muckwatch/contracts';
import { TEST_ADMIN } from '../support/api-client.js';
import { launchChromium, signInThroughLoginPage } from '../support/browser.js';
import { connectTerminal, publishFixes } from '../support/mqtt.js';
import { startTestApi, uniqueTag } from '../support/test-api.js';

const SHOTS = 'test-results/browser/live-map';
const FLEET = 300;

/** The map layer's hook (apps/web/src/live-map/TruckMarkersLayer.ts): drawn trucks, aggregated markers, positions. */
interface LiveMapHook {
  mode(): 'individual' | 'clustered';
  shownKeys(): string[];
  clusterCount(): number;
  markerPoint(key: string): { x: number; y: number } | null;
}
const hook = <T>(page: Page, read: (map: LiveMapHook) => T): Promise<T> =>
  page.evaluate<T>(`(${read.toString()})(window.__muckwatchLiveMap)`);

function fix(atMs: number, lat: number, lon: number, extra: Partial<TelemetryFix> = {}): TelemetryFix {
  return { ts: new Date(atMs).toISOString(), lat, lon, speedKmh: 35, headingDeg: 90, load: 'empty', cover: 'closed', ...extra };
}

async function openLiveMap(browser: Browser, api: RunningApi, viewport: { width: number; height: number }, path = '/'): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await signInThroughLoginPage(page, api.url, TEST_ADMIN.username, TEST_ADMIN.password, path);
  await page.locator('.connection-state[data-connection="connected"]').waitFor({ timeout: 15_000 });
  return { page, errors };
}

describe('browser: the live map at city scale', () => {
  let api: RunningApi;
  let browser: Browser;
  let terminal: MqttClient;
  const tag = uniqueTag();
  const id = (n: number): string => `lm-${tag}-${String(n).padStart(3, '0')}`;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
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

  it('draws a new terminal on the canvas, moves it with the next fix, and its state follows', async () => {
    const { page, errors } = await openLiveMap(browser, api, { width: 1280, height: 800 });
    const terminalId = `browser-${tag}`;
    const row = page.locator(`.truck-list__plate[data-terminal-id="${terminalId}"]`);
    expect(await row.count()).toBe(0);

    await publishFixes(terminal, terminalId, fix(Date.now() - 120_000, 36.82, 118.31, { load: 'full' }));
    await page.getByTestId('truck-search').fill(terminalId);
    await row.waitFor({ timeout: 15_000 });
    await expect.poll(() => page.locator(`.truck-list__state`).first().getAttribute('data-state')).toBe('moving');

    // Opening the row flies to the truck at street zoom, where each truck is drawn on its own.
    await row.click();
    await page.waitForURL(new RegExp(`[?&]truck=${terminalId}`));
    await expect.poll(() => hook(page, (map) => map.mode()), { timeout: 5000 }).toBe('individual');
    await expect.poll(() => hook(page, (map) => map.shownKeys())).toEqual([terminalId]);
    await page.waitForTimeout(800); // the flight
    const before = await hook(page, (map) => map.markerPoint(map.shownKeys()[0] ?? ''));
    expect(before).not.toBeNull();

    await publishFixes(terminal, terminalId, fix(Date.now(), 36.82, 118.315, { speedKmh: 0, load: 'full' }));
    await expect.poll(() => page.locator('.truck-list__state').first().getAttribute('data-state'), { timeout: 15_000 }).toBe('stopped');
    const after = await hook(page, (map) => map.markerPoint(map.shownKeys()[0] ?? ''));
    expect(after!.x).toBeGreaterThan(before!.x);

    // Hovering the drawn truck shows its label.
    const box = (await page.locator('.leaflet-container').boundingBox())!;
    await page.mouse.move(box.x + after!.x, box.y + after!.y);
    await page.locator(`.truck-tooltip [data-terminal-id="${terminalId}"]`).waitFor({ timeout: 5000 });

    await page.getByText('English', { exact: true }).first().click();
    await page.getByText('Muck Truck Monitoring Platform').first().waitFor({ timeout: 5000 });
    expect(errors).toEqual([]);
    await page.close();
  });

  it(`filters ${FLEET} trucks on map and list alike, and search flies to a truck and selects it`, async () => {
    const now = Date.now();
    for (let n = 0; n < FLEET; n += 1) {
      const coverOpen = n % 10 === 0;
      const lat = 36.78 + (n % 20) * 0.006;
      const lon = 118.24 + Math.floor(n / 20) * 0.008;
      await publishFixes(terminal, id(n), fix(now - 1000, lat, lon, { speedKmh: n % 3 === 0 ? 0 : 30, headingDeg: (n * 37) % 360, load: coverOpen ? 'full' : 'empty', cover: coverOpen ? 'open' : 'closed' }));
    }
    const { page, errors } = await openLiveMap(browser, api, { width: 1366, height: 768 });
    const search = page.getByTestId('truck-search');
    await search.fill(`lm-${tag}`);
    await expect.poll(() => page.getByTestId('truck-list-shown').textContent(), { timeout: 20_000 }).toContain(`${FLEET} /`);
    // The district view aggregates; every drawn truck is one of ours.
    await expect.poll(() => hook(page, (map) => map.clusterCount())).toBeGreaterThan(0);
    expect((await hook(page, (map) => map.shownKeys())).every((key) => key.startsWith(`lm-${tag}-`))).toBe(true);
    await page.screenshot({ path: `${SHOTS}/live-map-clusters-1366.png` });
    // The zoom buttons are in reach at 1366×768, not under the alarm list.
    for (const control of ['.leaflet-control-zoom-in', '.leaflet-control-zoom-out']) {
      const box = (await page.locator(control).first().boundingBox())!;
      expect(await page.evaluate<boolean>(`document.elementFromPoint(${box.x + box.width / 2}, ${box.y + box.height / 2})?.closest('${control}') !== null`)).toBe(true);
    }

    // Cover open: the list and the map keep the same tenth of the fleet.
    await page.getByTestId('truck-cover-filter').click();
    await expect.poll(() => page.getByTestId('truck-list-shown').textContent()).toContain(`${FLEET / 10} /`);
    const expected = new Set(Array.from({ length: FLEET / 10 }, (_, k) => id(k * 10)));
    expect((await hook(page, (map) => map.shownKeys())).every((key) => expected.has(key))).toBe(true);
    // Stopped among them: every third.
    await page.locator('.truck-stat[data-state="stopped"]').click();
    await expect.poll(() => page.getByTestId('truck-list-shown').textContent()).toContain(`${expected.size / 3 >> 0 || 1}`);
    await page.locator('.truck-stat[data-state="all"]').click();
    await page.getByTestId('truck-cover-filter').click();

    // Search by terminal id, Enter: flies there, selects it, and the URL names it.
    await search.fill(id(137));
    await search.press('Enter');
    await page.waitForURL(new RegExp(`[?&]truck=${id(137)}`));
    await page.locator(`[data-testid="truck-detail"][data-terminal-id="${id(137)}"]`).waitFor();
    await expect.poll(() => hook(page, (map) => map.mode()), { timeout: 5000 }).toBe('individual');
    await page.waitForTimeout(800);
    const point = await hook(page, (map) => map.markerPoint(map.shownKeys().find((key) => key.endsWith('-137')) ?? ''));
    const size = (await page.locator('.leaflet-container').boundingBox())!;
    expect(point!.x).toBeGreaterThan(0);
    expect(point!.x).toBeLessThan(size.width);
    await page.screenshot({ path: `${SHOTS}/live-map-selected-1366.png` });

    // The keyboard: the map's control steps through the trucks in sight.
    await search.fill(`lm-${tag}`);
    await page.locator('[data-testid="truck-keys"] button[data-direction="next"]').focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.locator('.truck-keys__status').textContent()).toMatch(/第 \d+ \/ \d+ 辆/);
    await page.waitForURL((url) => url.searchParams.get('truck') !== id(137) && url.searchParams.get('truck') !== null);

    // Opening a truck's URL selects it and brings it into view.
    const fromUrl = await openLiveMap(browser, api, { width: 1920, height: 1080 }, `/?truck=${id(42)}`);
    await fromUrl.page.locator(`[data-testid="truck-detail"][data-terminal-id="${id(42)}"]`).waitFor({ timeout: 15_000 });
    await expect.poll(() => hook(fromUrl.page, (map) => map.mode()), { timeout: 5000 }).toBe('individual');
    await fromUrl.page.waitForTimeout(800);
    await fromUrl.page.screenshot({ path: `${SHOTS}/live-map-url-1920.png` });
    expect([...errors, ...fromUrl.errors]).toEqual([]);
    await fromUrl.page.close();
    await page.close();
  });

  it('tells loading and failed apart from an empty list', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const hold = async (route: Route): Promise<void> => {
      await held;
      await route.continue().catch(() => undefined); // the page may have given up on this poll meanwhile
    };
    await page.route('**/socket.io/**', hold);
    await signInThroughLoginPage(page, api.url, TEST_ADMIN.username, TEST_ADMIN.password);
    await page.locator('[data-list-state="loading"]').waitFor();
    await page.getByTestId('truck-list-loading').waitFor();
    expect(await page.getByTestId('truck-list-empty').count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/live-map-loading-1366.png` });
    release();
    await page.unroute('**/socket.io/**', hold);
    await page.locator('[data-list-state="ready"]').waitFor({ timeout: 30_000 });

    const failing = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await failing.route('**/socket.io/**', (route) => route.abort());
    await signInThroughLoginPage(failing, api.url, TEST_ADMIN.username, TEST_ADMIN.password);
    await failing.getByTestId('truck-list-failed').waitFor({ timeout: 30_000 });
    await failing.screenshot({ path: `${SHOTS}/live-map-failed-1920.png` });
    // Retry once the network is back: the snapshot arrives.
    await failing.unroute('**/socket.io/**');
    await failing.getByTestId('truck-list-failed').getByRole('button').click();
    await failing.locator('[data-list-state="ready"]').waitFor({ timeout: 30_000 });
    await failing.close();
    await page.close();
  });
});
