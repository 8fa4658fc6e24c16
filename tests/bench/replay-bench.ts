/**
 * Track replay benchmark: one truck-month at a fix per 10 s (~259,000 fixes) seeded into a fresh
 * PostgreSQL database with the real migrations, then
 * - the overview job storing the month's closed days ahead (replay-overview.job.ts), timed; then
 *   GET /api/v1/replay/{truck}/track (the month's overview) at zooms 11 (the console's), 12 and 14:
 *   the first request after the job (what a dispatcher gets the morning after), the median of repeats,
 *   and the cold path (nothing stored at that zoom: every day computed) — time and bytes;
 * - the baseline in the same run: GET /api/v1/terminals/{id}/fixes reading the same month (50,000
 *   fixes a request at most, so as many pages as it takes): total time and bytes;
 * - GET …/marks (trips, stops, violations, fences of the month), as objects and packed (format=packed,
 *   what the console reads), and a full-resolution window;
 * - with --browser (needs the console built: npx vite build --config apps/web/vite.config.ts, and
 *   /usr/bin/chromium), over as many runs as --runs, the month opened twice a run — first within the
 *   running console (the router's navigation, as from a violation or the truck panel), then as a
 *   fresh page (the console's own start included) — each: time to the drawn track and to the listed
 *   marks, and the longest main-thread task (PerformanceObserver 'longtask') while loading (until a
 *   second after the marks are listed); and while playing at 64× for 10 s;
 *   --browser-cpus <list> runs Chromium on those CPUs only (taskset), as on a dispatcher's own computer;
 *   --explain prints each load's long animation frames and the scripts that ran in them (Chromium's LoAF);
 *   --baseline-dist <dir> measures that build of the console too, page load by page load beside this
 *   one (e.g. the commit before a change, built with --outDir); --trace <file> also saves a Chromium trace of the first load and its playing (tasks and CPU
 *   samples; open it in DevTools' Performance panel) and --screenshot <file> the page with the month drawn.
 * Needs PostgreSQL with PostGIS (DATABASE_URL of a server where a database may be created, default
 * postgres://postgres@127.0.0.1:5432/postgres).
 *
 *   SWC_NODE_PROJECT=tsconfig.json node --import @swc-node/register/esm-register tests/bench/replay-bench.ts -- --runs 7 --browser
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { ReplayOverviewJob, loadApiConfig, startApi } from '@muckwatch/api';
import { REPLAY_LIMITS, type ReplayTrackResponse } from '@muckwatch/contracts';
import { TEST_ADMIN, login, type ApiClient } from '../support/api-client.js';
import { launchChromium, signInThroughLoginPage } from '../support/browser.js';
import { insertFixes, scriptedRun, seedReplayTruck } from '../replay/replay-fixtures.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: { runs: { type: 'string', default: '7' }, days: { type: 'string', default: '30' }, browser: { type: 'boolean', default: false }, trace: { type: 'string' }, 'baseline-dist': { type: 'string' }, screenshot: { type: 'string' }, explain: { type: 'boolean', default: false }, 'browser-cpus': { type: 'string' }, keep: { type: 'boolean', default: false } },
});
const RUNS = Number(args.runs);
const DAYS = Number(args.days);
const SERVER = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DAY = 86_400_000;

/** A long animation frame as Chromium reports it (PerformanceLongAnimationFrameTiming), with --explain. */
interface LongFrame {
  at: number;
  duration: number;
  blocking: number;
  render: number;
  layout: number;
  scripts: Array<{ invoker: string; source: string; duration: number; layout: number }>;
}

