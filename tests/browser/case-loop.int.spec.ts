import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildScenario, publishScenario } from '@muckwatch/fleet';
import { signInAs } from '../support/api-client.js';
import { launchChromium, pageDiary, signInThroughLoginPage } from '../support/browser.js';
import { demoDatabase } from '../support/demo-database.js';
import { startTestApi } from '../support/test-api.js';

/** Screenshots of each step, kept by the run (test-results/ is gitignored). */
const SHOTS = 'test-results/browser/case-loop';
/** Element Plus puts the test id on the textarea itself. */
const COMMENT = '.el-dialog textarea[data-testid="form-comment"]';

describe('browser: the case loop — broker → alarm → dispatcher confirms and assigns → officer handles → dispatcher closes', () => {
  let api: Awaited<ReturnType<typeof startTestApi>>;
  let browser: Browser;
  let database: Awaited<ReturnType<typeof demoDatabase>>;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    database = await demoDatabase();
    api = await startTestApi({ ...database.env, SEED_DEMO: 'true', FIX_MAX_FUTURE_SECONDS: '7200', WEB_DIST: 'apps/web/dist', MAP_TILE_URL: 'none' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await api?.close();
    await database?.drop();
  });

  /** One person: their own browser context (own storage, own socket), page errors collected. */
  async function person(): Promise<{ page: Page; errors: string[]; diary: ReturnType<typeof pageDiary> }> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    return { page, errors, diary: pageDiary(page) };
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png` });

  it('walks one unsealed-transport case from the broker to 已办结 through both consoles', async () => {
    // Two people, created through the API with known passwords, signed in through the login page.
    const dispatcherAccount = await signInAs(api, 'dispatcher');
    const officerAccount = await signInAs(api, 'enforcement_officer', { department: 'urban-management' });
    const dispatcher = await person();
    const officer = await person();
    await signInThroughLoginPage(dispatcher.page, api.url, dispatcherAccount.user.username, dispatcherAccount.password);
    await signInThroughLoginPage(officer.page, api.url, officerAccount.user.username, officerAccount.password, '/inbox');
    await dispatcher.page.locator('.connection-state[data-connection="connected"]').waitFor({ timeout: 15_000 });
    await officer.page.locator('.connection-state[data-connection="connected"]').waitFor({ timeout: 15_000 });
    await officer.page.locator('[data-testid="inbox-table"]').waitFor();

    // (1) A rule broken through the broker: the dispatcher's live alarm panel lists it.
    const scenario = buildScenario('unsealed_transport', { startMs: Date.now(), variant: 4 });
    const plate = scenario.plate!;
    await publishScenario(scenario, { url: inject('mqttUrl') });
    const alarm = dispatcher.page.locator('.alarm-item').filter({ hasText: '未密闭运输' }).filter({ hasText: plate }).first();
    await alarm.waitFor({ timeout: 20_000 });
    await shot(dispatcher.page, '1-dispatcher-alarm');

    // (2) 处理 opens the case; the dispatcher confirms it.
    await alarm.locator('[data-testid="alarm-process"]').click();
    await dispatcher.page.waitForURL(/\/violations\/[^/]+$/);
    const caseUrl = dispatcher.page.url();
    const dispatcherState = dispatcher.page.locator('[data-testid="case-state"]');
    await dispatcher.diary.explain(dispatcherState.filter({ hasText: '待确认' }).waitFor({ timeout: 15_000 }));
    await expect.poll(() => dispatcher.page.locator('.case-page__plate').textContent()).toBe(plate);
    await dispatcher.page.locator('button[data-action="confirm"]').click();
    await dispatcher.page.locator('.el-dialog .case-form[data-action="confirm"]').waitFor();
    await dispatcher.page.locator(COMMENT).fill('车厢未密闭，属实');
    await dispatcher.page.locator('[data-testid="form-submit"]').click();
    await dispatcherState.filter({ hasText: '已确认' }).waitFor({ timeout: 10_000 });
    await dispatcher.page.locator('.el-dialog').filter({ hasText: '确认' }).waitFor({ state: 'hidden' });
    await shot(dispatcher.page, '2-dispatcher-confirmed');

    // (3) Assigned to the officer's department with its default deadline.
    await dispatcher.page.locator('button[data-action="assign"]').click();
    await dispatcher.page.locator('[data-testid="form-department"]').click();
    await dispatcher.page.locator('.el-popper:visible .el-select-dropdown__item', { hasText: '综合行政执法局' }).click();
    await expect.poll(() => dispatcher.page.locator('.el-dialog .el-date-editor input').inputValue()).not.toBe('');
    await shot(dispatcher.page, '3a-dispatcher-assign-dialog');
    await dispatcher.page.locator('[data-testid="form-submit"]').click();
    await dispatcherState.filter({ hasText: '已交办' }).waitFor({ timeout: 10_000 });
    await dispatcher.page.locator('[data-testid="case-timeline"]').getByText('综合行政执法局').waitFor();
    await shot(dispatcher.page, '3b-dispatcher-assigned');

    // (4) The officer is told live, finds the case in the inbox with its deadline, and reports the outcome.
    const notification = officer.page.locator('.case-notification').filter({ hasText: plate });
    await notification.waitFor({ timeout: 15_000 });
    const inboxRow = officer.page.locator('[data-testid="inbox-table"] .el-table__row').filter({ hasText: plate });
    await inboxRow.waitFor({ timeout: 15_000 });
    await expect.poll(() => inboxRow.textContent()).toContain('未密闭运输');
    await expect.poll(() => inboxRow.textContent()).toContain('已交办');
    expect(await inboxRow.locator('.deadline-cell .tabular').textContent()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    await inboxRow.locator('[data-testid="deadline-countdown"]').waitFor();
    await shot(officer.page, '4a-officer-notified-inbox');

    await inboxRow.locator('[data-testid="inbox-report"]').click();
    await officer.page.waitForURL(caseUrl);
    const officerState = officer.page.locator('[data-testid="case-state"]');
    await officerState.filter({ hasText: '已交办' }).waitFor({ timeout: 15_000 });
    await officer.page.locator('button[data-action="handle"]').click();
    await officer.page.locator('[data-testid="form-outcome"]').getByText('责令整改').click();
    const rectification = '责令三日内加装密闭篷布并复查';
    await officer.page.locator('.el-dialog .el-form-item').filter({ hasText: '整改要求' }).locator('textarea').fill(rectification);
    await officer.page.locator(COMMENT).fill('已现场约谈驾驶员');
    await shot(officer.page, '4b-officer-outcome-form');
    await officer.page.locator('[data-testid="form-submit"]').click();
    await officerState.filter({ hasText: '已处置' }).waitFor({ timeout: 10_000 });
    await officer.page.locator('.case-page__side').getByText(rectification).first().waitFor();
    await shot(officer.page, '4c-officer-handled');

    // (5) The dispatcher's open case page follows live to 已处置, and the dispatcher closes it.
    await dispatcherState.filter({ hasText: '已处置' }).waitFor({ timeout: 15_000 });
    await dispatcher.page.locator('.case-page__side').getByText(rectification).first().waitFor();
    await dispatcher.page.locator('button[data-action="close"]').waitFor();
    await shot(dispatcher.page, '5a-dispatcher-sees-handled');
    await dispatcher.page.locator('button[data-action="close"]').click();
    await dispatcher.page.locator('.el-dialog .case-form[data-action="close"]').waitFor();
    await dispatcher.page.locator('[data-testid="form-submit"]').click();
    await dispatcherState.filter({ hasText: '已办结' }).waitFor({ timeout: 10_000 });
    await shot(dispatcher.page, '5b-dispatcher-closed');

    // (6) The officer's page follows to 已办结; its timeline lists confirm, assign, handle, close and who did each.
    await officerState.filter({ hasText: '已办结' }).waitFor({ timeout: 15_000 });
    const items = officer.page.locator('[data-testid="case-timeline"] .el-timeline-item');
    const expected: [string, string][] = [
      ['确认', dispatcherAccount.user.username],
      ['交办', dispatcherAccount.user.username],
      ['处置反馈', officerAccount.user.username],
      ['办结', dispatcherAccount.user.username],
    ];
    await expect.poll(() => items.count()).toBe(expected.length);
    for (const [index, [action, who]] of expected.entries()) {
      const item = items.nth(index);
      expect((await item.locator('.case-timeline__head strong').textContent())?.trim()).toBe(action);
      expect(await item.locator('.case-timeline__actor').textContent()).toContain(who);
    }
    await items.last().scrollIntoViewIfNeeded();
    await shot(officer.page, '6-officer-timeline');

    expect(dispatcher.errors).toEqual([]);
    expect(officer.errors).toEqual([]);
  });
});
