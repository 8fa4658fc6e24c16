/**
 * Live map benchmark in headless Chromium: simulated trucks each reporting every 5 s, at two fleet
 * sizes (500 and 2,000 by default), the live map of this checkout (canvas + aggregation) against
 * the baseline (the map before it: one DOM marker per truck, the list rebuilt and sorted every
 * batch), measured in the same run against the same API and the same fleet.
 *
 *   SWC_NODE_PROJECT=tsconfig.json node --import @swc-node/register/esm-register tests/bench/live-map-bench.ts
 *
 * Build the console first (npx vite build --config apps/web/vite.config.ts). Env:
 *   BENCH_MINUTES        how long each map is measured (default 10)
 *   BENCH_TRUCKS         fleet sizes, comma-separated (default 500,2000)
 *   BENCH_INTERVAL_S     seconds between one truck's fixes (default 5)
 *   BENCH_BASELINE_REF   git commit of the baseline console (default 44953f4, the last commit with the DOM markers)
 *   BENCH_PROFILE        set (to 1): also record each measured page's main-thread CPU profile (CDP Profiler) to
 *                        bench-results/live-map-<trucks>-<map>-<timestamp>.cpuprofile (open it in DevTools' Performance panel)
 *   DATABASE_URL, MQTT_URL  external PostgreSQL+PostGIS server and broker (recommended); unset = embedded ones.
 *                        Each fleet size gets a fresh database on that server (dropped afterwards), so the
 *                        map shows that fleet and nothing a previous run left behind.
 *
 * The two maps are measured one after the other, each in its own Chromium with a fresh page, while
 * the same fleet keeps reporting: side by side they would share this machine's two cores, and a
 * baseline that saturates them would slow the new map down with it.
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
 *   sees the marker's style change and the time is taken in the next animation frame. A truck's
 *   oldest fix not yet drawn is the one timed: a page that falls behind and draws only a later fix
 *   is charged for the whole wait. p50 / p99 / max, and how many of the commits were drawn at all.
 * - main-thread long tasks (≥ 50 ms, PerformanceObserver 'longtask') per minute, and their time.
 * - main-thread busy share: Chromium's TaskDuration over the measured wall time (CDP Performance).
 * - JS heap used after a forced garbage collection, after the fleet loaded and at the end.
 * A page that stops answering is a result, not a failure of the bench: every question to a page has
 * its own time limit; a page that answers nothing for FROZEN_AFTER_S is reported as having stopped
 * responding after the last time it answered, with the moves it drew until then.
 * The map is centred on the fleet and zoomed to 14 (street level) so that the new map draws every
 * truck on its own (below 14 it aggregates, and an aggregated truck has no marker to move).
 * Results: a table on stdout and bench-results/live-map-<timestamp>.json.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import pg from 'pg';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { telemetryTopic } from '@muckwatch/contracts';
import { LiveFeed, loadApiConfig, startApi, type RunningApi } from '@muckwatch/api';
import { launchChromium, signInThroughLoginPage } from '../support/browser.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const MINUTES = Number(process.env['BENCH_MINUTES'] ?? '10');
const FLEETS = (process.env['BENCH_TRUCKS'] ?? '500,2000').split(',').map((n) => Number(n.trim()));
const INTERVAL_S = Number(process.env['BENCH_INTERVAL_S'] ?? '5');
const BASELINE_REF = process.env['BENCH_BASELINE_REF'] ?? '44953f4';
const ADMIN = { username: 'bench-admin', password: 'Bench-Muckwatch-2026!' };
const CENTRE = { lat: 36.82, lon: 118.3 };
const VIEWPORT = { width: 1920, height: 1080 };
const ZOOM = 14;
/** A page that answers nothing for this long has stopped responding (a batch every second goes unanswered 30 times). */
const FROZEN_AFTER_S = 30;
/** Time limits of the questions a page is asked. */
const DRAIN_LIMIT_MS = 5_000;
const HEAP_LIMIT_MS = 20_000;
const LOAD_LIMIT_MS = 90_000;
const PROFILE = Boolean(process.env['BENCH_PROFILE']);

