import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import {
  REPLAY_LIMITS,
  officeDayOf,
  officeDayRange,
  type ReplayFenceMark,
  type ReplayFixInput,
  type ReplayPlace,
  type ReplayStop,
  type ReplayTripMark,
  type ReplayViolationMark,
  type TripStatusName,
  type ViolationSeverity,
} from '@muckwatch/contracts';
import { PG_POOL } from '../database/database.module.js';

/** A terminal carried by the truck over part of the period: its fixes from `from` to `to` are the truck's. */
export interface TerminalSpan {
  terminalId: string;
  from: Date;
  to: Date;
}

export interface ResolvedTruck {
  truckId: string | null;
  plate: string | null;
  spans: TerminalSpan[];
}

/** One full-resolution fix, as the exports write it. */
export interface ReplayFixRow extends ReplayFixInput {
  terminalId: string;
  headingDeg: number;
  altitudeM: number | null;
  mileageKm: number | null;
  quality: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The spans as a table every query starts from (`spans`), then the truck's fixes in the period
 * (`fx`): each terminal's fixes only while the truck carried it. Parameters $1–$3 are the spans.
 */
const SPANS_CTE = `spans AS (
    SELECT s.terminal_id, s.span_from, s.span_to
      FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) AS s(terminal_id, span_from, span_to))`;

const FIX_COLUMNS = `p.terminal_id, p.fix_time, ST_Y(p.geom) AS lat, ST_X(p.geom) AS lon, p.speed_kmh, p.heading_deg, p.altitude_m,
       p.mileage_km, p.valid, p.ignition, p.cover, p.body, p.load, p.load_t, p.quality`;

interface FixDbRow {
  terminal_id: string;
  fix_time: Date;
  lat: number;
  lon: number;
  speed_kmh: number;
  heading_deg: number;
  altitude_m: number | null;
  mileage_km: number | null;
  valid: boolean;
  ignition: boolean | null;
  cover: ReplayFixInput['cover'];
  body: ReplayFixInput['body'];
  load: ReplayFixInput['load'];
  load_t: number | null;
  quality: string[];
}

function toFix(r: FixDbRow): ReplayFixRow {
  return {
    terminalId: r.terminal_id,
    timeMs: r.fix_time.getTime(),
    lat: r.lat,
    lon: r.lon,
    speedKmh: r.speed_kmh,
    headingDeg: r.heading_deg,
    altitudeM: r.altitude_m,
    mileageKm: r.mileage_km,
    valid: r.valid,
    ignition: r.ignition,
    cover: r.cover,
    body: r.body,
    load: r.load,
    loadT: r.load_t,
    quality: r.quality,
  };
}

function spanParams(spans: readonly TerminalSpan[]): [string[], Date[], Date[]] {
  return [spans.map((s) => s.terminalId), spans.map((s) => s.from), spans.map((s) => s.to)];
}

/**
 * A span's fixes within one office day (Asia/Shanghai): [from, to), or [from, to] for the span's
 * last piece (`closed`). `storable`: a whole day that is over, whose overview may be stored.
 */
export interface DayChunk {
  terminalId: string;
  from: Date;
  to: Date;
  closed: boolean;
  storable: boolean;
}

/** Cuts each span at the office's midnights. */
export function dayChunks(spans: readonly TerminalSpan[], nowMs: number): DayChunk[] {
  const out: DayChunk[] = [];
  for (const span of spans) {
    const end = span.to.getTime();
    let at = span.from.getTime();
    while (at <= end) {
      const day = officeDayRange(officeDayOf(at));
      const dayStart = Date.parse(day.from);
      const dayEnd = Date.parse(day.to);
      if (dayEnd > end) {
        out.push({ terminalId: span.terminalId, from: new Date(at), to: new Date(end), closed: true, storable: false });
        break;
      }
      out.push({ terminalId: span.terminalId, from: new Date(at), to: new Date(dayEnd), closed: false, storable: at === dayStart && dayEnd <= nowMs });
      at = dayEnd;
    }
  }
  return out;
}

/** Deals `chunks` into `parts` groups of about equal length of time (the days to compute, per connection). */
function balance(chunks: readonly DayChunk[], parts: number): DayChunk[][] {
  const groups: Array<{ chunks: DayChunk[]; ms: number }> = Array.from({ length: parts }, () => ({ chunks: [], ms: 0 }));
  for (const chunk of [...chunks].sort((a, b) => (b.to.getTime() - b.from.getTime()) - (a.to.getTime() - a.from.getTime()))) {
    const lightest = groups.reduce((a, b) => (b.ms < a.ms ? b : a));
    lightest.chunks.push(chunk);
    lightest.ms += chunk.to.getTime() - chunk.from.getTime();
  }
  return groups.map((g) => g.chunks).filter((g) => g.length > 0);
}

/**
 * The overview of each chunk (each day on its own: the windows are partitioned by chunk), as CTEs
 * ending in `shown` (the kept fixes), `runs` (the chunks' valid fixes) and `store`, which stores the
 * overviews of whole past days in the same statement, so a stored overview and its `fix_count`
 * come from one snapshot. Parameters: `overviewParams`.
 */
const OVERVIEW_CTES = `WITH chunks AS (
         SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::boolean[], $5::boolean[])
                  WITH ORDINALITY AS c(terminal_id, lo, hi, closed, storable, n)),
       fx AS (
         SELECT c.n, p.fix_time, p.geom, p.speed_kmh, p.valid, p.ignition, p.cover, p.body, p.load, p.load_t,
                CASE WHEN lag(p.fix_time) OVER w IS NULL THEN 1
                     WHEN (p.load, p.cover, p.body, p.ignition, p.speed_kmh >= $7) IS DISTINCT FROM
                          (lag(p.load) OVER w, lag(p.cover) OVER w, lag(p.body) OVER w, lag(p.ignition) OVER w, lag(p.speed_kmh) OVER w >= $7) THEN 1
                     WHEN p.fix_time - lag(p.fix_time) OVER w > make_interval(secs => $8) THEN 1
                     ELSE 0 END AS change,
                coalesce(lead(p.fix_time) OVER w - p.fix_time > make_interval(secs => $8), false) AS before_gap,
                row_number() OVER w AS rn
           FROM chunks c JOIN positions p ON p.terminal_id = c.terminal_id AND p.fix_time >= c.lo AND p.fix_time <= c.hi AND (c.closed OR p.fix_time < c.hi)
          WHERE p.valid
         WINDOW w AS (PARTITION BY c.n ORDER BY p.fix_time)),
       runs AS (SELECT fx.*, sum(change) OVER (PARTITION BY n ORDER BY fix_time ROWS UNBOUNDED PRECEDING) AS run FROM fx),
       simplified AS (
         SELECT n, ST_Simplify(ST_MakeLine(ST_MakePointM(ST_X(geom), ST_Y(geom), rn) ORDER BY rn), $6, true) AS line
           FROM runs GROUP BY n, run HAVING count(*) > 1),
       kept AS (
         SELECT r.n, r.rn FROM simplified s CROSS JOIN LATERAL ST_DumpPoints(s.line) AS d JOIN runs r ON r.n = s.n AND r.rn = ST_M(d.geom)::bigint
         UNION
         SELECT n, rn FROM runs WHERE change = 1 OR before_gap),
       shown AS MATERIALIZED (SELECT r.* FROM kept k JOIN runs r ON r.n = k.n AND r.rn = k.rn),
       totals AS (SELECT n, count(*) AS valid_count FROM runs GROUP BY n),
       store AS (
         INSERT INTO replay_overviews AS o (terminal_id, day_start, tolerance_deg, fix_count, valid_count, kept)
         SELECT c.terminal_id, c.lo, $6,
                (SELECT count(*) FROM positions p WHERE p.terminal_id = c.terminal_id AND p.fix_time >= c.lo AND p.fix_time < c.hi),
                coalesce(t.valid_count, 0),
                coalesce((SELECT array_agg(s.fix_time ORDER BY s.fix_time) FROM shown s WHERE s.n = c.n), '{}')
           FROM chunks c LEFT JOIN totals t ON t.n = c.n
          WHERE c.storable
         ON CONFLICT (terminal_id, day_start, tolerance_deg) DO UPDATE
           SET fix_count = EXCLUDED.fix_count, valid_count = EXCLUDED.valid_count, kept = EXCLUDED.kept, computed_at = now()
         RETURNING 1)`;

function overviewParams(chunks: readonly DayChunk[], toleranceDeg: number): unknown[] {
  return [chunks.map((c) => c.terminalId), chunks.map((c) => c.from), chunks.map((c) => c.to), chunks.map((c) => c.closed), chunks.map((c) => c.storable),
    toleranceDeg, REPLAY_LIMITS.movingKmh, REPLAY_LIMITS.gapSeconds];
}

/** All SQL of track replay: resolving the truck, the simplified track, windows of fixes, marks. */
@Injectable()
export class ReplayRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * The truck a replay names, and which terminals' fixes are its own in [from, to]: by truck id or
   * plate, the terminals bound to it then (terminal_bindings); by terminal id, that terminal's
   * fixes (a terminal the registry never knew still has its stored fixes). Null: nothing by that name.
   */
  async resolve(name: string, from: Date, to: Date): Promise<ResolvedTruck | null> {
    const truck = await this.pool.query<{ id: string; plate: string }>(
      UUID.test(name)
        ? `SELECT id, plate FROM trucks WHERE id = $1::uuid`
        : `SELECT id, plate FROM trucks WHERE plate = $1
           UNION ALL
           SELECT DISTINCT ON (truck_id) truck_id, plate FROM terminal_bindings WHERE plate = $1
             AND NOT EXISTS (SELECT 1 FROM trucks WHERE plate = $1)
           LIMIT 1`,
      [name],
    );
    const found = truck.rows[0];
    if (found) {
      const { rows } = await this.pool.query<{ terminal_id: string; span_from: Date; span_to: Date }>(
        `SELECT terminal_id, greatest(bound_at, $2) AS span_from, least(coalesce(unbound_at, 'infinity'), $3) AS span_to
           FROM terminal_bindings
          WHERE truck_id = $1 AND bound_at <= $3 AND coalesce(unbound_at, 'infinity') >= $2
          ORDER BY bound_at`,
        [found.id, from, to],
      );
      return { truckId: found.id, plate: found.plate, spans: rows.map((r) => ({ terminalId: r.terminal_id, from: r.span_from, to: r.span_to })) };
    }
    if (UUID.test(name) || name.length > 32) return null;
    const terminal = await this.pool.query<{ truck_id: string | null; plate: string | null }>(
      `SELECT te.truck_id, tr.plate FROM terminals te LEFT JOIN trucks tr ON tr.id = te.truck_id WHERE te.terminal_id = $1
       UNION ALL
       SELECT NULL, NULL WHERE NOT EXISTS (SELECT 1 FROM terminals WHERE terminal_id = $1)
         AND EXISTS (SELECT 1 FROM positions WHERE terminal_id = $1)
       LIMIT 1`,
      [name],
    );
    const t = terminal.rows[0];
    if (!t) return null;
    return { truckId: t.truck_id, plate: t.plate, spans: [{ terminalId: name, from, to }] };
  }

