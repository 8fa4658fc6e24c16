import pg from 'pg';
import { expect } from 'vitest';
import { makeUscc } from '@muckwatch/linzi';
import type { TripStatusName, ViolationTypeName } from '@muckwatch/contracts';
import type { ApiClient } from '../support/api-client.js';

export const QILU = 'E37030501';
export const WENSHAO = '370305001';

/** A trip row as the compliance engine would have written it, for the trips specs and the bench. */
export interface TripSeed {
  terminalId: string;
  truckId?: string | null;
  plate?: string | null;
  originId?: string | null;
  originName?: string | null;
  destinationId?: string | null;
  destinationName?: string | null;
  startedAt: Date;
  endedAt?: Date | null;
  status: TripStatusName;
  townCode?: string | null;
  distanceM?: number;
  approvalNumber?: string | null;
}

export function tripId(seed: Pick<TripSeed, 'terminalId' | 'startedAt'>): string {
  return `${seed.terminalId}/trip/${seed.startedAt.getTime()}`;
}

/** Inserts trips in one statement (unnest), as the engine's store does. */
export async function insertTrips(db: pg.Client | pg.Pool, seeds: readonly TripSeed[]): Promise<string[]> {
  const ids = seeds.map(tripId);
  await db.query(
    `INSERT INTO trips (id, terminal_id, truck_id, plate, approval_number, origin_id, origin_kind, origin_name, destination_id, destination_name,
                        started_at, start_geom, ended_at, end_geom, town_code, distance_m, status)
     SELECT id, tid, truck::uuid, plate, apprno, orig::uuid, CASE WHEN orig IS NULL THEN NULL ELSE 'construction-site' END, oname, dest::uuid, dname,
            sa, ST_SetSRID(ST_MakePoint(118.31, 36.82), 4326), ea,
            CASE WHEN ea IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(118.35, 36.85), 4326) END, town, dist, status
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                   $10::timestamptz[], $11::timestamptz[], $12::text[], $13::float8[], $14::text[])
         AS u(id, tid, truck, plate, apprno, orig, oname, dest, dname, sa, ea, town, dist, status)`,
    [
      ids,
      seeds.map((s) => s.terminalId),
      seeds.map((s) => s.truckId ?? null),
      seeds.map((s) => s.plate ?? null),
      seeds.map((s) => s.approvalNumber ?? null),
      seeds.map((s) => s.originId ?? null),
      seeds.map((s) => s.originName ?? null),
      seeds.map((s) => s.destinationId ?? null),
      seeds.map((s) => s.destinationName ?? null),
      seeds.map((s) => s.startedAt.toISOString()),
      seeds.map((s) => s.endedAt?.toISOString() ?? null),
      seeds.map((s) => (s.townCode === undefined ? QILU : s.townCode)),
      seeds.map((s) => s.distanceM ?? 12_000),
      seeds.map((s) => s.status),
    ],
  );
  return ids;
}

/** The month partition of `positions` holding `at` (the API creates them on demand at ingest). */
async function ensurePartition(db: pg.Client | pg.Pool, at: Date): Promise<void> {
  const start = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const next = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  const name = `positions_y${start.getUTCFullYear()}m${String(start.getUTCMonth() + 1).padStart(2, '0')}`;
  await db.query(`CREATE TABLE IF NOT EXISTS ${name} PARTITION OF positions FOR VALUES FROM ('${start.toISOString()}') TO ('${next.toISOString()}')`);
}

/** Fixes of a terminal reporting a load sensor's tonnes, one a minute from `from`. */
export async function insertLoadFixes(db: pg.Client | pg.Pool, terminalId: string, from: Date, loadsT: readonly number[]): Promise<void> {
  const times = loadsT.map((_, i) => new Date(from.getTime() + i * 60_000));
  for (const month of new Set(times.map((t) => Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 1)))) await ensurePartition(db, new Date(month));
  await db.query(
    `INSERT INTO positions (terminal_id, fix_time, received_at, geom, speed_kmh, heading_deg, valid, load, load_t)
     SELECT $1, ft, ft, ST_SetSRID(ST_MakePoint(118.32, 36.83), 4326), 30, 90, true, 'loaded', lt
       FROM unnest($2::timestamptz[], $3::real[]) AS u(ft, lt)
     ON CONFLICT DO NOTHING`,
    [terminalId, times.map((t) => t.toISOString()), loadsT],
  );
}