/** Prints the frames whose work blocked the page for more than 50 ms, and the scripts that ran in each. */
function explain(label: string, frames: LongFrame[]): void {
  console.log(`${label}: long animation frames`);
  for (const f of frames.filter((x) => x.blocking > 0)) {
    console.log(`  frame @${f.at} ms: ${f.duration} ms (blocking ${f.blocking}; rendering ${f.render}, style and layout ${f.layout})`);
    for (const s of f.scripts) console.log(`    ${s.duration} ms ${s.invoker} — ${s.source}${s.layout ? ` (forced layout ${s.layout} ms)` : ''}`);
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(client: ApiClient, path: string): Promise<{ ms: number; bytes: number; body: string }> {
  const t = process.hrtime.bigint();
  const res = await fetch(`${client.baseUrl}${path}`, { headers: { authorization: `Bearer ${client.token}` } });
  const body = await res.text();
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.slice(0, 300)}`);
  return { ms, bytes: Buffer.byteLength(body), body };
}

const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.json': 'application/json' };

/** Serves another build of the console's files to a page; /api still reaches the API. */
async function serveConsole(page: Page, apiUrl: string, dist: string): Promise<void> {
  await page.route(`${apiUrl}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname.startsWith('/api') || url.pathname.startsWith('/socket.io')) return route.continue();
    const file = join(dist, url.pathname);
    const path = url.pathname !== '/' && existsSync(file) ? file : join(dist, 'index.html');
    await route.fulfill({ body: readFileSync(path), contentType: MIME[extname(path)] ?? 'application/octet-stream' });
  });
}