  /**
   * The track simplified for a map, one office day (Asia/Shanghai) at a time: Douglas–Peucker
   * (ST_Simplify, tolerance in degrees) on each run of fixes in one state, so every fix where the
   * load, cover, body, ignition or moving/stopped changes starts a run and is kept, as is the last
   * fix of each run, the fixes around a gap, and the first and last fix of each day. Valid fixes only.
   *
   * A past whole day's overview is stored (replay_overviews) and reused while the day still holds
   * the same number of fixes (fixes are only ever added, so the count is the day's version: a late
   * fix changes it and the day is computed again). Today, and days the period or a terminal
   * binding cuts, are always computed. The days to compute are shared between two connections.
   */
  async simplifiedTrack(spans: readonly TerminalSpan[], toleranceDeg: number, nowMs = Date.now()): Promise<{ fixes: ReplayFixInput[]; total: number }> {
    const chunks = dayChunks(spans, nowMs);
    if (chunks.length === 0) return { fixes: [], total: 0 };
    // Today and the cut days are computed while the stored days are checked, on another connection.
    const [stored, fresh] = await Promise.all([
      this.storedOverviews(chunks, toleranceDeg),
      this.computeOverviews(chunks.filter((c) => !c.storable), toleranceDeg),
    ]);
    const missing = chunks.filter((c) => c.storable && !stored.valid.has(c));
    const computed = [fresh, ...(await Promise.all(balance(missing, 2).map((part) => this.computeOverviews(part, toleranceDeg))))];
    const fixes = [...stored.fixes, ...computed.flatMap((c) => c.fixes)].sort((a, b) => a.timeMs - b.timeMs);
    return { fixes, total: stored.total + computed.reduce((sum, c) => sum + c.total, 0) };
  }

