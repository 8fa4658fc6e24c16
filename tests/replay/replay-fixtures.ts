import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { PositionPartitions } from '@muckwatch/api';
import type { BodyState, CoverState, LoadState } from '@muckwatch/contracts';

/** One fix of a scripted truck day, before it is stored. */
export interface ScriptedFix {
  timeMs: number;
  lat: number;
  lon: number;
  speedKmh: number;
  load: LoadState;
  loadT: number;
  cover: CoverState;
  body: BodyState;
  ignition: boolean;
}

export const SITE_CENTRE = { lat: 36.82, lon: 118.3 } as const;
/** Degrees of longitude a truck at 40 km/h covers in 10 s at latitude 36.8 (~111 m). */
const STEP_LON = 111 / 89_000;

/**
 * A truck's loaded run, one fix per 10 s from `startMs` (`minutes` long, default 80):
 * 0–10 min standing in the construction site, loaded at 5 min, cover closed at 9 min;
 * 10–40 driving east at ~40 km/h (a gentle wave); 40–50 standing at the roadside with the body raised
 * from 42 to 46 min and unloaded at 45 min (illegal dumping); 50–60 driving on; 60–70 standing in the
 * disposal site, body raised 62–64 min; 70–80 driving back to the site, empty. Repeats after 80 minutes from the
 * site again (a new day's run starts where the first did), so it scales to a month.
 */
export function scriptedRun(startMs: number, minutes = 80): ScriptedFix[] {
  const out: ScriptedFix[] = [];
  for (let i = 0; i < minutes * 6; i += 1) {
    const m = (i / 6) % 80;
    const timeMs = startMs + i * 10_000;
    let speedKmh = 0;
    const driveSteps = (from: number, to: number): number => Math.max(0, (Math.min(m, to) - from) * 6);
    const east = driveSteps(10, 40) + driveSteps(50, 60);
    let lon = SITE_CENTRE.lon + east * STEP_LON;
    const back = driveSteps(70, 80);
    if (m >= 70) lon = SITE_CENTRE.lon + (240 - back * 4) * STEP_LON;
    const moving = (m >= 10 && m < 40) || (m >= 50 && m < 60) || m >= 70;
    if (moving) speedKmh = 40 + 5 * Math.sin(i / 7);
    const lat = SITE_CENTRE.lat + (moving ? 0.0004 * Math.sin(i / 15) : 0);
    const loaded = m >= 5 && m < 45;
    const raised = (m >= 42 && m < 46) || (m >= 62 && m < 64);
    out.push({
      timeMs,
      lat,
      lon,
      speedKmh,
      load: loaded ? 'full' : 'empty',
      loadT: loaded ? 18.5 : 0.2,
      cover: m >= 9 && m < 60 ? 'closed' : 'open',
      body: raised ? 'raised' : 'down',
      ignition: true,
    });
  }
  return out;
}

/** Where the run stands at the disposal site (60–70 min) and at the roadside (40–50 min). */
export const ROADSIDE_LON = SITE_CENTRE.lon + 180 * STEP_LON;
export const DISPOSAL_LON = SITE_CENTRE.lon + 240 * STEP_LON;

/** Indices of the fixes where a replay state changes (load, cover, body, ignition, moving/stopped). */
export function stateChangeIndices(fixes: readonly ScriptedFix[]): number[] {
  const key = (f: ScriptedFix): string => [f.load, f.cover, f.body, f.ignition, f.speedKmh >= 3].join();
  return fixes.flatMap((f, i) => (i === 0 || key(f) !== key(fixes[i - 1]!) ? [i] : []));
}