for (const [name, value] of [['BENCH_MINUTES', MINUTES], ['BENCH_INTERVAL_S', INTERVAL_S], ...FLEETS.map((n) => ['BENCH_TRUCKS', n] as const)] as const) {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number (BENCH_TRUCKS: a comma-separated list)`);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The answer, or null when `work` fails or takes longer than `ms` (it may still finish later: nothing waits for it). */
async function within<T>(ms: number, work: Promise<T>): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((r) => (timer = setTimeout(() => r(null), ms)));
  try {
    return await Promise.race([work.catch(() => null), late]);
  } finally {
    clearTimeout(timer);
  }
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]!;
}

/** mulberry32: the same fleet for both maps and every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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

/** In the page: collect marker moves (probe or DOM mutations) and long tasks. */
const PAGE_INSTRUMENTS = `(() => {
  const moves = [];
  let longTasks = 0;
  let longTaskMs = 0;
  let longestTaskMs = 0;
  window.__bench = { drain: () => {
    const sample = { moves: moves.splice(0), longTasks, longTaskMs, longestTaskMs };
    longTasks = 0; longTaskMs = 0; longestTaskMs = 0;
    return sample;
  } };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      longTasks += 1;
      longTaskMs += entry.duration;
      longestTaskMs = Math.max(longestTaskMs, entry.duration);
    }
  }).observe({ type: 'longtask', buffered: true });
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

/**
 * The map's centre (world pixels at its zoom) and zoom, read from Leaflet's zoom-animation proxy:
 * after every move Leaflet sets it to translate(project(centre, zoom)) scale(2^(zoom - 1))
 * (leaflet/src/map/Map.js, _animMoveEnd). The same in both consoles, which expose no map object.
 */
const READ_VIEW = `(() => {
  const proxy = document.querySelector('.leaflet-proxy');
  const m = proxy && /translate3d\\(([-\\d.e+]+)px,\\s*([-\\d.e+]+)px.*scale\\(([\\d.e+]+)\\)/.exec(proxy.style.transform);
  if (!m || document.querySelector('.leaflet-zoom-anim')) return null;
  return { x: Number(m[1]), y: Number(m[2]), zoom: Math.round(Math.log2(Number(m[3]))) + 1 };
})()`;

/** Spherical Mercator world pixels of a place at a zoom (what Leaflet's map.project returns). */
function worldPixel(lat: number, lon: number, zoom: number): { x: number; y: number } {
  const scale = 256 * 2 ** zoom;
  const sin = Math.sin((lat * Math.PI) / 180);
  return { x: (scale * (lon + 180)) / 360, y: scale * (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) };
}

async function readView(page: Page): Promise<{ x: number; y: number; zoom: number } | null> {
  return within(5_000, page.evaluate<{ x: number; y: number; zoom: number } | null>(READ_VIEW));
}

/** Drags the fleet's centre to the middle of the map, then zooms in to ZOOM with the keyboard. */
async function centreOnFleet(page: Page): Promise<number> {
  const map = page.locator('.leaflet-container');
  const box = await map.boundingBox();
  if (!box) throw new Error('no map on the page');
  const until = Date.now() + 30_000;
  let view = await readView(page);
  while (!view && Date.now() < until) {
    await sleep(500);
    view = await readView(page);
  }
  if (!view) throw new Error('the map never reported its view');
  const target = worldPixel(CENTRE.lat, CENTRE.lon, view.zoom);
  const from = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + (view.x - target.x), from.y + (view.y - target.y), { steps: 10 });
  // Still for longer than Leaflet's 50 ms inertia window: the map stops where it is dropped.
  await sleep(300);
  await page.mouse.up();
  await map.focus();
  while (Date.now() < until) {
    await sleep(500);
    view = await readView(page);
    if (!view) continue; // animating
    if (view.zoom >= ZOOM) return view.zoom;
    // One level per key press: Leaflet ignores a press while it animates the previous one.
    await page.keyboard.press('Equal');
  }
  const raw = await within(5_000, page.evaluate<string>(`[document.querySelector('.leaflet-proxy')?.style.transform, !!document.querySelector('.leaflet-zoom-anim')].join(' ')`));
  throw new Error(`the map did not reach zoom ${ZOOM} (at ${view?.zoom ?? '?'}; ${raw})`);
}