  /**
   * The stored overviews of `chunks` (whole past days) whose day still holds the fixes they were
   * computed from, with their kept fixes, in one statement (one snapshot).
   */
  private async storedOverviews(chunks: readonly DayChunk[], toleranceDeg: number): Promise<{ valid: Set<DayChunk>; fixes: ReplayFixInput[]; total: number }> {
    const days = chunks.filter((c) => c.storable);
    const valid = new Set<DayChunk>();
    if (days.length === 0) return { valid, fixes: [], total: 0 };
    const { rows } = await this.pool.query<Partial<FixDbRow> & { n: number; valid_count: number }>(
      `WITH days AS (SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS d(terminal_id, day_start, day_end, n)),
       current AS MATERIALIZED (
         SELECT d.n, o.terminal_id, o.kept, o.valid_count
           FROM days d JOIN replay_overviews o ON o.terminal_id = d.terminal_id AND o.day_start = d.day_start AND o.tolerance_deg = $4
          WHERE o.fix_count = (SELECT count(*) FROM positions p WHERE p.terminal_id = d.terminal_id AND p.fix_time >= d.day_start AND p.fix_time < d.day_end))
       SELECT c.n::int AS n, c.valid_count, p.fix_time, ST_Y(p.geom) AS lat, ST_X(p.geom) AS lon, p.speed_kmh, p.valid, p.ignition, p.cover, p.body, p.load, p.load_t
         FROM current c
         LEFT JOIN LATERAL (SELECT p.* FROM unnest(c.kept) AS k(fix_time) JOIN positions p ON p.terminal_id = c.terminal_id AND p.fix_time = k.fix_time) p ON true`,
      [days.map((d) => d.terminalId), days.map((d) => d.from), days.map((d) => d.to), toleranceDeg],
    );
    let total = 0;
    const fixes: ReplayFixInput[] = [];
    for (const row of rows) {
      const day = days[row.n - 1];
      if (day && !valid.has(day)) {
        valid.add(day);
        total += row.valid_count;
      }
      // A day whose overview keeps nothing (no valid fixes) comes back as one row without a fix.
      if (row.fix_time) fixes.push(toFix({ ...(row as FixDbRow), terminal_id: '' }));
    }
    return { valid, fixes, total };
  }

