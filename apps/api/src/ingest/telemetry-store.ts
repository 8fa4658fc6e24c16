import type { Pool } from 'pg';
import type { PositionPartitions } from '../positions/position-partitions.js';
import type { PositionRow, RejectionRow } from './telemetry-message.js';

export interface LivenessRow {
  terminalId: string;
  liveness: 'online' | 'offline';
  changedAtMs: number;
}

/** What one broker message turned into; the unit of a group commit. */
export interface IngestItem {
  positions: PositionRow[];
  rejections: RejectionRow[];
  liveness: LivenessRow[];
}

/** A terminal's latest position after a commit moved it forward. */
export type AdvancedPosition = Pick<
  PositionRow,
  | 'terminalId' | 'fixTimeMs' | 'receivedAtMs' | 'lat' | 'lon' | 'speedKmh' | 'headingDeg' | 'ignition'
  | 'cover' | 'body' | 'load' | 'loadT' | 'sensors' | 'control'
>;

export interface CommitResult {
  stored: number;
  duplicates: number;
  rejected: number;
  advanced: AdvancedPosition[];
  liveness: LivenessRow[];
}

const json = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));
const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Writes a batch in one transaction: positions (idempotent on terminal + fix time), each
 * terminal's latest trusted position (forward in fix time only), rejections and liveness.
 * All four go in ONE statement of data-modifying CTEs over arrays (UNNEST): one round trip per
 * commit, never a row per INSERT.
 */
export class TelemetryStore {
  constructor(
    private readonly pool: Pool,
    private readonly partitions: PositionPartitions,
  ) {}

  async commit(items: IngestItem[]): Promise<CommitResult> {
    const positions = items.flatMap((item) => item.positions);
    const rejections = items.flatMap((item) => item.rejections);
    const liveness = latestLiveness(items.flatMap((item) => item.liveness));
    const latest = latestTrustedPerTerminal(positions);
    await this.partitions.ensureFor(this.pool, positions.map((p) => p.fixTimeMs));
    // One statement, one round trip, one implicit transaction: data-modifying CTEs all run
    // whether or not the final SELECT reads them.
    const { rows } = await this.pool.query<{ stored: number; advanced: string[] | null }>(COMMIT_SQL, [
      ...positionColumns(positions),
      ...latestColumns(latest),
      ...rejectionColumns(rejections),
      liveness.map((l) => l.terminalId),
      liveness.map((l) => l.liveness),
      liveness.map((l) => iso(l.changedAtMs)),
    ]);
    const stored = rows[0]?.stored ?? 0;
    const moved = new Set(rows[0]?.advanced ?? []);
    return {
      stored,
      duplicates: positions.length - stored,
      rejected: rejections.length,
      advanced: latest.filter((p) => moved.has(p.terminalId)),
      liveness,
    };
  }
}

