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
export interface AdvancedPosition {
  terminalId: string;
  fixTimeMs: number;
  receivedAtMs: number;
  lat: number;
  lon: number;
  speedKmh: number;
  headingDeg: number;
  ignition: boolean | null;
  cover: string | null;
  body: string | null;
  load: string | null;
  loadT: number | null;
  sensors: PositionRow['sensors'];
  control: PositionRow['control'];
}

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
 * Each table gets one statement over arrays (UNNEST), never a row per INSERT.
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
    const client = await this.pool.connect();
    // A checked-out client whose server goes away emits 'error'; unheard, it would kill the process.
    let broken: Error | undefined;
    const onError = (error: Error): void => {
      broken = error;
    };
    client.on('error', onError);
    try {
      await this.partitions.ensureFor(this.pool, positions.map((p) => p.fixTimeMs));
      await client.query('BEGIN');
      let stored = 0;
      if (positions.length > 0) {
        const result = await client.query(
          `INSERT INTO positions (terminal_id, fix_time, received_at, geom, speed_kmh, heading_deg, altitude_m,
             satellites, hdop, valid, ignition, mileage_km, seq, cover, body, load, load_t, sensors, control, extra, quality)
           SELECT t, ft, ra, ST_SetSRID(ST_MakePoint(lon, lat), 4326), sp, hd, alt, sat, hdop, va, ig, mi, sq,
                  cv, bd, ld, lt, se::jsonb, co::jsonb, ex::jsonb, string_to_array(qu, ',')
             FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::float8[], $5::float8[], $6::real[],
                         $7::real[], $8::real[], $9::smallint[], $10::real[], $11::boolean[], $12::boolean[],
                         $13::float8[], $14::bigint[], $15::text[], $16::text[], $17::text[], $18::real[],
                         $19::text[], $20::text[], $21::text[], $22::text[])
               AS u(t, ft, ra, lon, lat, sp, hd, alt, sat, hdop, va, ig, mi, sq, cv, bd, ld, lt, se, co, ex, qu)
           ON CONFLICT (terminal_id, fix_time) DO NOTHING`,
          [
            positions.map((p) => p.terminalId),
            positions.map((p) => iso(p.fixTimeMs)),
            positions.map((p) => iso(p.receivedAtMs)),
            positions.map((p) => p.lon),
            positions.map((p) => p.lat),
            positions.map((p) => p.speedKmh),
            positions.map((p) => p.headingDeg),
            positions.map((p) => p.altitudeM),
            positions.map((p) => p.satellites),
            positions.map((p) => p.hdop),
            positions.map((p) => p.valid),
            positions.map((p) => p.ignition),
            positions.map((p) => p.mileageKm),
            positions.map((p) => p.seq),
            positions.map((p) => p.cover),
            positions.map((p) => p.body),
            positions.map((p) => p.load),
            positions.map((p) => p.loadT),
            positions.map((p) => json(p.sensors)),
            positions.map((p) => json(p.control)),
            positions.map((p) => json(p.extra)),
            positions.map((p) => p.quality.join(',')),
          ],
        );
        stored = result.rowCount ?? 0;
      }
      let advanced: AdvancedPosition[] = [];
      if (latest.length > 0) {
        const result = await client.query<{ terminal_id: string }>(
          `INSERT INTO latest_positions AS l (terminal_id, fix_time, received_at, geom, speed_kmh, heading_deg,
             ignition, cover, body, load, load_t, sensors, control)
           SELECT t, ft, ra, ST_SetSRID(ST_MakePoint(lon, lat), 4326), sp, hd, ig, cv, bd, ld, lt, se::jsonb, co::jsonb
             FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::float8[], $5::float8[], $6::real[],
                         $7::real[], $8::boolean[], $9::text[], $10::text[], $11::text[], $12::real[], $13::text[], $14::text[])
               AS u(t, ft, ra, lon, lat, sp, hd, ig, cv, bd, ld, lt, se, co)
           ON CONFLICT (terminal_id) DO UPDATE SET
             fix_time = EXCLUDED.fix_time, received_at = EXCLUDED.received_at, geom = EXCLUDED.geom,
             speed_kmh = EXCLUDED.speed_kmh, heading_deg = EXCLUDED.heading_deg, ignition = EXCLUDED.ignition,
             cover = EXCLUDED.cover, body = EXCLUDED.body, load = EXCLUDED.load, load_t = EXCLUDED.load_t,
             sensors = EXCLUDED.sensors, control = EXCLUDED.control
           WHERE l.fix_time < EXCLUDED.fix_time
           RETURNING terminal_id`,
          [
            latest.map((p) => p.terminalId),
            latest.map((p) => iso(p.fixTimeMs)),
            latest.map((p) => iso(p.receivedAtMs)),
            latest.map((p) => p.lon),
            latest.map((p) => p.lat),
            latest.map((p) => p.speedKmh),
            latest.map((p) => p.headingDeg),
            latest.map((p) => p.ignition),
            latest.map((p) => p.cover),
            latest.map((p) => p.body),
            latest.map((p) => p.load),
            latest.map((p) => p.loadT),
            latest.map((p) => json(p.sensors)),
            latest.map((p) => json(p.control)),
          ],
        );
        const moved = new Set(result.rows.map((row) => row.terminal_id));
        advanced = latest.filter((p) => moved.has(p.terminalId)).map(toAdvanced);
      }
      if (rejections.length > 0) {
        await client.query(
          `INSERT INTO rejections (received_at, terminal_id, topic, reason, detail, fix_index, payload, payload_truncated)
           SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[],
                                $7::text[], $8::boolean[])`,
          [
            rejections.map((r) => iso(r.receivedAtMs)),
            rejections.map((r) => r.terminalId),
            rejections.map((r) => r.topic),
            rejections.map((r) => r.reason),
            rejections.map((r) => r.detail),
            rejections.map((r) => r.fixIndex),
            rejections.map((r) => r.payload.replaceAll('\u0000', '\\u0000')),
            rejections.map((r) => r.payloadTruncated),
          ],
        );
      }
      if (liveness.length > 0) {
        await client.query(
          `INSERT INTO terminal_liveness AS l (terminal_id, liveness, changed_at)
           SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[])
           ON CONFLICT (terminal_id) DO UPDATE SET liveness = EXCLUDED.liveness, changed_at = EXCLUDED.changed_at
           WHERE l.changed_at <= EXCLUDED.changed_at`,
          [liveness.map((l) => l.terminalId), liveness.map((l) => l.liveness), liveness.map((l) => iso(l.changedAtMs))],
        );
      }
      await client.query('COMMIT');
      return { stored, duplicates: positions.length - stored, rejected: rejections.length, advanced, liveness };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }
}

function toAdvanced(p: PositionRow): AdvancedPosition {
  return {
    terminalId: p.terminalId,
    fixTimeMs: p.fixTimeMs,
    receivedAtMs: p.receivedAtMs,
    lat: p.lat,
    lon: p.lon,
    speedKmh: p.speedKmh,
    headingDeg: p.headingDeg,
    ignition: p.ignition,
    cover: p.cover,
    body: p.body,
    load: p.load,
    loadT: p.loadT,
    sensors: p.sensors,
    control: p.control,
  };
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