  /**
   * Computes the overviews of `chunks` (each day on its own: the windows are partitioned by chunk)
   * and stores those of whole past days in the same statement, so a stored overview and its
   * `fix_count` come from one snapshot.
   */
  private async computeOverviews(chunks: readonly DayChunk[], toleranceDeg: number): Promise<{ fixes: ReplayFixInput[]; total: number }> {
    if (chunks.length === 0) return { fixes: [], total: 0 };
    const { rows } = await this.analytic('write', (db) => db.query<FixDbRow & { total: string }>(
      `${OVERVIEW_CTES}
       SELECT '' AS terminal_id, fix_time, ST_Y(geom) AS lat, ST_X(geom) AS lon, speed_kmh, valid, ignition, cover, body, load, load_t,
              (SELECT count(*) FROM runs) AS total
         FROM shown`,
      overviewParams(chunks, toleranceDeg),
    ));
    const total = rows[0] ? Number(rows[0].total) : 0;
    return { fixes: rows.map(toFix), total };
  }

  /**
   * The terminals with fixes in the closed office day [dayStart, dayEnd) whose overview at
   * `toleranceDeg` is not stored, or was stored from fewer fixes than the day holds now.
   */
  async daysToStore(db: PoolClient, dayStart: Date, dayEnd: Date, toleranceDeg: number): Promise<string[]> {
    const { rows } = await db.query<{ terminal_id: string }>(
      `WITH d AS (SELECT terminal_id, count(*) AS n FROM positions WHERE fix_time >= $1 AND fix_time < $2 GROUP BY terminal_id)
       SELECT d.terminal_id FROM d
        WHERE NOT EXISTS (SELECT 1 FROM replay_overviews o
                           WHERE o.terminal_id = d.terminal_id AND o.day_start = $1 AND o.tolerance_deg = $3 AND o.fix_count = d.n)
        ORDER BY d.terminal_id`,
      [dayStart, dayEnd, toleranceDeg],
    );
    return rows.map((r) => r.terminal_id);
  }