type MapKind = 'new (canvas)' | 'baseline (DOM)';

interface Measured {
  trucks: number;
  map: MapKind;
  /** What became of the page: it ran the whole time, stopped answering, crashed, or never loaded. */
  outcome: 'ran' | 'stopped responding' | 'crashed' | 'did not load';
  detail: string | null;
  loadSeconds: number | null;
  /** Seconds measured until the end, or until the page last answered. */
  measuredSeconds: number;
  lastAnsweredAfterS: number | null;
  mode: string | null;
  zoom: number | null;
  commitsDuringRun: number;
  movesMeasured: number;
  movesUnmatched: number;
  /** Trucks with a fix committed over 2 intervals before the end that the page had not drawn. */
  undrawnAtEnd: number;
  commitToMoveP50Ms: number | null;
  commitToMoveP99Ms: number | null;
  commitToMoveMaxMs: number | null;
  longTasks: number;
  longTasksPerMinute: number;
  longTaskMsPerMinute: number;
  longestTaskMs: number;
  mainThreadBusyPct: number | null;
  heapAfterLoadMb: number | null;
  heapAfterRunMb: number | null;
}

interface ActiveRun {
  /** terminal id → the commit time of its oldest fix not yet drawn by the page */
  waiting: Map<string, number>;
  measuring: boolean;
  commits: number;
}

async function heapUsedMb(cdp: CDPSession): Promise<number | null> {
  const used = await within(
    HEAP_LIMIT_MS,
    (async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
      return usedSize / 2 ** 20;
    })(),
  );
  return used === null ? null : Number(used.toFixed(1));
}

/** Seconds of main-thread work the renderer has done so far (Chromium's TaskDuration). */
async function taskSeconds(cdp: CDPSession): Promise<number | null> {
  const answer = await within(DRAIN_LIMIT_MS, cdp.send('Performance.getMetrics'));
  return answer?.metrics.find((m) => m.name === 'TaskDuration')?.value ?? null;
}

interface Sample {
  moves: [string, number][];
  longTasks: number;
  longTaskMs: number;
  longestTaskMs: number;
}