async function main(): Promise<void> {
  const name = `muckwatch_bench_replay_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  await db.query('CREATE EXTENSION IF NOT EXISTS postgis');
  const api = await startApi(
    loadApiConfig({
      DATABASE_URL: url.toString(),
      PORT: '0',
      LOG_LEVEL: 'warn',
      WEB_DIST: args.browser ? 'apps/web/dist' : 'none',
      MAP_TILE_URL: 'none',
      EMBEDDED_MQTT_PORT: '0',
      // No terminal connects: the JT/T 808 door's default port may be another run's.
      JT808_PORT: 'off',
      ADMIN_USERNAME: TEST_ADMIN.username,
      ADMIN_PASSWORD: TEST_ADMIN.password,
      SECURE_COOKIES: 'false',
      EXPENSIVE_RATE_PER_MINUTE: '100000',
      LOGIN_RATE_PER_MINUTE: '10000',
      MONTH_CLOSE_MINUTES: '0',
      // Run by the bench itself, when it measures the morning after.
      REPLAY_OVERVIEW_MINUTES: '0',
    }),
  );
  try {
    const end = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
    const start = end - DAYS * DAY;
    const t0 = Date.now();
    const seed = await seedReplayTruck(db, 'bench', new Date(start - DAY));
    const fixes = scriptedRun(start, DAYS * 1440);
    await insertFixes(db, seed.terminalId, fixes);
    await db.query('ANALYZE');
    if (args.keep) console.log(`database ${name} (kept)`);
    console.log(`seeded ${fixes.length} fixes of one truck over ${DAYS} days in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const client = await login(api.url, TEST_ADMIN.username, TEST_ADMIN.password);
    const period = `from=${encodeURIComponent(new Date(start).toISOString())}&to=${encodeURIComponent(new Date(end).toISOString())}`;
    const rows: string[][] = [];
    const overview = (zoom: number): Promise<{ ms: number; bytes: number; body: string }> => timed(client, `/api/v1/replay/${seed.terminalId}/track?${period}&zoom=${zoom}`);
    const kept = (r: { body: string }): string => String((JSON.parse(r.body) as ReplayTrackResponse).track.count);
    // The morning after: the overview job (replay-overview.job.ts) has stored every closed day of
    // the month at its zooms (the console's 11 and the default 12) before anyone opens a replay.
    const job = api.app.get(ReplayOverviewJob);
    const jobStart = process.hrtime.bigint();
    const stored = await job.run();
    const jobMs = Number(process.hrtime.bigint() - jobStart) / 1e6;
    // 14 is not stored ahead: its first request is the cold path.
    const zooms = [REPLAY_LIMITS.consoleZoom, REPLAY_LIMITS.defaultZoom, 14];
    for (const zoom of zooms) {
      const first = await overview(zoom);
      const storedAhead = (REPLAY_LIMITS.storedZooms as readonly number[]).includes(zoom);
      rows.push([`replay overview, zoom ${zoom}, first request${storedAhead ? ' (days stored by the job)' : ' (nothing stored)'}`, first.ms.toFixed(0), (first.bytes / 1024).toFixed(0), kept(first)]);
      // Repeats: the past days stored; today (and the period's first, cut day) computed again.
      const ms: number[] = [];
      let bytes = 0;
      let warmKept = '';
      for (let i = 0; i < RUNS; i += 1) {
        const r = await overview(zoom);
        ms.push(r.ms);
        bytes = r.bytes;
        warmKept = kept(r);
      }
      rows.push([`replay overview, zoom ${zoom}, repeated`, median(ms).toFixed(0), (bytes / 1024).toFixed(0), warmKept]);
    }
    // Baseline: the existing fixes endpoint reading the same month, page after page (limit ≤ 50,000).
    const baseline: number[] = [];
    let baselineBytes = 0;
    let baselineCount = 0;
    for (let i = 0; i < Math.min(RUNS, 3); i += 1) {
      let from = start;
      let total = 0;
      baselineBytes = 0;
      baselineCount = 0;
      for (;;) {
        const r = await timed(client, `/api/v1/terminals/${seed.terminalId}/fixes?from=${from}&to=${end}&limit=50000`);
        total += r.ms;
        baselineBytes += r.bytes;
        const body = JSON.parse(r.body) as { fixes: Array<{ ts: string }>; truncated: boolean };
        baselineCount += body.fixes.length;
        if (!body.truncated || body.fixes.length === 0) break;
        from = Date.parse(body.fixes[body.fixes.length - 1]!.ts) + 1;
      }
      baseline.push(total);
    }
    rows.push([`baseline GET terminals/{id}/fixes, whole month`, median(baseline).toFixed(0), (baselineBytes / 1024).toFixed(0), String(baselineCount)]);
    const marks: number[] = [];
    let marksBytes = 0;
    for (let i = 0; i < Math.min(RUNS, 3); i += 1) {
      const r = await timed(client, `/api/v1/replay/${seed.terminalId}/marks?${period}`);
      marks.push(r.ms);
      marksBytes = r.bytes;
    }
    rows.push(['replay marks (trips, stops, violations, fences)', median(marks).toFixed(0), (marksBytes / 1024).toFixed(0), '']);
    // The same marks packed (format=packed: the console's form).
    const packed: number[] = [];
    let packedBytes = 0;
    for (let i = 0; i < Math.min(RUNS, 3); i += 1) {
      const r = await timed(client, `/api/v1/replay/${seed.terminalId}/marks?${period}&format=packed`);
      packed.push(r.ms);
      packedBytes = r.bytes;
    }
    rows.push(['replay marks, format=packed (what the console reads)', median(packed).toFixed(0), (packedBytes / 1024).toFixed(0), '']);
    const window: number[] = [];
    let windowBytes = 0;
    for (let i = 0; i < RUNS; i += 1) {
      const from = new Date(start + 10 * DAY).toISOString();
      const to = new Date(start + 10 * DAY + 6 * 3_600_000).toISOString();
      const r = await timed(client, `/api/v1/replay/${seed.terminalId}/fixes?from=${from}&to=${to}&limit=20000`);
      window.push(r.ms);
      windowBytes = r.bytes;
    }
    rows.push(['replay fixes, a 6-hour window at full resolution', median(window).toFixed(0), (windowBytes / 1024).toFixed(0), '2160']);

    // A late fix for a stored past day: the next request computes that day again.
    const late: number[] = [];
    let lateBytes = 0;
    let lateKept = '';
    for (let i = 0; i < Math.min(RUNS, 3); i += 1) {
      const lateFix = fixes[Math.floor(fixes.length / 2) + i]!;
      await insertFixes(db, seed.terminalId, [{ ...lateFix, timeMs: lateFix.timeMs + 5_000, body: 'raised' }]);
      const r = await overview(12);
      late.push(r.ms);
      lateBytes = r.bytes;
      lateKept = kept(r);
    }
    rows.push(['replay overview, zoom 12, after a late fix for a past day', median(late).toFixed(0), (lateBytes / 1024).toFixed(0), lateKept]);

    // The cold path: nothing stored at that zoom (the job off, or a zoom it does not store): the
    // request computes every day of the month (and stores them: the page loads below find them).
    for (const zoom of zooms) {
      const tolerance = 360 / (256 * 2 ** zoom) / 2;
      const cold: number[] = [];
      let coldBytes = 0;
      let coldKept = '';
      for (let i = 0; i < Math.min(RUNS, 3); i += 1) {
        await db.query('DELETE FROM replay_overviews WHERE tolerance_deg = $1', [tolerance]);
        const r = await overview(zoom);
        cold.push(r.ms);
        coldBytes = r.bytes;
        coldKept = kept(r);
      }
      rows.push([`replay overview, zoom ${zoom}, nothing stored (cold path)`, median(cold).toFixed(0), (coldBytes / 1024).toFixed(0), coldKept]);
    }

    const widths = [66, 10, 10, 10];
    const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' │ ');
    console.log(`\noverview job (${DAYS} closed days, zooms ${REPLAY_LIMITS.storedZooms.join(', ')}): stored ${stored} terminal-day overviews in ${(jobMs / 1000).toFixed(1)} s`);
    console.log(`track replay, one truck, ${fixes.length} fixes, median of ${RUNS} runs (first request: one; baseline, marks, cold: ${Math.min(RUNS, 3)})`);
    console.log(line(['request', 'ms', 'KiB', 'fixes']));
    console.log('─'.repeat(100));
    for (const r of rows) console.log(line(r));

    if (args.browser) {
      // Each run opens the month in a fresh page: first draw, then the marks listed (the whole load),
      // then 10 s of playing at 64×. With --baseline-dist, each run does it first with that build of
      // the console (its files served to the page, the API the same), so both share the machine's load.
      const browser = await launchChromium({ cpus: args['browser-cpus'] });
      const consoles = args['baseline-dist'] ? [{ name: `baseline (${args['baseline-dist']})`, dist: args['baseline-dist'] }, { name: 'this build', dist: null }] : [{ name: 'this build', dist: null }];
      type Opening = { firstDraw: number[]; marksShown: number[]; loading: number[]; overFifty: number[] };
      const opening = (): Opening => ({ firstDraw: [], marksShown: [], loading: [], overFifty: [] });
      const results = consoles.map(() => ({ inConsole: opening(), fresh: opening(), playing: [] as number[], playingOverFifty: [] as number[] }));
      const replayPath = `/replay?truck=${encodeURIComponent(seed.plate)}&${period}`;
      const nextFrame = 'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))';
      /** Opens the month (however `open` gets there) and times it: first draw, marks listed, long tasks until a second after. */
      const measureOpening = async (page: Page, open: () => Promise<unknown>, label: string): Promise<{ firstDraw: number; marksShown: number; loading: number[] }> => {
        await page.evaluate('window.__longTasks.splice(0); window.__frames.splice(0)');
        const opened = Date.now();
        await open();
        await page.locator('[data-testid="replay-page"][data-status="ready"]').waitFor({ timeout: 120_000 });
        await page.locator('[data-testid="replay-timeline"] canvas').first().waitFor();
        await page.evaluate(nextFrame);
        const firstDraw = Date.now() - opened;
        await page.locator('[data-testid="replay-events"] .el-table-v2__row').first().waitFor({ timeout: 120_000 });
        await page.evaluate(nextFrame);
        const marksShown = Date.now() - opened;
        // Whatever the page still draws in chunks after the marks arrive belongs to loading too.
        await page.waitForTimeout(1_000);
        const loading = await page.evaluate<number[]>('window.__longTasks.splice(0)');
        if (args.explain) explain(label, await page.evaluate<LongFrame[]>('window.__frames.splice(0)'));
        return { firstDraw, marksShown, loading };
      };
      const record = (o: Opening, m: { firstDraw: number; marksShown: number; loading: number[] }): void => {
        o.firstDraw.push(m.firstDraw);
        o.marksShown.push(m.marksShown);
        o.loading.push(Math.max(0, ...m.loading));
        o.overFifty.push(m.loading.length);
      };
      try {
        // A traced load first (tracing slows it down: it is not counted).
        for (let run = args.trace ? -1 : 0; run < RUNS; run += 1) {
          for (const [c, { dist }] of consoles.entries()) {
            if (run < 0 && dist) continue;
            const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
            if (dist) await serveConsole(page, api.url, dist);
            // Long tasks (over 50 ms) as the browser reports them, collected from the first script on.
            await page.addInitScript({
              content:
                `window.__longTasks = []; new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });` +
                // With --explain, the long animation frames too (Chromium's LoAF: which scripts ran in each, and the frame's own work).
                `window.__frames = []; if (${args.explain}) new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__frames.push({ at: Math.round(e.startTime), duration: Math.round(e.duration), blocking: Math.round(e.blockingDuration), render: Math.round(e.renderStart ? e.startTime + e.duration - e.renderStart : 0), layout: Math.round(e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0), scripts: e.scripts.map((s) => ({ invoker: s.invoker, source: (s.sourceURL || '').split('/').pop() + ' ' + (s.sourceFunctionName || ''), duration: Math.round(s.duration), layout: Math.round(s.forcedStyleAndLayoutDuration) })) }); }).observe({ type: 'long-animation-frame', buffered: true });`,
            });
            await signInThroughLoginPage(page, api.url, TEST_ADMIN.username, TEST_ADMIN.password, '/rankings');
            // The start page settled (a second without a long task, 20 s at most): its own late work
            // (the rankings drawn when their data lands) is not the replay's.
            for (let waited = 0; waited < 20; waited += 1) {
              await page.waitForTimeout(1_000);
              if ((await page.evaluate<number>('window.__longTasks.splice(0).length')) === 0) break;
            }
            if (run < 0) await browser.startTracing(page, { path: args.trace!, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'disabled-by-default-v8.cpu_profiler'] });
            // First as a dispatcher opens it, within the running console (a violation's or the truck
            // panel's 回放: the router's navigation, the page's code fetched the first time), ...
            const inConsole = await measureOpening(page, () =>
              page.evaluate(`history.pushState(null, '', ${JSON.stringify(replayPath)}); dispatchEvent(new PopStateEvent('popstate', { state: null }))`),
              `${consoles[c]!.name}, run ${run + 1}, within the console`,
            );
            if (args.screenshot && run === 0 && !dist) await page.screenshot({ path: args.screenshot });
            await page.locator('[data-testid="replay-speed"]').click();
            await page.locator('.el-select-dropdown__item').filter({ hasText: /^64×$/ }).click();
            await page.locator('[data-testid="replay-play"]').click();
            await page.waitForTimeout(10_000);
            const playing = await page.evaluate<number[]>('window.__longTasks.splice(0)');
            // ... then as a fresh page (a bookmark or a link from outside): the console's own start included.
            const fresh = await measureOpening(page, () => page.goto(`${api.url}${replayPath}`), `${consoles[c]!.name}, run ${run + 1}, as a fresh page`);
            if (run < 0) await browser.stopTracing();
            else {
              const r = results[c]!;
              record(r.inConsole, inConsole);
              record(r.fresh, fresh);
              r.playing.push(Math.max(0, ...playing));
              r.playingOverFifty.push(playing.length);
            }
            await page.close();
          }
        }
      } finally {
        await browser.close();
      }
      const ms = (xs: number[]): string => `${median(xs).toFixed(0)} ms (runs: ${xs.map((x) => x.toFixed(0)).join(', ')})`;
      for (const [c, { name }] of consoles.entries()) {
        const r = results[c]!;
        console.log(`\nconsole ${name} (Chromium, 1366×768), median of ${RUNS} runs:`);
        for (const [how, o] of [['opened within the console', r.inConsole], ['opened as a fresh page', r.fresh]] as const) {
          console.log(`${how}:`);
          console.log(`  first draw of the month:                  ${ms(o.firstDraw)}`);
          console.log(`  marks listed:                             ${ms(o.marksShown)}`);
          console.log(`  longest main-thread task while loading:   ${ms(o.loading)}; tasks over 50 ms: ${o.overFifty.join(', ')}`);
        }
        console.log(`longest main-thread task playing 10 s at 64×: ${ms(r.playing)}; tasks over 50 ms: ${r.playingOverFifty.join(', ')}`);
      }
    }
  } finally {
    await api.close();
    await db.end();
    if (!args.keep) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