  /**
   * Computes and stores the overviews of whole closed days (storable chunks) on `db`, in its
   * transaction, returning nothing but how many were stored (replay-overview.job.ts).
   */
  async storeOverviews(db: PoolClient, chunks: readonly DayChunk[], toleranceDeg: number): Promise<number> {
    const days = chunks.filter((c) => c.storable);
    if (days.length === 0) return 0;
    const { rows } = await db.query<{ stored: number }>(`${OVERVIEW_CTES}
       SELECT (SELECT count(*) FROM store)::int AS stored`, overviewParams(days, toleranceDeg));
    return rows[0]?.stored ?? 0;
  }

  /** Room to sort a day's windows in memory, without JIT (see `analytic`), for the rest of `db`'s transaction. */
  async prepareAnalytic(db: PoolClient): Promise<void> {
    await db.query(`SET LOCAL work_mem = '64MB'`);
    await db.query(`SET LOCAL jit = off`);
  }

  /**
   * Runs a query over a month of fixes in a transaction of its own with room to sort in memory
   * (work_mem 64 MB: a month's 259,000 fixes sort without spilling to disk) and without JIT
   * (compiling the window query cost ~1 s of the ~3 s it took on the development machine).
   */
  private async analytic<T>(mode: 'read' | 'write', run: (db: PoolClient) => Promise<T>): Promise<T> {
    const db = await this.pool.connect();
    try {
      await db.query(mode === 'read' ? 'BEGIN READ ONLY' : 'BEGIN');
      await this.prepareAnalytic(db);
      const result = await run(db);
      await db.query('COMMIT');
      return result;
    } catch (error) {
      await db.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      db.release();
    }
  }

  /** Up to `limit` fixes after `after` (exclusive) at full resolution, valid or not, in time order. */
  async fixes(spans: readonly TerminalSpan[], after: Date | null, limit: number): Promise<ReplayFixRow[]> {
    if (spans.length === 0) return [];
    const { rows } = await this.pool.query<FixDbRow>(
      `WITH ${SPANS_CTE}
       SELECT ${FIX_COLUMNS}
         FROM spans JOIN positions p ON p.terminal_id = spans.terminal_id AND p.fix_time >= spans.span_from AND p.fix_time <= spans.span_to
        WHERE ($4::timestamptz IS NULL OR p.fix_time > $4)
        ORDER BY p.fix_time
        LIMIT $5`,
      [...spanParams(spans), after, limit],
    );
    return rows.map(toFix);
  }

  /** Every fix of the spans, page by page (keyset on fix time), for the streamed exports. */
  async *allFixes(spans: readonly TerminalSpan[], pageSize = 10_000): AsyncGenerator<ReplayFixRow> {
    let after: Date | null = null;
    for (;;) {
      const page = await this.fixes(spans, after, pageSize);
      yield* page;
      if (page.length < pageSize) return;
      const last = page[page.length - 1];
      if (!last) return;
      after = new Date(last.timeMs);
    }
  }

  async trips(spans: readonly TerminalSpan[], from: Date, to: Date): Promise<ReplayTripMark[]> {
    if (spans.length === 0) return [];
    const { rows } = await this.pool.query<{
      id: string; status: TripStatusName; started_at: Date; ended_at: Date | null; origin_name: string | null; destination_name: string | null;
      slat: number; slon: number; elat: number | null; elon: number | null;
    }>(
      `WITH ${SPANS_CTE}
       SELECT t.id, t.status, t.started_at, t.ended_at, t.origin_name, t.destination_name,
              ST_Y(t.start_geom) AS slat, ST_X(t.start_geom) AS slon, ST_Y(t.end_geom) AS elat, ST_X(t.end_geom) AS elon
         FROM spans JOIN trips t ON t.terminal_id = spans.terminal_id
        WHERE t.started_at <= least(spans.span_to, $5) AND coalesce(t.ended_at, 'infinity') >= greatest(spans.span_from, $4)
        ORDER BY t.started_at
        LIMIT 5000`,
      [...spanParams(spans), from, to],
    );
    return rows.map((r) => ({
      id: r.id,
      status: r.status,
      startedAt: r.started_at.toISOString(),
      endedAt: r.ended_at?.toISOString() ?? null,
      originName: r.origin_name,
      destinationName: r.destination_name,
      start: [r.slat, r.slon],
      end: r.elat === null || r.elon === null ? null : [r.elat, r.elon],
    }));
  }