/** Opens one map in its own browser, measures it for MINUTES (or until it stops answering), closes it. */
async function measureMap(api: RunningApi, trucks: number, kind: MapKind, baselineDist: string | null, run: ActiveRun): Promise<Measured> {
  const result: Measured = {
    trucks,
    map: kind,
    outcome: 'ran',
    detail: null,
    loadSeconds: null,
    measuredSeconds: 0,
    lastAnsweredAfterS: null,
    mode: null,
    zoom: null,
    commitsDuringRun: 0,
    movesMeasured: 0,
    movesUnmatched: 0,
    undrawnAtEnd: 0,
    commitToMoveP50Ms: null,
    commitToMoveP99Ms: null,
    commitToMoveMaxMs: null,
    longTasks: 0,
    longTasksPerMinute: 0,
    longTaskMsPerMinute: 0,
    longestTaskMs: 0,
    mainThreadBusyPct: null,
    heapAfterLoadMb: null,
    heapAfterRunMb: null,
  };
  const browser: Browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    let crashed = false;
    page.on('crash', () => (crashed = true));
    page.setDefaultTimeout(LOAD_LIMIT_MS);
    await page.addInitScript(PAGE_INSTRUMENTS);
    if (baselineDist) await serveBaseline(page, api.url, baselineDist);
    const opening = Date.now();
    try {
      await signInThroughLoginPage(page, api.url, ADMIN.username, ADMIN.password);
      await page.locator('.connection-state[data-connection="connected"]').waitFor({ timeout: LOAD_LIMIT_MS });
    } catch (error) {
      result.outcome = crashed ? 'crashed' : 'did not load';
      result.detail = (error as Error).message.split('\n')[0]!;
      return result;
    }
    // A page too busy to follow the zoom is measured where it is: the DOM baseline moves every
    // marker whatever the zoom, and the new map's mode says whether it drew trucks or clusters.
    let viewNote: string | null = null;
    try {
      result.zoom = await centreOnFleet(page);
    } catch (error) {
      viewNote = (error as Error).message.split('\n')[0]!;
      result.zoom = (await readView(page))?.zoom ?? null;
    }
    result.loadSeconds = Number(((Date.now() - opening) / 1000).toFixed(1));
    const cdp = await page.context().newCDPSession(page);
    await within(DRAIN_LIMIT_MS, cdp.send('Performance.enable'));
    // A fleet round at street level before measuring.
    await sleep(INTERVAL_S * 1000 + 2000);
    await within(DRAIN_LIMIT_MS, page.evaluate('window.__bench.drain()'));
    result.heapAfterLoadMb = await heapUsedMb(cdp);
    const tasksBefore = await taskSeconds(cdp);
    if (PROFILE) {
      await within(DRAIN_LIMIT_MS, cdp.send('Profiler.enable'));
      await within(DRAIN_LIMIT_MS, cdp.send('Profiler.start'));
    }

    const latencies: number[] = [];
    const take = (sample: Sample): void => {
      result.longTasks += sample.longTasks;
      result.longTaskMsPerMinute += sample.longTaskMs; // a sum until the end
      result.longestTaskMs = Math.max(result.longestTaskMs, sample.longestTaskMs);
      for (const [key, at] of sample.moves) {
        const committedAt = run.waiting.get(key);
        if (committedAt === undefined || committedAt > at) {
          result.movesUnmatched += 1;
          continue;
        }
        latencies.push(at - committedAt);
        run.waiting.delete(key);
      }
    };
    const drain = async (): Promise<boolean> => {
      if (page.isClosed()) return false;
      const sample = await page.evaluate<Sample>('window.__bench.drain()').catch(() => null);
      if (sample) take(sample);
      return sample !== null;
    };

    run.waiting.clear();
    run.commits = 0;
    run.measuring = true;
    const startedAt = Date.now();
    const endAt = startedAt + MINUTES * 60_000;
    let lastAnswerAt = startedAt;
    let lastReport = startedAt;
    /** One question at a time: a busy page's unanswered drain is not asked again on top. */
    let inFlight: Promise<void> | null = null;
    while (Date.now() < endAt) {
      await sleep(1000);
      inFlight ??= drain().then((answered) => {
        if (answered) lastAnswerAt = Date.now();
        inFlight = null;
      });
      if (crashed) {
        result.outcome = 'crashed';
        break;
      }
      if (Date.now() - lastAnswerAt > FROZEN_AFTER_S * 1000) {
        result.outcome = 'stopped responding';
        break;
      }
      if (Date.now() - lastReport >= 60_000) {
        lastReport = Date.now();
        console.log(`    ${((Date.now() - startedAt) / 60_000).toFixed(1)} min: ${latencies.length} moves, ${result.longTasks} long tasks`);
      }
    }
    // The page's last samples, if it still answers (an unanswered drain in flight may yet come back).
    if (result.outcome === 'ran') {
      if (inFlight) await within(DRAIN_LIMIT_MS, inFlight);
      if (await within(DRAIN_LIMIT_MS, drain())) lastAnswerAt = Date.now();
    }
    run.measuring = false;
    const stoppedAt = result.outcome === 'ran' ? Date.now() : lastAnswerAt;
    result.measuredSeconds = Number(((stoppedAt - startedAt) / 1000).toFixed(1));
    result.lastAnsweredAfterS = Number(((lastAnswerAt - startedAt) / 1000).toFixed(1));
    result.commitsDuringRun = run.commits;
    result.undrawnAtEnd = [...run.waiting.values()].filter((at) => at < Date.now() - 2 * INTERVAL_S * 1000).length;
    if (result.outcome === 'ran') {
      const tasksAfter = await taskSeconds(cdp);
      if (tasksBefore !== null && tasksAfter !== null) {
        result.mainThreadBusyPct = Number(((100 * (tasksAfter - tasksBefore)) / result.measuredSeconds).toFixed(1));
      }
      result.mode = await within(DRAIN_LIMIT_MS, page.evaluate<string>('window.__muckwatchLiveMap?.mode() ?? "n/a"'));
      result.heapAfterRunMb = await heapUsedMb(cdp);
    }
    if (PROFILE) {
      const profile = await within(HEAP_LIMIT_MS, cdp.send('Profiler.stop'));
      if (profile) {
        mkdirSync(join(repoRoot, 'bench-results'), { recursive: true });
        const name = `live-map-${trucks}-${kind.split(' ')[0]}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`;
        writeFileSync(join(repoRoot, 'bench-results', name), JSON.stringify(profile.profile));
        console.log(`    profile: bench-results/${name}`);
      }
    }
    if (result.outcome !== 'ran') result.detail = `last answered ${result.lastAnsweredAfterS} s into the run`;
    if (viewNote) result.detail = [result.detail, viewNote].filter(Boolean).join('; ');

    const sorted = latencies.sort((a, b) => a - b);
    const minutes = Math.max(result.measuredSeconds, 1) / 60;
    result.movesMeasured = sorted.length;
    result.commitToMoveP50Ms = percentile(sorted, 0.5);
    result.commitToMoveP99Ms = percentile(sorted, 0.99);
    result.commitToMoveMaxMs = sorted.at(-1) ?? null;
    result.longTasksPerMinute = Number((result.longTasks / minutes).toFixed(1));
    result.longTaskMsPerMinute = Number((result.longTaskMsPerMinute / minutes).toFixed(0));
    result.longestTaskMs = Number(result.longestTaskMs.toFixed(0));
    return result;
  } finally {
    run.measuring = false;
    // Closing the browser ends its renderer, frozen or not.
    await within(30_000, browser.close());
  }
}

