import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TerminalCommandList, TruckRecord } from '@muckwatch/contracts';
import { type ApiClient, signInAs } from '../support/api-client.js';
import { launchChromium, pageDiary, signInThroughLoginPage } from '../support/browser.js';
import { FakeTerminal, registerTruck, type CommandTruck } from '../support/command-fixtures.js';
import { startTestApi, uniqueTag, waitFor } from '../support/test-api.js';

const SHOTS = 'test-results/browser/commands';

/** Runs in the page: no map zoom and no CSS transition running (the test's own types have no DOM). */
function pageIsStill(): boolean {
  type Animation = { playState: string; effect: { getTiming(): { iterations?: number } } | null };
  const doc = (globalThis as unknown as { document: { querySelector(selector: string): unknown; getAnimations(): Animation[] } }).document;
  return !doc.querySelector('.leaflet-zoom-anim') && doc.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity);
}

// A dispatcher opens a truck on the live map, sends 锁车 with a reason from the panel's 管控
// section, and sees it 已确认 once the truck's terminal (a real MQTT client on the API's own
// broker, with its registry credentials) acknowledges it.
describe('browser: a dispatcher sends a command from the truck panel', () => {
  let api: Awaited<ReturnType<typeof startTestApi>>;
  let browser: Browser;
  let dispatcher: ApiClient;
  let truck: CommandTruck;
  let terminal: FakeTerminal;
  const tag = uniqueTag();

  beforeAll(async () => {
    api = await startTestApi({ WEB_DIST: 'apps/web/dist', MAP_TILE_URL: 'none', LIVE_BATCH_MS: '300', MQTT_URL: '', EMBEDDED_MQTT_PORT: '0', INGEST_CONNECTIONS: '1', INGEST_SHARED_SUBSCRIPTION: 'false' });
    dispatcher = await signInAs(api, 'dispatcher');
    truck = await registerTruck(dispatcher, tag);
    terminal = new FakeTerminal(api.infra.mqttUrl, truck.terminalId, truck.password);
    await terminal.connect();
    const now = Date.now();
    await terminal.publishFixes(Array.from({ length: 3 }, (_, i) => ({ ts: new Date(now - (3 - i) * 30_000).toISOString(), lat: 36.83, lon: 118.31 + i * 0.0003, speedKmh: 20, headingDeg: 90, seq: i })));
    await waitFor(async () => (await dispatcher.get<TruckRecord>(`/api/v1/trucks/${truck.truckId}`)).body.latest !== null, 20_000, 'the truck has a position');
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await terminal?.disconnect();
    await browser?.close();
    await api?.close();
  });

  async function shot(page: Page, name: string): Promise<void> {
    await page.waitForFunction(pageIsStill);
    await page.screenshot({ path: `${SHOTS}/${name}.png` });
  }

  it('sends 锁车 and sees 已确认 (1366×768)', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const diary = pageDiary(page);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await signInThroughLoginPage(page, api.url, dispatcher.user.username, dispatcher.password, `/?truck=${truck.truckId}`);
    const section = page.locator('[data-testid="panel-commands"]');
    await diary.explain(expect.poll(() => section.getAttribute('data-status'), { timeout: 20_000 }).toBe('loaded'));
    expect(await section.innerText()).toContain('暂无管控指令');

    await page.locator('[data-testid="send-command"]').click();
    const dialog = page.locator('.el-dialog').filter({ hasText: '发送指令' });
    await dialog.waitFor();
    // The reason is required: the dialog says so instead of sending.
    await dialog.locator('[data-testid="command-submit"]').click();
    await expect.poll(() => dialog.locator('[data-testid="command-error"]').innerText()).toContain('请填写原因');
    await dialog.locator('textarea[data-testid="command-reason"], [data-testid="command-reason"] textarea').fill('未按核准路线行驶，锁车待查');
    await shot(page, 'send-dialog-1366x768');
    await dialog.locator('[data-testid="command-submit"]').click();

    const item = section.locator('[data-testid="panel-command"]').first();
    await diary.explain(expect.poll(() => item.getAttribute('data-state'), { timeout: 20_000 }).toBe('acknowledged'));
    const text = await item.innerText();
    expect(text).toContain('锁车');
    expect(text).toContain('已确认');
    expect(text).toContain(`${dispatcher.user.username} 下发`);
    expect(text).toContain('未按核准路线行驶，锁车待查');
    expect(terminal.received.map((c) => c.kind)).toEqual(['lock']);
    await expect.poll(() => item.locator('[data-testid="release-command"]').count()).toBe(1);
    await shot(page, 'acknowledged-1366x768');

    // Released from the panel: the unlock goes out, the lock reads 已解除.
    await item.locator('[data-testid="release-command"]').click();
    const release = page.locator('.el-dialog').filter({ hasText: '解除原因' });
    await release.locator('textarea[data-testid="release-reason"], [data-testid="release-reason"] textarea').fill('核查无误');
    await release.locator('[data-testid="release-submit"]').click();
    await diary.explain(expect.poll(async () => (await dispatcher.get<TerminalCommandList>(`/api/v1/trucks/${truck.truckId}/commands`)).body.items[0]?.state, { timeout: 20_000 }).toBe('acknowledged'));
    const lock = section.locator('[data-testid="panel-command"][data-kind="lock"]');
    await expect.poll(() => lock.innerText(), { timeout: 10_000 }).toContain('已解除');
    await shot(page, 'released-1366x768');
    expect(errors).toEqual([]);
    await page.close();
  });
});