const COMMIT_SQL = `
  WITH stored AS (
    INSERT INTO positions (terminal_id, fix_time, received_at, geom, speed_kmh, heading_deg, altitude_m,
      satellites, hdop, valid, ignition, mileage_km, seq, cover, body, load, load_t, sensors, control, extra, quality)
    SELECT t, ft, ra, ST_SetSRID(ST_MakePoint(lon, lat), 4326), sp, hd, alt, sat, hdop, va, ig, mi, sq,
           cv, bd, ld, lt, se::jsonb, co::jsonb, ex::jsonb, string_to_array(qu, ',')
      FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::float8[], $5::float8[], $6::real[],
                  $7::real[], $8::real[], $9::smallint[], $10::real[], $11::boolean[], $12::boolean[],
                  $13::float8[], $14::bigint[], $15::text[], $16::text[], $17::text[], $18::real[],
                  $19::text[], $20::text[], $21::text[], $22::text[])
        AS u(t, ft, ra, lon, lat, sp, hd, alt, sat, hdop, va, ig, mi, sq, cv, bd, ld, lt, se, co, ex, qu)
    ON CONFLICT (terminal_id, fix_time) DO NOTHING
    RETURNING 1
  ), advanced AS (
    INSERT INTO latest_positions AS l (terminal_id, fix_time, received_at, geom, speed_kmh, heading_deg,
      ignition, cover, body, load, load_t, sensors, control)
    SELECT t, ft, ra, ST_SetSRID(ST_MakePoint(lon, lat), 4326), sp, hd, ig, cv, bd, ld, lt, se::jsonb, co::jsonb
      FROM unnest($23::text[], $24::timestamptz[], $25::timestamptz[], $26::float8[], $27::float8[], $28::real[],
                  $29::real[], $30::boolean[], $31::text[], $32::text[], $33::text[], $34::real[], $35::text[], $36::text[])
        AS u(t, ft, ra, lon, lat, sp, hd, ig, cv, bd, ld, lt, se, co)
    ON CONFLICT (terminal_id) DO UPDATE SET
      fix_time = EXCLUDED.fix_time, received_at = EXCLUDED.received_at, geom = EXCLUDED.geom,
      speed_kmh = EXCLUDED.speed_kmh, heading_deg = EXCLUDED.heading_deg, ignition = EXCLUDED.ignition,
      cover = EXCLUDED.cover, body = EXCLUDED.body, load = EXCLUDED.load, load_t = EXCLUDED.load_t,
      sensors = EXCLUDED.sensors, control = EXCLUDED.control
    WHERE l.fix_time < EXCLUDED.fix_time
    RETURNING terminal_id
  ), rejected AS (
    INSERT INTO rejections (received_at, terminal_id, topic, reason, detail, fix_index, payload, payload_truncated)
    SELECT * FROM unnest($37::timestamptz[], $38::text[], $39::text[], $40::text[], $41::text[], $42::int[],
                         $43::text[], $44::boolean[])
  ), liveness AS (
    INSERT INTO terminal_liveness AS l (terminal_id, liveness, changed_at)
    SELECT * FROM unnest($45::text[], $46::text[], $47::timestamptz[])
    ON CONFLICT (terminal_id) DO UPDATE SET liveness = EXCLUDED.liveness, changed_at = EXCLUDED.changed_at
    WHERE l.changed_at <= EXCLUDED.changed_at
  )
  SELECT (SELECT count(*)::int FROM stored) AS stored, (SELECT array_agg(terminal_id) FROM advanced) AS advanced`;

/** The 22 column arrays of the positions insert, built in one pass. */
function positionColumns(positions: PositionRow[]): unknown[][] {
  const columns: unknown[][] = Array.from({ length: 22 }, () => new Array<unknown>(positions.length));
  positions.forEach((p, i) => {
    const values = [
      p.terminalId, iso(p.fixTimeMs), iso(p.receivedAtMs), p.lon, p.lat, p.speedKmh, p.headingDeg, p.altitudeM,
      p.satellites, p.hdop, p.valid, p.ignition, p.mileageKm, p.seq, p.cover, p.body, p.load, p.loadT,
      json(p.sensors), json(p.control), json(p.extra), p.quality.join(','),
    ];
    values.forEach((value, c) => (columns[c]![i] = value));
  });
  return columns;
}

function latestColumns(latest: PositionRow[]): unknown[][] {
  const columns: unknown[][] = Array.from({ length: 14 }, () => new Array<unknown>(latest.length));
  latest.forEach((p, i) => {
    const values = [
      p.terminalId, iso(p.fixTimeMs), iso(p.receivedAtMs), p.lon, p.lat, p.speedKmh, p.headingDeg, p.ignition,
      p.cover, p.body, p.load, p.loadT, json(p.sensors), json(p.control),
    ];
    values.forEach((value, c) => (columns[c]![i] = value));
  });
  return columns;
}

function rejectionColumns(rejections: RejectionRow[]): unknown[][] {
  return [
    rejections.map((r) => iso(r.receivedAtMs)),
    rejections.map((r) => r.terminalId),
    rejections.map((r) => r.topic),
    rejections.map((r) => r.reason),
    rejections.map((r) => r.detail),
    rejections.map((r) => r.fixIndex),
    // PostgreSQL text cannot hold NUL; keep it visible as an escape.
    rejections.map((r) => r.payload.replaceAll('\u0000', '\\u0000')),
    rejections.map((r) => r.payloadTruncated),
  ];
}

/** The newest unflagged fix of each terminal in the batch (flagged fixes never become "latest"). */
export function latestTrustedPerTerminal(positions: PositionRow[]): PositionRow[] {
  const latest = new Map<string, PositionRow>();
  for (const p of positions) {
    if (p.quality.length > 0) continue;
    const current = latest.get(p.terminalId);
    if (!current || p.fixTimeMs > current.fixTimeMs) latest.set(p.terminalId, p);
  }
  return [...latest.values()];
}

function latestLiveness(rows: LivenessRow[]): LivenessRow[] {
  const latest = new Map<string, LivenessRow>();
  for (const row of rows) {
    const current = latest.get(row.terminalId);
    if (!current || row.changedAtMs >= current.changedAtMs) latest.set(row.terminalId, row);
  }
  return [...latest.values()];
}
