import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Debian's Chromium, headless, offline: nothing in the browser tests needs the internet. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync('apps/web/dist/index.html')) throw new Error('build the web console first: npm run build:web');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** Fills the login page's form and submits it (the page must be on /login). */
export async function submitLogin(page: Page, username: string, password: string): Promise<void> {
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
}

/**
 * Opens `path` signed out, which lands on the login page, signs in there, and waits until the
 * console shows the signed-in user's name in the header.
 */
export async function signInThroughLoginPage(page: Page, baseUrl: string, username: string, password: string, path = '/'): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.waitForURL(/\/login/);
  await submitLogin(page, username, password);
  await page.locator('[data-testid="account-name"]').waitFor({ timeout: 15_000 });
}