  async violations(spans: readonly TerminalSpan[], from: Date, to: Date): Promise<ReplayViolationMark[]> {
    if (spans.length === 0) return [];
    const { rows } = await this.pool.query<{ id: string; type: string; severity: ViolationSeverity; started_at: Date; ended_at: Date | null; lat: number; lon: number }>(
      `WITH ${SPANS_CTE}
       SELECT v.id, v.type, v.severity, v.started_at, v.ended_at, ST_Y(v.start_geom) AS lat, ST_X(v.start_geom) AS lon
         FROM spans JOIN violations v ON v.terminal_id = spans.terminal_id
        WHERE v.started_at <= least(spans.span_to, $5) AND coalesce(v.ended_at, 'infinity') >= greatest(spans.span_from, $4)
        ORDER BY v.started_at
        LIMIT 5000`,
      [...spanParams(spans), from, to],
    );
    return rows.map((r) => ({
      id: r.id,
      type: r.type,
      severity: r.severity,
      startedAt: r.started_at.toISOString(),
      endedAt: r.ended_at?.toISOString() ?? null,
      lat: r.lat,
      lon: r.lon,
    }));
  }

  /**
   * Stops: runs of valid fixes below the moving speed lasting at least `minStopS`, with where (the
   * run's centroid; the disposal or construction site and town holding it) and whether the body
   * was raised at any fix of it.
   */
  async stops(spans: readonly TerminalSpan[], minStopS: number): Promise<ReplayStop[]> {
    if (spans.length === 0) return [];
    const { rows } = await this.analytic('read', (db) => db.query<{
      started_at: Date; ended_at: Date; lat: number; lon: number; raised: boolean; ignition: boolean | null;
      ds_id: string | null; ds_name: string | null; ds_status: string | null; cs_id: string | null; cs_name: string | null; town_name: string | null;
    }>(
      `WITH ${SPANS_CTE},
       fx AS (
         SELECT p.fix_time, p.geom, p.body, p.ignition, p.speed_kmh < $4 AS still,
                row_number() OVER (ORDER BY p.fix_time) AS rn
           FROM spans JOIN positions p ON p.terminal_id = spans.terminal_id AND p.fix_time >= spans.span_from AND p.fix_time <= spans.span_to
          WHERE p.valid),
       islands AS (SELECT fx.*, rn - row_number() OVER (PARTITION BY still ORDER BY fix_time) AS grp FROM fx),
       stops AS (
         SELECT min(fix_time) AS started_at, max(fix_time) AS ended_at, bool_or(body = 'raised') AS raised,
                bool_or(ignition) AS ignition, ST_Centroid(ST_Collect(geom)) AS geom
           FROM islands WHERE still GROUP BY grp
         HAVING max(fix_time) - min(fix_time) >= make_interval(secs => $5))
       SELECT s.started_at, s.ended_at, ST_Y(s.geom) AS lat, ST_X(s.geom) AS lon, s.raised, s.ignition,
              ds.id::text AS ds_id, ds.name AS ds_name, ds.status AS ds_status, cs.id::text AS cs_id, cs.name AS cs_name, tw.name AS town_name
         FROM stops s
         LEFT JOIN LATERAL (SELECT id, name, status FROM disposal_sites d WHERE ST_Covers(d.geom, s.geom)
                             ORDER BY (status = 'licensed') DESC LIMIT 1) ds ON true
         LEFT JOIN LATERAL (SELECT id, name FROM construction_sites c WHERE ST_Covers(c.geom, s.geom) LIMIT 1) cs ON true
         LEFT JOIN LATERAL (SELECT name FROM towns t WHERE ST_Covers(t.geom, s.geom) LIMIT 1) tw ON true
        ORDER BY s.started_at
        LIMIT 5000`,
      [...spanParams(spans), REPLAY_LIMITS.movingKmh, minStopS],
    ));
    return rows.map((r) => {
      const place: ReplayPlace | null = r.ds_id
        ? { kind: 'disposal_site', id: r.ds_id, name: r.ds_name ?? '', status: r.ds_status }
        : r.cs_id
          ? { kind: 'construction_site', id: r.cs_id, name: r.cs_name ?? '' }
          : null;
      const licensedHere = (r.ds_id !== null && r.ds_status === 'licensed') || r.cs_id !== null;
      return {
        startedAt: r.started_at.toISOString(),
        endedAt: r.ended_at.toISOString(),
        durationS: Math.round((r.ended_at.getTime() - r.started_at.getTime()) / 1000),
        lat: r.lat,
        lon: r.lon,
        bodyRaised: r.raised ?? false,
        ignitionOn: r.ignition,
        place,
        townName: r.town_name,
        suspicious: (r.raised ?? false) && !licensedHere,
      };
    });
  }