/** A violation raised during a trip (the engine sets its trip_id). */
export async function insertTripViolation(db: pg.Client | pg.Pool, trip: TripSeed, type: ViolationTypeName, offsetMs = 60_000): Promise<string> {
  const startedAt = new Date(trip.startedAt.getTime() + offsetMs);
  const id = `${trip.terminalId}/${type}/${startedAt.getTime()}`;
  await db.query(
    `INSERT INTO violations (id, type, severity, status, terminal_id, truck_id, plate, trip_id, started_at, start_geom, ended_at, end_geom, town_code, reasons)
     VALUES ($1, $2, 'medium', 'closed', $3, $4::uuid, $5, $6, $7, ST_SetSRID(ST_MakePoint(118.32, 36.83), 4326), $8,
             ST_SetSRID(ST_MakePoint(118.33, 36.84), 4326), $9, '[]'::jsonb)`,
    [id, type, trip.terminalId, trip.truckId ?? null, trip.plate ?? null, tripId(trip), startedAt.toISOString(), new Date(startedAt.getTime() + 120_000).toISOString(), trip.townCode === undefined ? QILU : trip.townCode],
  );
  return id;
}

export interface TripWorld {
  companies: { a: { id: string; name: string }; b: { id: string; name: string } };
  trucks: { t1: { id: string; plate: string }; t2: { id: string; plate: string }; t3: { id: string; plate: string } };
  sites: { s1: { id: string; name: string }; s2: { id: string; name: string } };
  disposal: { d1: { id: string; name: string }; d2: { id: string; name: string } };
}

function square(lon: number, lat: number, d = 0.002): { type: 'Polygon'; coordinates: number[][][] } {
  return { type: 'Polygon', coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]] };
}

/** Two companies, three trucks, two construction sites and two disposal sites, registered through the API. */
export async function registerTripWorld(dispatcher: ApiClient, tag: string): Promise<TripWorld> {
  const code = (prefix: string): string => makeUscc('370305', `${prefix}${tag.toUpperCase().replace(/[^0-9A-H]/g, '7')}00`.slice(0, 8));
  const company = async (name: string, prefix: string): Promise<{ id: string; name: string }> => {
    const res = await dispatcher.post<{ id: string }>('/api/v1/companies', { name, creditCode: code(prefix) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { id: res.body.id, name };
  };
  const a = await company(`运次甲运输-${tag}`, 'YA');
  const b = await company(`运次乙运输-${tag}`, 'YB');
  const truck = async (companyId: string): Promise<{ id: string; plate: string }> => {
    for (;;) {
      const plate = `鲁C${'ABCDEFGHJK'[Math.floor(Math.random() * 10)]}${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
      const res = await dispatcher.post<{ truckId: string }>('/api/v1/trucks', { plate, companyId, ratedLoadT: 20 });
      if (res.status === 409) continue; // a random plate that exists already
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return { id: res.body.truckId, plate };
    }
  };
  const place = async (kind: 'construction-sites' | 'disposal-sites', name: string, lon: number): Promise<{ id: string; name: string }> => {
    const res = await dispatcher.post<{ id: string }>(`/api/v1/${kind}`, { name, geometry: square(lon, 36.81), ...(kind === 'disposal-sites' ? { status: 'licensed' } : {}) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { id: res.body.id, name };
  };
  return {
    companies: { a, b },
    trucks: { t1: await truck(a.id), t2: await truck(a.id), t3: await truck(b.id) },
    sites: { s1: await place('construction-sites', `运次东工地-${tag}`, 118.30), s2: await place('construction-sites', `运次西工地-${tag}`, 118.31) },
    disposal: { d1: await place('disposal-sites', `运次北消纳场-${tag}`, 118.32), d2: await place('disposal-sites', `运次南消纳场-${tag}`, 118.33) },
  };
}