/** A database of its own on the DATABASE_URL server (with PostGIS), or the embedded one in memory. */
async function freshDatabase(): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  const server = process.env['DATABASE_URL'];
  if (!server) return { env: { EMBEDDED_DB_DIR: 'memory://' }, drop: () => Promise.resolve() };
  const name = `muckwatch_bench_live_map_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  await db.query('CREATE EXTENSION IF NOT EXISTS postgis');
  await db.end();
  return {
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** One fleet size: a fresh database and API, the fleet reporting, then each map in turn. */
async function measureFleet(trucks: number, baselineDist: string): Promise<Measured[]> {
  const database = await freshDatabase();
  const embedded = !process.env['MQTT_URL'];
  const clientIdPrefix = `live-map-bench-${process.pid}-${trucks}`;
  const config = loadApiConfig({
    ...database.env,
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
    INGEST_CLIENT_ID_PREFIX: clientIdPrefix,
    INGEST_SHARE_GROUP: clientIdPrefix,
  });
  const api = await startApi(config);
  let publisher: MqttClient | null = null;
  const run: ActiveRun = { waiting: new Map(), measuring: false, commits: 0 };
  let publishing = true;
  let publishLoop: Promise<void> = Promise.resolve();
  const results: Measured[] = [];
  try {
    // The commit tap: every fix the live feed is handed, with the time it was handed over.
    const feed = api.app.get(LiveFeed, { strict: false });
    const committed = feed.committed.bind(feed);
    feed.committed = (advanced, liveness) => {
      const at = Date.now();
      if (run.measuring) {
        for (const p of advanced) if (!run.waiting.has(p.terminalId)) run.waiting.set(p.terminalId, at);
        run.commits += advanced.length;
      }
      committed(advanced, liveness);
    };

    const broker = await mqtt.connectAsync(api.infra.mqttUrl, { clientId: `live-map-bench-publisher-${process.pid}`, clean: true });
    publisher = broker;
    // The fleet: random walks around CENTRE, each truck every INTERVAL_S, the same for both maps.
    const random = seeded(trucks);
    const fleet = Array.from({ length: trucks }, (_, n) => ({
      id: `bench-${String(n).padStart(4, '0')}`,
      lat: CENTRE.lat + (random() - 0.5) * 0.08,
      lon: CENTRE.lon + (random() - 0.5) * 0.1,
      heading: random() * 360,
      loaded: random() < 0.4,
      coverOpen: random() < 0.05,
    }));
    const tickMs = 50;
    const perTick = Math.max(1, Math.round((trucks * tickMs) / (INTERVAL_S * 1000)));
    let next = 0;
    publishLoop = (async () => {
      while (publishing) {
        const started = Date.now();
        for (let i = 0; i < perTick; i += 1) {
          const t = fleet[next]!;
          next = (next + 1) % fleet.length;
          t.heading = (t.heading + (random() - 0.5) * 40 + 360) % 360;
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
          void broker.publishAsync(telemetryTopic(t.id), JSON.stringify(fix), { qos: 1 });
        }
        await sleep(Math.max(0, tickMs - (Date.now() - started)));
      }
    })();

    // One fleet round so every truck is known, then each map on its own.
    await sleep(INTERVAL_S * 1000 + 2000);
    for (const [kind, dist] of [['new (canvas)', null], ['baseline (DOM)', baselineDist]] as const) {
      console.log(`  ${trucks} trucks, ${kind} …`);
      const measured = await measureMap(api, trucks, kind, dist, run);
      console.log(`    ${measured.outcome}${measured.detail ? ` (${measured.detail})` : ''}`);
      results.push(measured);
    }
    return results;
  } finally {
    publishing = false;
    await publishLoop;
    await publisher?.endAsync().catch(() => undefined);
    await api.close();
    // The ingest's persistent sessions would keep queueing this fleet's topics in the broker.
    if (!embedded) {
      for (let n = 0; n < config.ingest.connections; n += 1) {
        const client = await within(10_000, mqtt.connectAsync(process.env['MQTT_URL']!, { clientId: `${clientIdPrefix}-${n}`, clean: true }));
        await client?.endAsync().catch(() => undefined);
      }
    }
    await database.drop();
  }
}

const fmt = (ms: number | null): string => (ms === null ? '—' : ms.toFixed(0));

function outcomeText(r: Measured): string {
  if (r.outcome === 'ran') return `ran ${(r.measuredSeconds / 60).toFixed(1)} min${r.detail ? ' (see detail)' : ''}`;
  if (r.outcome === 'did not load') return `did not load: ${r.detail ?? ''}`;
  return `${r.outcome} after ${r.lastAnsweredAfterS} s`;
}

async function main(): Promise<void> {
  if (!existsSync(join(repoRoot, 'apps/web/dist/index.html'))) throw new Error('build the console first: npx vite build --config apps/web/vite.config.ts');
  const baselineDist = buildBaseline();
  const results: Measured[] = [];
  for (const trucks of FLEETS) results.push(...(await measureFleet(trucks, baselineDist)));

  console.log(`\nlive map, trucks every ${INTERVAL_S} s, ${MINUTES} min per map, one map at a time, zoom ${ZOOM}, ${VIEWPORT.width}×${VIEWPORT.height}, baseline ${BASELINE_REF}`);
  console.table(
    results.map((r) => ({
      trucks: r.trucks,
      map: r.map,
      outcome: outcomeText(r),
      zoom: r.zoom ?? '—',
      'drawn / committed': `${r.movesMeasured} / ${r.commitsDuringRun}`,
      'commit→move p50 ms': fmt(r.commitToMoveP50Ms),
      'p99 ms': fmt(r.commitToMoveP99Ms),
      'max ms': fmt(r.commitToMoveMaxMs),
      'long tasks / min': r.longTasksPerMinute,
      'long-task ms / min': r.longTaskMsPerMinute,
      'longest task ms': r.longestTaskMs,
      'main thread busy %': r.mainThreadBusyPct ?? '—',
      'heap load MB': r.heapAfterLoadMb ?? '—',
      'heap end MB': r.heapAfterRunMb ?? '—',
    })),
  );
  mkdirSync(join(repoRoot, 'bench-results'), { recursive: true });
  const out = join(repoRoot, 'bench-results', `live-map-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    out,
    JSON.stringify({ fleets: FLEETS, intervalS: INTERVAL_S, minutes: MINUTES, zoom: ZOOM, viewport: VIEWPORT, baseline: BASELINE_REF, frozenAfterS: FROZEN_AFTER_S, results }, null, 2),
  );
  console.log(`results: ${out}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
