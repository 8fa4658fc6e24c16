import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConstructionSite } from '@muckwatch/contracts';
import type { RunningApi } from '@muckwatch/api';
import { type ApiClient, signInAs } from '../support/api-client.js';
import { launchChromium, signInThroughLoginPage } from '../support/browser.js';
import { startTestApi, uniqueTag } from '../support/test-api.js';

/** Clicks the map at offsets (px) from its centre, one vertex per click, then the first again to close the ring. */
async function drawPolygon(page: Page, offsets: Array<[number, number]>): Promise<void> {
  const box = (await page.locator('.registry-map-page .map-view').boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  for (const [dx, dy] of [...offsets, offsets[0]!]) {
    await page.mouse.click(cx + dx, cy + dy);
    await page.waitForTimeout(150);
  }
}

describe('browser: a dispatcher draws a construction site on the registry map', () => {
  let api: RunningApi;
  let browser: Browser;
  let dispatcher: ApiClient;
  const tag = uniqueTag();

  beforeAll(async () => {
    api = await startTestApi({ WEB_DIST: 'apps/web/dist', MAP_TILE_URL: 'none' });
    dispatcher = await signInAs(api, 'dispatcher');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  async function openMap(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // Signed out, /registry/map lands on the login page; signing in there comes back to it.
    await signInThroughLoginPage(page, api.url, dispatcher.user.username, dispatcher.password, '/registry/map');
    await page.locator('[data-testid="draw-construction-sites"]').waitFor();
    return page;
  }

  it('draws a polygon, saves it, and sees it and its record after a reload', async () => {
    const page = await openMap();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const name = `浏览器测试工地 ${tag}`;

    await page.locator('[data-testid="draw-construction-sites"]').click();
    await drawPolygon(page, [[-50, -40], [50, -40], [50, 40], [-50, 40]]);
    const record = page.locator('[data-testid="geofence-record"]');
    await record.waitFor();
    await record.locator('input[name="name"]').fill(name);
    await record.locator('[data-testid="geofence-save"]').click();

    const shape = page.locator(`path.geofence--construction-sites[data-name="${name}"]`);
    await shape.waitFor({ timeout: 15_000 });
    await expect.poll(() => new URL(page.url()).searchParams.get('id')).toBeTruthy();
    const id = new URL(page.url()).searchParams.get('id')!;

    const saved = await dispatcher.get<ConstructionSite>(`/api/v1/construction-sites/${id}`);
    expect(saved.status).toBe(200);
    expect(saved.body.name).toBe(name);
    expect(saved.body.geometry.type).toBe('Polygon');
    expect(saved.body.geometry.coordinates[0]).toHaveLength(5);

    await page.reload();
    await shape.waitFor({ timeout: 15_000 });
    await expect.poll(() => record.locator('input[name="name"]').inputValue(), { timeout: 10_000 }).toBe(name);

    // Closing the record and clicking the shape opens it again.
    await record.getByRole('button', { name: '关闭' }).click();
    await record.waitFor({ state: 'detached' });
    // Other specs share the database and may have drawn sites over the same ground: the click goes to
    // this shape's own element, as a user would pick it where it is not covered.
    await shape.dispatchEvent('click');
    await expect.poll(() => record.locator('input[name="name"]').inputValue(), { timeout: 10_000 }).toBe(name);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows the API's self-intersection message next to the shape", async () => {
    const page = await openMap();
    await page.locator('[data-testid="draw-construction-sites"]').click();
    // A bow tie: the second edge crosses the fourth.
    await drawPolygon(page, [[100, -40], [200, 40], [200, -40], [100, 40]]);
    const record = page.locator('[data-testid="geofence-record"]');
    await record.waitFor();
    await record.locator('input[name="name"]').fill(`自相交 ${tag}`);
    await record.locator('[data-testid="geofence-save"]').click();
    const error = record.locator('[data-field="geometry"] .el-form-item__error');
    await error.waitFor({ timeout: 10_000 });
    expect(await error.textContent()).toMatch(/self-intersection|自相交/i);
    await page.close();
  });
});