/** Stores fixes of `terminalId` directly (month partitions first), in batches of 20,000. */
export async function insertFixes(db: pg.Pool | pg.Client, terminalId: string, fixes: readonly ScriptedFix[]): Promise<void> {
  await new PositionPartitions().ensureFor(db as pg.Pool, fixes.map((f) => f.timeMs));
  for (let start = 0; start < fixes.length; start += 20_000) {
    const batch = fixes.slice(start, start + 20_000);
    await db.query(
      `INSERT INTO positions (terminal_id, fix_time, received_at, geom, speed_kmh, heading_deg, valid, ignition, cover, body, load, load_t)
       SELECT $1, to_timestamp(t / 1000.0), to_timestamp(t / 1000.0), ST_SetSRID(ST_MakePoint(lon, lat), 4326), speed, 90, true, ign, cover, body, load, load_t
         FROM unnest($2::float8[], $3::float8[], $4::float8[], $5::real[], $6::boolean[], $7::text[], $8::text[], $9::text[], $10::real[])
              AS u(t, lat, lon, speed, ign, cover, body, load, load_t)
       ON CONFLICT DO NOTHING`,
      [
        terminalId,
        batch.map((f) => f.timeMs),
        batch.map((f) => f.lat),
        batch.map((f) => f.lon),
        batch.map((f) => f.speedKmh),
        batch.map((f) => f.ignition),
        batch.map((f) => f.cover),
        batch.map((f) => f.body),
        batch.map((f) => f.load),
        batch.map((f) => f.loadT),
      ],
    );
  }
}

/** A square polygon of `halfDeg` around a point, as WKT. */
export function squareWkt(lon: number, lat: number, halfDeg: number): string {
  const [w, e, s, n] = [lon - halfDeg, lon + halfDeg, lat - halfDeg, lat + halfDeg];
  return `SRID=4326;POLYGON((${w} ${s},${e} ${s},${e} ${n},${w} ${n},${w} ${s}))`;
}

export interface ReplayTruckSeed {
  truckId: string;
  plate: string;
  terminalId: string;
  constructionSiteId: string;
  disposalSiteId: string;
}

/**
 * A company, a truck carrying a terminal since `boundAt`, the construction site the run starts in
 * and the licensed disposal site it unloads at (registry rows written directly, as the case fixtures do).
 */
export async function seedReplayTruck(db: pg.Pool | pg.Client, tag: string, boundAt: Date): Promise<ReplayTruckSeed> {
  const companyId = randomUUID();
  const truckId = randomUUID();
  const plate = `鲁C${tag.toUpperCase().slice(0, 5).padEnd(5, '9')}`;
  const terminalId = `RP${tag}`;
  const constructionSiteId = randomUUID();
  const disposalSiteId = randomUUID();
  await db.query(`INSERT INTO transport_companies (id, name, credit_code) VALUES ($1, $2, $3)`, [companyId, `回放测试运输-${tag}`, `91370305RP${tag.toUpperCase()}`.slice(0, 18).padEnd(18, '0')]);
  await db.query(`INSERT INTO trucks (id, plate, company_id, sealed) VALUES ($1, $2, $3, true)`, [truckId, plate, companyId]);
  await db.query(`INSERT INTO terminals (terminal_id, truck_id, bound_at) VALUES ($1, $2, $3)`, [terminalId, truckId, boundAt]);
  await db.query(`INSERT INTO terminal_bindings (terminal_id, truck_id, plate, bound_at) VALUES ($1, $2, $3, $4)`, [terminalId, truckId, plate, boundAt]);
  // The town as the registry assigns it (registry/common/geometry.ts townAt): the one holding the polygon's point on surface.
  await db.query(
    `INSERT INTO construction_sites (id, name, geom, town_code)
     SELECT $1, $2, g, (SELECT code FROM towns WHERE ST_Contains(towns.geom, ST_PointOnSurface(g)) ORDER BY code LIMIT 1)
       FROM ST_GeomFromEWKT($3) AS g`,
    [constructionSiteId, `回放工地-${tag}`, squareWkt(SITE_CENTRE.lon, SITE_CENTRE.lat, 0.002)],
  );
  await db.query(
    `INSERT INTO disposal_sites (id, name, status, geom, town_code)
     SELECT $1, $2, 'licensed', g, (SELECT code FROM towns WHERE ST_Contains(towns.geom, ST_PointOnSurface(g)) ORDER BY code LIMIT 1)
       FROM ST_GeomFromEWKT($3) AS g`,
    [disposalSiteId, `回放消纳场-${tag}`, squareWkt(DISPOSAL_LON, SITE_CENTRE.lat, 0.002)],
  );
  return { truckId, plate, terminalId, constructionSiteId, disposalSiteId };
}
