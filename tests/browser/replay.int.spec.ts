import { mkdirSync } from 'node:fs';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TEST_ADMIN } from '../support/api-client.js';
import { launchChromium, signInThroughLoginPage } from '../support/browser.js';
import { startTestApi, uniqueTag } from '../support/test-api.js';
import { insertViolation } from '../cases/case-fixtures.js';
import { insertFixes, scriptedRun, seedReplayTruck, type ReplayTruckSeed } from '../replay/replay-fixtures.js';

const SHOTS = 'test-results/browser/replay';
const HOUR = 3_600_000;

// Track replay in Chromium against the real API: a truck's scripted 80-minute run stored as fixes
// (a site, a roadside stop with the body raised, a disposal site), an illegal-dumping case on it.
describe('browser: 轨迹回放', () => {
  let api: Awaited<ReturnType<typeof startTestApi>>;
  let browser: Browser;
  let db: pg.Client;
  let seed: ReplayTruckSeed;
  let violationId: string;
  const tag = uniqueTag();
  const start = Math.floor((Date.now() - 30 * HOUR) / 60_000) * 60_000;
  const dumpingAt = start + 42 * 60_000;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    api = await startTestApi({ WEB_DIST: 'apps/web/dist', MAP_TILE_URL: 'none' });
    db = new pg.Client({ connectionString: inject('databaseUrl') });
    await db.connect();
    seed = await seedReplayTruck(db, tag, new Date(start - 24 * HOUR));
    await insertFixes(db, seed.terminalId, scriptedRun(start));
    violationId = await insertViolation(db, {
      terminalId: seed.terminalId,
      truckId: seed.truckId,
      plate: seed.plate,
      type: 'illegal_dumping',
      severity: 'high',
      startedAt: new Date(dumpingAt),
      endedAt: new Date(dumpingAt + 4 * 60_000),
      reasons: [{ code: 'tipping_outside_site', detail: '非消纳场举升' }],
    });
    browser = await launchChromium();
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

  const at = async (page: Page): Promise<number> => Number(await page.locator('[data-testid="replay-at"]').getAttribute('data-at'));
  const marker = (page: Page): Promise<string | null> => page.locator('[data-testid="replay-map"]').getAttribute('data-position');
  const cursor = async (page: Page): Promise<number> => Number(await page.locator('[data-testid="replay-timeline"]').getAttribute('data-cursor'));

  for (const viewport of [{ width: 1366, height: 768 }, { width: 1920, height: 1080 }]) {
    it(`plays, and the slider moves the marker and the timeline cursor (${viewport.width}×${viewport.height})`, async () => {
      const { page, errors } = await openPage(viewport);
      const from = new Date(start - 10 * 60_000).toISOString();
      const to = new Date(start + 90 * 60_000).toISOString();
      await signInThroughLoginPage(page, api.url, TEST_ADMIN.username, TEST_ADMIN.password, `/replay?truck=${encodeURIComponent(seed.plate)}&from=${from}&to=${to}`);
      await page.locator('[data-testid="replay-page"][data-status="ready"]').waitFor({ timeout: 20_000 });
      // The stops list shows the roadside stop with the body raised as suspected dumping, lasting
      // 10分 (not 0小时10分).
      await page.locator('[data-testid="replay-stops"]').getByText('可疑卸土').first().waitFor({ timeout: 15_000 });
      await page.locator('[data-testid="replay-stops"]').getByText('10分', { exact: true }).first().waitFor();
      expect(await page.locator('[data-testid="replay-stops"]').textContent()).not.toContain('0小时');
      await page.locator('[data-testid="replay-timeline"] canvas').first().waitFor();
      const first = await at(page);
      expect(first).toBe(start);
      const firstMarker = await marker(page);
      expect(firstMarker).toMatch(/^36\.\d+,118\.\d+$/);

      // Play at 16× (a 100-minute period plays in ~15 s): time runs on, the marker and the cursor follow; pause stops it.
      await page.locator('[data-testid="replay-speed"]').click();
      await page.locator('.el-select-dropdown__item').filter({ hasText: /^16×$/ }).click();
      await page.locator('[data-testid="replay-play"]').click();
      await expect.poll(() => at(page), { timeout: 15_000 }).toBeGreaterThan(start + 15 * 60_000);
      await page.locator('[data-testid="replay-play"]').click();
      const paused = await at(page);
      expect(paused).toBeLessThan(start + 60 * 60_000);
      await expect.poll(() => cursor(page), { timeout: 5_000 }).toBe(paused);
      expect(await marker(page)).not.toBe(firstMarker);
      await page.waitForTimeout(300);
      expect(await at(page)).toBe(paused);

      // Click the slider away from where it paused, where the truck drives (15 or 55 minutes in):
      // the moment, the marker and the cursor jump there.
      const fraction = paused < start + 35 * 60_000 ? 0.65 : 0.25;
      const slider = page.locator('[data-testid="replay-slider"] .el-slider__runway');
      const box = (await slider.boundingBox())!;
      const beforeMarker = await marker(page);
      const cursorLine = page.locator('[data-testid="replay-timeline-cursor"]');
      const beforeLine = await cursorLine.evaluate((el) => (el as { style: { left: string } }).style.left);
      await page.mouse.click(box.x + box.width * fraction, box.y + box.height / 2);
      const expected = Date.parse(from) + fraction * (Date.parse(to) - Date.parse(from));
      await expect.poll(async () => Math.abs((await at(page)) - expected), { timeout: 5_000 }).toBeLessThan(3 * 60_000);
      await expect.poll(() => cursor(page), { timeout: 5_000 }).toBe(await at(page));
      expect(await marker(page)).not.toBe(beforeMarker);
      // The line drawn over the timeline moved with it.
      await expect.poll(() => cursorLine.evaluate((el) => (el as { style: { left: string } }).style.left), { timeout: 5_000 }).not.toBe(beforeLine);

      // Clicking an event jumps there: the violation's moment.
      await page.locator('[data-testid="replay-events"] .el-table-v2__row').filter({ hasText: '违规' }).first().click();
      await expect.poll(() => at(page), { timeout: 5_000 }).toBe(dumpingAt);

      await page.screenshot({ path: `${SHOTS}/replay-${viewport.width}x${viewport.height}.png` });

      // Loading the period again draws on as many canvases as before: the last load's are gone.
      const canvases = (): Promise<number> => page.locator('[data-testid="replay-map"] .leaflet-overlay-pane canvas').count();
      const before = await canvases();
      await page.locator('[data-testid="replay-load"]').click();
      await page.locator('[data-testid="replay-page"][data-status="ready"]').waitFor({ timeout: 20_000 });
      await page.locator('[data-testid="replay-events"] .el-table-v2__row').first().waitFor({ timeout: 15_000 });
      await expect.poll(canvases, { timeout: 5_000 }).toBe(before);
      await page.waitForTimeout(500);
      expect(await canvases()).toBe(before);
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it('fits the map to the track on first load, however the layout around the map changed before the track arrived', async () => {
    const { page, errors } = await openPage({ width: 1366, height: 768 });
    // The track's answer waits until the page has laid out its map; then the layout around the map
    // changes without the window resizing (Leaflet does not see that by itself), and only then
    // does the track arrive: fitted to a size the map no longer has, it would lie partly outside.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/api\/v1\/replay\/[^/]+\/track\?/, async (route) => {
      await held;
      await route.continue();
    });
    const from = new Date(start - 10 * 60_000).toISOString();
    const to = new Date(start + 90 * 60_000).toISOString();
    await signInThroughLoginPage(page, api.url, TEST_ADMIN.username, TEST_ADMIN.password, `/replay?truck=${encodeURIComponent(seed.plate)}&from=${from}&to=${to}`);
    await page.locator('[data-testid="replay-loading"]').waitFor({ timeout: 15_000 });
    // The side column widens: the map narrows by 400 px (the run's track is wide and flat: its fit is set by the width).
    await page.addStyleTag({ content: '.replay-page__body { grid-template-columns: minmax(0, 1fr) 720px !important; }' });
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
    release();
    await page.locator('[data-testid="replay-page"][data-status="ready"]').waitFor({ timeout: 20_000 });
    // The track's pixels (the overlay pane's canvases, which reach past the map's edges) inside and
    // outside the map's box on the page.
    const pixels = (): Promise<{ inside: number; outside: number }> =>
      page.evaluate<{ inside: number; outside: number }>(`(() => {
        const box = document.querySelector('[data-testid="replay-map"]').getBoundingClientRect();
        let inside = 0;
        let outside = 0;
        for (const c of document.querySelectorAll('[data-testid="replay-map"] .leaflet-overlay-pane canvas')) {
          const r = c.getBoundingClientRect();
          const sx = r.width / c.width;
          const sy = r.height / c.height;
          const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          for (let y = 0; y < c.height; y += 1) {
            for (let x = 0; x < c.width; x += 1) {
              if (data[(y * c.width + x) * 4 + 3] === 0) continue;
              const px = r.left + (x + 0.5) * sx;
              const py = r.top + (y + 0.5) * sy;
              if (px >= box.left && px <= box.right && py >= box.top && py <= box.bottom) inside += 1;
              else outside += 1;
            }
          }
        }
        return { inside, outside };
      })()`);
    await expect.poll(async () => (await pixels()).inside, { timeout: 5_000 }).toBeGreaterThan(0);
    expect(await pixels()).toMatchObject({ outside: 0 });
    await page.screenshot({ path: `${SHOTS}/replay-fitted-1366x768.png` });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('zoomed in, loads the window at full resolution and draws it coloured like the overview', async () => {
    const { page, errors } = await openPage({ width: 1366, height: 768 });
    const from = new Date(start - 10 * 60_000).toISOString();
    const to = new Date(start + 90 * 60_000).toISOString();
    await signInThroughLoginPage(page, api.url, TEST_ADMIN.username, TEST_ADMIN.password, `/replay?truck=${encodeURIComponent(seed.plate)}&from=${from}&to=${to}`);
    await page.locator('[data-testid="replay-page"][data-status="ready"]').waitFor({ timeout: 20_000 });
    // The track is fitted a frame after the page is ready: a zoom before that would be undone by the fit.
    await page.locator('[data-testid="replay-map"][data-fitted="true"]').waitFor({ timeout: 10_000 });
    const summary = page.locator('[data-testid="replay-summary"]');
    // Zoom in a step at a time until the window's fixes are loaded (zoom 15; the fit is 10–12, up to the map's 18).
    const loadedWindow = /已加载当前窗口的全部 \d+ 个定位点/;
    for (let step = 0; step < 8; step += 1) {
      await page.locator('.leaflet-control-zoom-in').click();
      const shown = await expect
        .poll(() => summary.textContent(), { timeout: 4_000 })
        .toMatch(loadedWindow)
        .then(() => true, () => false);
      if (shown) break;
    }
    expect(await summary.textContent()).toMatch(loadedWindow);
    // The window is drawn in the speed bands' colours (the overview under it fades): the track's
    // canvas holds the 20–40 km/h blue at full strength.
    // (Only the window is drawn at full opacity: the faded overview's pixels are never opaque.)
    const blue = (): Promise<number> =>
      page.evaluate<number>(`(() => {
        let n = 0;
        for (const c of document.querySelectorAll('[data-testid="replay-map"] .leaflet-overlay-pane canvas')) {
          const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          for (let i = 0; i < data.length; i += 4) if (data[i] === 0x40 && data[i + 1] === 0x9e && data[i + 2] === 0xff && data[i + 3] === 255) n += 1;
        }
        return n;
      })()`);
    await expect.poll(blue, { timeout: 5_000 }).toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}/replay-detail-1366x768.png` });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('leaving the page while its map still zooms throws nothing', async () => {
    // Leaflet ends a zoom animation 250 ms after it starts; a page left before that (a dispatcher
    // clicking 回放 while the violation's evidence track is still being fitted) removed the map first.
    const { page, errors } = await openPage({ width: 1366, height: 768 });
    // The live map, zoomed in by the wheel over its middle (an animated zoom), and left the moment
    // the animation starts (Leaflet marks the map pane 'leaflet-zoom-anim' for it).
    await signInThroughLoginPage(page, api.url, TEST_ADMIN.username, TEST_ADMIN.password, '/');
    const box = (await page.locator('.leaflet-container').first().boundingBox())!;
    await page.waitForTimeout(500);
    const left = page.evaluate(`new Promise((resolve) => {
      const pane = document.querySelector('.leaflet-map-pane');
      const leave = () => { history.pushState(null, '', '/rankings'); dispatchEvent(new PopStateEvent('popstate', { state: null })); resolve(true); };
      new MutationObserver((records, observer) => {
        if (!pane.classList.contains('leaflet-zoom-anim')) return;
        observer.disconnect();
        leave();
      }).observe(pane, { attributes: true, attributeFilter: ['class'] });
    })`);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -300);
    await left;
    await page.waitForURL(/\/rankings/);
    await page.waitForTimeout(600);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a violation’s 回放 opens the replay at the moment it started', async () => {
    for (const viewport of [{ width: 1366, height: 768 }, { width: 1920, height: 1080 }]) {
      const { page, errors } = await openPage(viewport);
      await signInThroughLoginPage(page, api.url, TEST_ADMIN.username, TEST_ADMIN.password, `/violations/${encodeURIComponent(violationId)}`);
      await page.locator('[data-testid="case-replay"]').waitFor({ timeout: 15_000 });
      await page.screenshot({ path: `${SHOTS}/violation-${viewport.width}x${viewport.height}.png` });
      await page.locator('[data-testid="case-replay"]').click();
      await page.waitForURL(/\/replay\?/);
      const url = new URL(page.url());
      expect(url.searchParams.get('truck')).toBe(seed.terminalId);
      expect(Date.parse(url.searchParams.get('at')!)).toBe(dumpingAt);
      await page.locator('[data-testid="replay-page"][data-status="ready"]').waitFor({ timeout: 20_000 });
      expect(await at(page)).toBe(dumpingAt);
      await expect.poll(() => cursor(page), { timeout: 5_000 }).toBe(dumpingAt);
      await page.locator('[data-testid="replay-stops"]').getByText('可疑卸土').first().waitFor({ timeout: 15_000 });
      await page.screenshot({ path: `${SHOTS}/replay-from-violation-${viewport.width}x${viewport.height}.png` });
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('loads a truck picked on the page once (the URL it writes does not load it again)', async () => {
    const { page, errors } = await openPage({ width: 1366, height: 768 });
    const from = new Date(start - 10 * 60_000).toISOString();
    const to = new Date(start + 90 * 60_000).toISOString();
    await signInThroughLoginPage(page, api.url, TEST_ADMIN.username, TEST_ADMIN.password, `/replay?from=${from}&to=${to}`);
    await page.locator('[data-testid="replay-page"][data-status="idle"]').waitFor({ timeout: 15_000 });
    const tracks: string[] = [];
    page.on('request', (request) => {
      if (/\/api\/v1\/replay\/[^/]+\/track/.test(request.url())) tracks.push(request.url());
    });
    await page.locator('[data-testid="replay-truck"] input').fill(seed.plate);
    await page.locator('.el-select-dropdown__item').filter({ hasText: seed.plate }).first().click();
    await page.locator('[data-testid="replay-load"]').click();
    await page.locator('[data-testid="replay-page"][data-status="ready"]').waitFor({ timeout: 20_000 });
    await expect.poll(() => new URL(page.url()).searchParams.get('truck')).toBe(seed.plate);
    await page.waitForTimeout(500);
    expect(tracks).toHaveLength(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('tells an empty period and an unknown truck apart', async () => {
    const { page } = await openPage({ width: 1366, height: 768 });
    const empty = `from=${new Date(start - 10 * HOUR).toISOString()}&to=${new Date(start - 9 * HOUR).toISOString()}`;
    await signInThroughLoginPage(page, api.url, TEST_ADMIN.username, TEST_ADMIN.password, `/replay?truck=${encodeURIComponent(seed.plate)}&${empty}`);
    await page.locator('[data-testid="replay-empty"]').getByText('该时间段内没有定位数据').waitFor({ timeout: 15_000 });
    await page.goto(`${api.url}/replay?truck=${encodeURIComponent('鲁C0000X')}&${empty}`);
    await page.locator('[data-testid="replay-failed"]').getByText('找不到车辆、终端或车牌').waitFor({ timeout: 15_000 });
    await page.screenshot({ path: `${SHOTS}/replay-failed-1366x768.png` });
    await page.close();
  });
});