  /**
   * Geofence entries and exits (disposal sites, construction sites, towns): the valid fixes inside
   * each fence form islands of consecutive fixes; an island's first fix is an entry (unless the
   * period starts inside) and the fix after its last one an exit (unless the period ends inside).
   */
  async fences(spans: readonly TerminalSpan[]): Promise<ReplayFenceMark[]> {
    if (spans.length === 0) return [];
    const { rows } = await this.analytic('read', (db) => db.query<{
      kind: ReplayPlace['kind']; id: string; name: string; status: string | null; mark: 'enter' | 'exit'; at: Date; lat: number; lon: number;
    }>(
      `WITH ${SPANS_CTE},
       fx AS (
         SELECT p.fix_time, p.geom, row_number() OVER (ORDER BY p.fix_time) AS rn
           FROM spans JOIN positions p ON p.terminal_id = spans.terminal_id AND p.fix_time >= spans.span_from AND p.fix_time <= spans.span_to
          WHERE p.valid),
       ext AS (SELECT ST_Extent(geom)::geometry AS box, max(rn) AS last_rn FROM fx),
       fences AS (
         SELECT 'disposal_site' AS kind, d.id::text AS id, d.name, d.status, d.geom FROM disposal_sites d, ext WHERE d.geom && ext.box
         UNION ALL
         SELECT 'construction_site', c.id::text, c.name, NULL, c.geom FROM construction_sites c, ext WHERE c.geom && ext.box
         UNION ALL
         SELECT 'town', t.code, t.name, NULL, t.geom FROM towns t, ext WHERE t.geom && ext.box),
       hits AS (
         SELECT f.kind, f.id, f.name, f.status, fx.rn, fx.rn - row_number() OVER (PARTITION BY f.kind, f.id ORDER BY fx.rn) AS grp
           FROM fences f JOIN fx ON ST_Covers(f.geom, fx.geom)),
       spells AS (SELECT kind, id, name, status, min(rn) AS first_rn, max(rn) AS last_rn FROM hits GROUP BY kind, id, name, status, grp)
       SELECT s.kind, s.id, s.name, s.status, m.mark, fx.fix_time AS at, ST_Y(fx.geom) AS lat, ST_X(fx.geom) AS lon
         FROM spells s, ext,
              LATERAL (VALUES ('enter', CASE WHEN s.first_rn > 1 THEN s.first_rn END),
                              ('exit', CASE WHEN s.last_rn < ext.last_rn THEN s.last_rn + 1 END)) AS m(mark, rn)
         JOIN fx ON fx.rn = m.rn
        ORDER BY fx.fix_time, m.mark DESC
        LIMIT 20000`,
      spanParams(spans),
    ));
    return rows.map((r) => ({
      kind: r.mark,
      at: r.at.toISOString(),
      lat: r.lat,
      lon: r.lon,
      place: { kind: r.kind, id: r.id, name: r.name, ...(r.kind === 'disposal_site' ? { status: r.status } : {}) },
    }));
  }
}
