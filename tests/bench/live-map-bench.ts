/**
 * Live map benchmark in headless Chromium: 2,000 simulated trucks each reporting every 5 s, the
 * live map of this checkout (canvas + aggregation) and the baseline (the map before it: one DOM
 * marker per truck, the list rebuilt and sorted every batch) open side by side in the same run,
 * against the same API and the same fixes.
 *
 *   SWC_NODE_PROJECT=tsconfig.json node --import @swc-node/register/esm-register tests/bench/live-map-bench.ts
 *
 * Build the console first (npx vite build --config apps/web/vite.config.ts). Env:
 *   BENCH_MINUTES        how long to measure (default 10)
 *   BENCH_TRUCKS         simulated trucks (default 2000)
 *   BENCH_INTERVAL_S     seconds between one truck's fixes (default 5)
 *   BENCH_BASELINE_REF   git commit of the baseline console (default 44953f4, the last commit with the DOM markers)
 *   DATABASE_URL, MQTT_URL  external PostgreSQL+PostGIS and broker (recommended); unset = embedded ones
 *
 * The baseline: `git archive BENCH_BASELINE_REF` into a temporary directory, built there with the
 * same Vite config (cached per commit in the temp directory), and served to the baseline page by
 * Playwright's request routing: the page's /api and socket go to the same API as the new map's.
 *
 * What is measured, per page:
 * - commit → marker moved: from the moment the API committed a fix (the bench wraps the live feed's
 *   `committed`, the hand-over from ingest to the live map) to the animation frame that draws the
 *   marker at its new place: the new map reports the trucks it moved in that frame
 *   (window.__muckwatchLiveMapProbe, TruckMarkersLayer.ts); for the DOM baseline a MutationObserver
 *   sees the marker's style change and the time is taken in the next animation frame. p50 / p99.
 * - main-thread long tasks (≥ 50 ms, PerformanceObserver 'longtask') per minute.
 * - JS heap used after a forced garbage collection, after the fleet loaded and after BENCH_MINUTES.
 * The map is zoomed to 14 (street level, keyboard "+" three times) so that the new map draws every
 * truck on its own (below 14 it aggregates, and an aggregated truck has no marker to move).
 * Results: a table on stdout and bench-results/live-map-<timestamp>.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import mqtt from 'mqtt';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { telemetryTopic } from '@muckwatch/contracts';
import { LiveFeed, loadApiConfig, startApi, type RunningApi } from '@muckwatch/api';
import { launchChromium, signInThroughLoginPage } from '../support/browser.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const MINUTES = Number(process.env['BENCH_MINUTES'] ?? '10');
const TRUCKS = Number(process.env['BENCH_TRUCKS'] ?? '2000');
const INTERVAL_S = Number(process.env['BENCH_INTERVAL_S'] ?? '5');
const BASELINE_REF = process.env['BENCH_BASELINE_REF'] ?? '44953f4';
const ADMIN = { username: 'bench-admin', password: 'Bench-Muckwatch-2026!' };
const CENTRE = { lat: 36.82, lon: 118.3 };
const VIEWPORT = { width: 1920, height: 1080 };

for (const [name, value] of [['BENCH_MINUTES', MINUTES], ['BENCH_TRUCKS', TRUCKS], ['BENCH_INTERVAL_S', INTERVAL_S]] as const) {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]!;
}

/** The baseline console, built once per commit from `git archive`. */
function buildBaseline(): string {
  const sha = execFileSync('git', ['rev-parse', '--short', BASELINE_REF], { cwd: repoRoot }).toString().trim();
  const dir = join(tmpdir(), `muckwatch-live-map-baseline-${sha}`);
  const dist = join(dir, 'apps/web/dist');
  if (existsSync(join(dist, 'index.html'))) return dist;
  mkdirSync(dir, { recursive: true });
  console.log(`building the baseline console of ${sha} in ${dir} …`);
  execFileSync('sh', ['-c', `git archive ${sha} | tar -x -C ${JSON.stringify(dir)}`], { cwd: repoRoot, stdio: 'inherit' });
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  execFileSync('npx', ['vite', 'build', '--config', 'apps/web/vite.config.ts', '--logLevel', 'warn'], { cwd: dir, stdio: 'inherit' });
  return dist;
}

