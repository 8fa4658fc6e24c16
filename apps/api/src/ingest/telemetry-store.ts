import type { Pool } from 'pg';
import { JsonRows } from '../database/json-rows.js';
import type { PositionPartitions } from '../positions/position-partitions.js';
import type { MessageOrigin, PositionRow, RejectionRow } from './telemetry-message.js';

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
  /**
   * Where the message came from, for the record of a message the store refuses (its rows are
   * the record of what it said: the payload itself is not held until the commit).
   */
  message: MessageOrigin;
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

/** Each table's rows travel as one JSON parameter (see JsonRows). */
const POSITIONS = new JsonRows<PositionRow>({
  terminalId: 'text', source: 'text', fixTimeMs: 'ms', receivedAtMs: 'ms', lon: 'float8', lat: 'float8', speedKmh: 'real',
  headingDeg: 'real', altitudeM: 'real', satellites: 'smallint', hdop: 'real', valid: 'boolean', ignition: 'boolean',
  mileageKm: 'float8', seq: 'bigint', cover: 'text', body: 'text', load: 'text', loadT: 'real', sensors: 'jsonb',
  control: 'jsonb', extra: 'jsonb', quality: 'text[]',
});
const REJECTIONS = new JsonRows<RejectionRow>({
  receivedAtMs: 'ms', source: 'text', terminalId: 'text', topic: 'text', reason: 'text', detail: 'text', fixIndex: 'int',
  payload: 'text', payloadTruncated: 'boolean',
});
const LIVENESS = new JsonRows<LivenessRow>({ terminalId: 'text', liveness: 'text', changedAtMs: 'ms' });

/**
 * Writes a batch in one transaction: positions (idempotent on terminal + fix time), each
 * terminal's latest trusted position (forward in fix time only), rejections and liveness.
 * All four go in ONE statement of data-modifying CTEs, each table's rows as one parameter: one
 * round trip per commit, never a row per INSERT.
 */
export class TelemetryStore {
  constructor(
    private readonly pool: Pool,
    private readonly partitions: PositionPartitions,
  ) {}

  async commit(items: IngestItem[]): Promise<CommitResult> {
    const positions = items.flatMap((item) => item.positions);
    const rejections = items.flatMap((item) => item.rejections).map(storableRejection);
    const liveness = latestLiveness(items.flatMap((item) => item.liveness));
    const newest = newestTrustedPerTerminal(positions);
    await this.partitions.ensureFor(this.pool, positions.map((p) => p.fixTimeMs));
    // One statement, one round trip, one implicit transaction: data-modifying CTEs all run
    // whether or not the final SELECT reads them.
    const { rows } = await this.pool.query<{ stored: number; advanced: string[] | null }>(COMMIT_SQL, [
      POSITIONS.encode(positions),
      newest.map((i) => i + 1),
      REJECTIONS.encode(rejections),
      LIVENESS.encode(liveness),
    ]);
    const stored = rows[0]?.stored ?? 0;
    const moved = new Set(rows[0]?.advanced ?? []);
    return {
      stored,
      duplicates: positions.length - stored,
      rejected: rejections.length,
      advanced: newest.map((i) => positions[i]!).filter((p) => moved.has(p.terminalId)),
      liveness,
    };
  }
}

const COMMIT_SQL = `
  WITH batch AS MATERIALIZED (
    SELECT ${POSITIONS.columns()}, n FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS b(e, n)
  ), stored AS (
    INSERT INTO positions (terminal_id, fix_time, received_at, geom, speed_kmh, heading_deg, altitude_m,
      satellites, hdop, valid, ignition, mileage_km, seq, cover, body, load, load_t, sensors, control, extra, quality, source)
    SELECT "terminalId", "fixTimeMs", "receivedAtMs", ST_SetSRID(ST_MakePoint(lon, lat), 4326), "speedKmh",
           "headingDeg", "altitudeM", satellites, hdop, valid, ignition, "mileageKm", seq, cover, body, load,
           "loadT", sensors, control, extra, quality, source
      FROM batch
    ON CONFLICT (terminal_id, fix_time) DO NOTHING
    RETURNING 1
  ), advanced AS (
    -- $2: the batch's row numbers of each terminal's newest trusted fix (newestTrustedPerTerminal).
    INSERT INTO latest_positions AS l (terminal_id, fix_time, received_at, geom, speed_kmh, heading_deg,
      ignition, cover, body, load, load_t, sensors, control)
    SELECT "terminalId", "fixTimeMs", "receivedAtMs", ST_SetSRID(ST_MakePoint(lon, lat), 4326),
           "speedKmh", "headingDeg", ignition, cover, body, load, "loadT", sensors, control
      FROM batch JOIN unnest($2::bigint[]) AS newest (n) USING (n)
    ON CONFLICT (terminal_id) DO UPDATE SET
      fix_time = EXCLUDED.fix_time, received_at = EXCLUDED.received_at, geom = EXCLUDED.geom,
      speed_kmh = EXCLUDED.speed_kmh, heading_deg = EXCLUDED.heading_deg, ignition = EXCLUDED.ignition,
      cover = EXCLUDED.cover, body = EXCLUDED.body, load = EXCLUDED.load, load_t = EXCLUDED.load_t,
      sensors = EXCLUDED.sensors, control = EXCLUDED.control
    WHERE l.fix_time < EXCLUDED.fix_time
    RETURNING terminal_id
  ), rejected AS (
    INSERT INTO rejections (received_at, source, terminal_id, topic, reason, detail, fix_index, payload, payload_truncated)
    SELECT ${REJECTIONS.columns()} FROM jsonb_array_elements($3::jsonb) AS e
  ), liveness AS (
    INSERT INTO terminal_liveness AS l (terminal_id, liveness, changed_at)
    SELECT ${LIVENESS.columns()} FROM jsonb_array_elements($4::jsonb) AS e
    ON CONFLICT (terminal_id) DO UPDATE SET liveness = EXCLUDED.liveness, changed_at = EXCLUDED.changed_at
    WHERE l.changed_at <= EXCLUDED.changed_at
  )
  SELECT (SELECT count(*)::int FROM stored) AS stored, (SELECT array_agg(terminal_id) FROM advanced) AS advanced`;

/**
 * PostgreSQL text and jsonb hold neither U+0000 nor lone surrogates, and a refused message may
 * carry anything: keep U+0000 visible as an escape and make the rest well-formed rather than fail
 * the batch.
 */
function storableRejection(row: RejectionRow): RejectionRow {
  const clean = (text: string): string => text.toWellFormed().replaceAll('\u0000', '\\u0000');
  return {
    ...row,
    terminalId: row.terminalId === null ? null : clean(row.terminalId),
    topic: clean(row.topic),
    detail: clean(row.detail),
    payload: clean(row.payload),
  };
}

/**
 * Index of the newest unflagged fix of each terminal in the batch, the first of equal times
 * (flagged fixes never become "latest").
 */
export function newestTrustedPerTerminal(positions: readonly PositionRow[]): number[] {
  const newest = new Map<string, number>();
  positions.forEach((p, i) => {
    if (p.quality.length > 0) return;
    const current = newest.get(p.terminalId);
    if (current === undefined || p.fixTimeMs > positions[current]!.fixTimeMs) newest.set(p.terminalId, i);
  });
  return [...newest.values()];
}

function latestLiveness(rows: LivenessRow[]): LivenessRow[] {
  const latest = new Map<string, LivenessRow>();
  for (const row of rows) {
    const current = latest.get(row.terminalId);
    if (!current || row.changedAtMs >= current.changedAtMs) latest.set(row.terminalId, row);
  }
  return [...latest.values()];
}
