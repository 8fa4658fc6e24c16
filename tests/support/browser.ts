import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Debian's Chromium, headless, offline: nothing in the browser tests needs the internet.
 * `cpus` (a benchmark's choice, e.g. "1"): the browser and every process it starts run on those CPUs
 * only (Linux's taskset), as on a dispatcher's own computer, where the browser does not share its
 * cores with the API and the database.
 */
export async function launchChromium(options: { cpus?: string } = {}): Promise<Browser> {
  if (!existsSync('apps/web/dist/index.html')) throw new Error('build the web console first: npm run build:web');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  let executablePath = CHROMIUM;
  if (options.cpus !== undefined) {
    if (!/^\d+([,-]\d+)*$/.test(options.cpus)) throw new Error(`cpus: a CPU list such as 1 or 0,2-3, not ${options.cpus}`);
    executablePath = join(mkdtempSync(join(tmpdir(), 'muckwatch-chromium-')), 'chromium');
    writeFileSync(executablePath, `#!/bin/sh\nexec taskset -c ${options.cpus} ${CHROMIUM} "$@"\n`);
    chmodSync(executablePath, 0o755);
  }
  return chromium.launch({
    executablePath,
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

/**
 * What a page said while a test ran: console errors and warnings, and API answers ≥ 400. A wait
 * that times out is rethrown with them, so a failure on CI explains itself.
 */
export function pageDiary(page: Page): { lines: string[]; explain<T>(wait: Promise<T>): Promise<T> } {
  const lines: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') lines.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && r.url().includes('/api/')) lines.push(`${r.request().method()} ${new URL(r.url()).pathname} → ${r.status()}`);
  });
  page.on('requestfailed', (r) => lines.push(`${r.method()} ${r.url()} failed: ${r.failure()?.errorText ?? ''}`));
  return {
    lines,
    async explain<T>(wait: Promise<T>): Promise<T> {
      try {
        return await wait;
      } catch (error) {
        throw new Error(`${(error as Error).message}\n— the page said:\n${lines.join('\n') || '(nothing)'}\n— at ${page.url()}`, { cause: error });
      }
    },
  };
}