const MIME: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** Serves the baseline console's files to a page; /api and the socket still reach the API. */
async function serveBaseline(page: Page, apiUrl: string, dist: string): Promise<void> {
  await page.route(`${apiUrl}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname.startsWith('/api') || url.pathname.startsWith('/socket.io')) return route.continue();
    const file = join(dist, url.pathname);
    const path = url.pathname !== '/' && existsSync(file) ? file : join(dist, 'index.html');
    await route.fulfill({ body: readFileSync(path), contentType: MIME[extname(path)] ?? 'application/octet-stream' });
  });
}

/** In both pages: collect marker moves (probe or DOM mutations) and long tasks. */
const PAGE_INSTRUMENTS = `(() => {
  const moves = [];
  let longTasks = 0;
  window.__bench = { drain: () => { const m = moves.splice(0); const l = longTasks; longTasks = 0; return { moves: m, longTasks: l }; } };
  new PerformanceObserver((list) => { longTasks += list.getEntries().length; }).observe({ type: 'longtask', buffered: true });
  window.__muckwatchLiveMapProbe = { moved: (keys, at) => { for (const k of keys) moves.push([k, at]); } };
  // The DOM markers of the baseline: a marker's transform changes when it moves.
  const pending = new Set();
  let frame = 0;
  const observer = new MutationObserver((records) => {
    for (const r of records) {
      const el = r.target;
      if (el.classList && el.classList.contains('truck-marker') && el.dataset.terminalId) pending.add(el.dataset.terminalId);
    }
    if (pending.size && !frame) frame = requestAnimationFrame((t) => {
      const at = performance.timeOrigin + t;
      for (const k of pending) moves.push([k, at]);
      pending.clear();
      frame = 0;
    });
  });
  const start = () => observer.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['style'] });
  if (document.body) start(); else addEventListener('DOMContentLoaded', start);
})();`;

interface PageRun {
  name: string;
  page: Page;
  cdp: CDPSession;
  latencies: number[];
  unmatched: number;
  longTasks: number;
  /** terminal id → the commit time of its newest fix not yet drawn by this page */
  waiting: Map<string, number>;
}

/** NaN when the page is gone (a renderer that crashed under the load is a result too: printed as such). */
async function heapUsedMb(cdp: CDPSession): Promise<number> {
  return heapOf(cdp).catch(() => Number.NaN);
}

async function heapOf(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  return usedSize / 2 ** 20;
}

async function openMap(browser: Browser, api: RunningApi, name: string, baselineDist: string | null): Promise<PageRun> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  await page.addInitScript(PAGE_INSTRUMENTS);
  if (baselineDist) await serveBaseline(page, api.url, baselineDist);
  await signInThroughLoginPage(page, api.url, ADMIN.username, ADMIN.password);
  await page.locator('.connection-state[data-connection="connected"]').waitFor({ timeout: 30_000 });
  const map = page.locator('.leaflet-container');
  await map.focus();
  for (let i = 0; i < 3; i += 1) {
    await page.keyboard.press('+');
    await sleep(400);
  }
  const cdp = await page.context().newCDPSession(page);
  return { name, page, cdp, latencies: [], unmatched: 0, longTasks: 0, waiting: new Map() };
}

async function main(): Promise<void> {
  if (!existsSync(join(repoRoot, 'apps/web/dist/index.html'))) throw new Error('build the console first: npx vite build --config apps/web/vite.config.ts');
  const baselineDist = buildBaseline();
  const embedded = !process.env['MQTT_URL'];
  const api = await startApi(
    loadApiConfig({
      ...(process.env['DATABASE_URL'] ? { DATABASE_URL: process.env['DATABASE_URL'] } : { EMBEDDED_DB_DIR: 'memory://' }),
      ...(embedded ? { EMBEDDED_MQTT_AUTH: 'false' } : { MQTT_URL: process.env['MQTT_URL']! }),
      PORT: '0',
      LOG_LEVEL: 'warn',
      WEB_DIST: join(repoRoot, 'apps/web/dist'),
      MAP_TILE_URL: 'none',
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASSWORD: ADMIN.password,
      SECURE_COOKIES: 'false',
      LOGIN_RATE_PER_MINUTE: '1000',
      MONTH_CLOSE_MINUTES: '0',
      INGEST_CLIENT_ID_PREFIX: `live-map-bench-${process.pid}`,
      INGEST_SHARE_GROUP: `live-map-bench-${process.pid}`,
    }),
  );
  const pages: PageRun[] = [];
  const browsers: Browser[] = [];
  const publisher = await mqtt.connectAsync(api.infra.mqttUrl, {
    clientId: `live-map-bench-publisher-${process.pid}`,
    clean: true,
  });
  let publishing = true;
  try {
    // The commit tap: every fix the live feed is handed, with the time it was handed over.
    const feed = api.app.get(LiveFeed, { strict: false });
    const committed = feed.committed.bind(feed);
    feed.committed = (advanced, liveness) => {
      const at = Date.now();
      for (const p of advanced) for (const run of pages) run.waiting.set(p.terminalId, at);
      committed(advanced, liveness);
    };

    // The fleet: random walks around the district centre, each truck every INTERVAL_S.
    const trucks = Array.from({ length: TRUCKS }, (_, n) => ({
      id: `bench-${String(n).padStart(4, '0')}`,
      lat: CENTRE.lat + (Math.random() - 0.5) * 0.08,
      lon: CENTRE.lon + (Math.random() - 0.5) * 0.1,
      heading: Math.random() * 360,
      loaded: Math.random() < 0.4,
      coverOpen: Math.random() < 0.05,
    }));
    const tickMs = 50;
    const perTick = Math.max(1, Math.round((TRUCKS * tickMs) / (INTERVAL_S * 1000)));
    let next = 0;
    const publishLoop = (async () => {
      while (publishing) {
        const started = Date.now();
        for (let i = 0; i < perTick; i += 1) {
          const t = trucks[next]!;
          next = (next + 1) % trucks.length;
          t.heading = (t.heading + (Math.random() - 0.5) * 40 + 360) % 360;
          const km = (30 * INTERVAL_S) / 3600;
          t.lat += (km / 111) * Math.cos((t.heading * Math.PI) / 180);
          t.lon += (km / 89) * Math.sin((t.heading * Math.PI) / 180);
          const fix = {
            ts: new Date().toISOString(),
            lat: Number(t.lat.toFixed(6)),
            lon: Number(t.lon.toFixed(6)),
            speedKmh: 30,
            headingDeg: Math.round(t.heading),
            load: t.loaded ? 'full' : 'empty',
            cover: t.coverOpen ? 'open' : 'closed',
          };
          void publisher.publishAsync(telemetryTopic(t.id), JSON.stringify(fix), { qos: 1 });
        }
        await sleep(Math.max(0, tickMs - (Date.now() - started)));
      }
    })();

    // One fleet round so every truck is known, then both maps.
    await sleep(INTERVAL_S * 1000 + 2000);
    browsers.push(await launchChromium(), await launchChromium());
    pages.push(await openMap(browsers[0]!, api, 'new (canvas)', null));
    pages.push(await openMap(browsers[1]!, api, 'baseline (DOM)', baselineDist));
    await sleep(INTERVAL_S * 1000 + 2000);
    const heapStart: number[] = [];
    for (const run of pages) {
      await run.page.evaluate('window.__bench.drain()');
      run.waiting.clear();
      heapStart.push(await heapUsedMb(run.cdp));
    }

    const endAt = Date.now() + MINUTES * 60_000;
    let lastReport = Date.now();
    /** A page too busy to answer keeps its samples; the next drain takes them. */
    const drain = async (run: PageRun): Promise<void> => {
      const sample = await Promise.race([
        run.page.isClosed() ? Promise.resolve(null) : run.page.evaluate<{ moves: [string, number][]; longTasks: number }>('window.__bench.drain()'),
        sleep(Math.max(1000, endAt - Date.now())).then(() => null),
      ]).catch(() => null);
      if (!sample) return;
      run.longTasks += sample.longTasks;
      for (const [key, at] of sample.moves) {
        const committedAt = run.waiting.get(key);
        if (committedAt === undefined || committedAt > at) {
          run.unmatched += 1;
          continue;
        }
        run.latencies.push(at - committedAt);
        run.waiting.delete(key);
      }
    };
    while (Date.now() < endAt) {
      await sleep(1000);
      await Promise.all(pages.map(drain));
      if (Date.now() - lastReport > 60_000) {
        lastReport = Date.now();
        const mode = await pages[0]!.page.evaluate<string>('window.__muckwatchLiveMap?.mode() ?? "?"');
        console.log(`  ${((MINUTES * 60_000 - (endAt - Date.now())) / 60_000).toFixed(1)} min: new map ${mode}; ${pages.map((r) => `${r.name} ${r.latencies.length} moves`).join(', ')}`);
      }
    }
    const heapEnd: number[] = [];
    for (const run of pages) heapEnd.push(await heapUsedMb(run.cdp));
    publishing = false;
    await publishLoop;

    const results = pages.map((run, i) => {
      const sorted = [...run.latencies].sort((a, b) => a - b);
      return {
        map: run.name,
        pageCrashed: run.page.isClosed(),
        movesMeasured: sorted.length,
        movesUnmatched: run.unmatched,
        commitToMoveP50Ms: percentile(sorted, 0.5),
        commitToMoveP99Ms: percentile(sorted, 0.99),
        longTasksPerMinute: run.longTasks / MINUTES,
        heapAfterLoadMb: Number(heapStart[i]!.toFixed(1)),
        heapAfterRunMb: Number(heapEnd[i]!.toFixed(1)),
      };
    });
    console.log(`\nlive map, ${TRUCKS} trucks every ${INTERVAL_S} s, ${MINUTES} min, zoom 14, ${VIEWPORT.width}×${VIEWPORT.height}, baseline ${BASELINE_REF}`);
    console.table(
      results.map((r) => ({
        map: r.map,
        'commit→move p50 ms': r.commitToMoveP50Ms?.toFixed(0),
        'commit→move p99 ms': r.commitToMoveP99Ms?.toFixed(0),
        'long tasks / min': r.longTasksPerMinute.toFixed(1),
        'heap after load MB': r.heapAfterLoadMb,
        [`heap after ${MINUTES} min MB`]: r.heapAfterRunMb,
        moves: r.movesMeasured,
      })),
    );
    mkdirSync(join(repoRoot, 'bench-results'), { recursive: true });
    const out = join(repoRoot, 'bench-results', `live-map-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(out, JSON.stringify({ trucks: TRUCKS, intervalS: INTERVAL_S, minutes: MINUTES, baseline: BASELINE_REF, results }, null, 2));
    console.log(`results: ${out}`);
  } finally {
    publishing = false;
    for (const browser of browsers) await browser.close().catch(() => undefined);
    await publisher.endAsync().catch(() => undefined);
    await api.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
