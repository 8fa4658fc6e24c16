import type pg from 'pg';
import { inTransaction } from '../database/transaction.js';
import type { ComplianceFix, Trip, TruckComplianceState, ViolationEpisode } from '@muckwatch/domain';
import type { PositionRow } from '../ingest/telemetry-message.js';
import { type ComplianceWrite, type FixLike, toComplianceFix } from './compliance-write.js';

const iso = (ms: number): string => new Date(ms).toISOString();

/** A stored fix (positions row) as the engine reads it. */
interface FixRow {
  terminal_id: string;
  fix_ms: string;
  received_ms: string;
  lon: number;
  lat: number;
  speed_kmh: number;
  valid: boolean;
  ignition: boolean | null;
  cover: string | null;
  body: string | null;
  load: string | null;
  load_t: number | null;
  sensors: PositionRow['sensors'];
}

/**
 * Trips, violations and checkpoints in PostgreSQL: each write is one transaction of a few
 * array statements (UNNEST), never a statement per event.
 */
/** A positions row (alias `p`) as the engine reads it: FixRow's columns. */
const FIX_COLUMNS = `p.terminal_id, (extract(epoch FROM p.fix_time) * 1000)::bigint AS fix_ms,
       (extract(epoch FROM p.received_at) * 1000)::bigint AS received_ms,
       ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat, p.speed_kmh, p.valid, p.ignition, p.cover, p.body, p.load, p.load_t, p.sensors`;

function fixOf(r: FixRow): FixLike {
  return {
    terminalId: r.terminal_id,
    fixTimeMs: Number(r.fix_ms),
    receivedAtMs: Number(r.received_ms),
    lat: r.lat,
    lon: r.lon,
    speedKmh: r.speed_kmh,
    valid: r.valid,
    ignition: r.ignition,
    cover: r.cover,
    body: r.body,
    load: r.load,
    loadT: r.load_t,
    sensors: r.sensors,
  };
}

export class ComplianceStore {
  constructor(private readonly pool: pg.Pool) {}

  /** Stored fixes of a terminal after a fix time, in fix-time order. */
  async fixesAfter(terminalId: string, afterMs: number): Promise<ComplianceFix[]> {
    const { rows } = await this.pool.query<FixRow>(
      `SELECT ${FIX_COLUMNS} FROM positions p WHERE p.terminal_id = $1 AND p.fix_time > $2 ORDER BY p.fix_time`,
      [terminalId, iso(afterMs)],
    );
    return rows.map((r) => toComplianceFix(fixOf(r)));
  }

  /** Stored fixes of terminals within spans of fix time (both ends included), as committed rows. */
  async fixesBetween(spans: ReadonlyArray<readonly [terminalId: string, fromMs: number, toMs: number]>): Promise<FixLike[]> {
    if (spans.length === 0) return [];
    const { rows } = await this.pool.query<FixRow>(
      `SELECT ${FIX_COLUMNS}
         FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) AS s(t, a, b)
         JOIN positions p ON p.terminal_id = s.t AND p.fix_time BETWEEN s.a AND s.b
        ORDER BY p.terminal_id, p.fix_time`,
      [spans.map((s) => s[0]), spans.map((s) => iso(s[1])), spans.map((s) => iso(s[2]))],
    );
    return rows.map(fixOf);
  }

  /** The newest checkpoint of every terminal. */
  async latestCheckpoints(): Promise<TruckComplianceState[]> {
    const { rows } = await this.pool.query<{ state: TruckComplianceState }>(
      `SELECT DISTINCT ON (terminal_id) state FROM compliance_checkpoints ORDER BY terminal_id, last_fix_time DESC`,
    );
    return rows.map((r) => r.state);
  }

  /** The newest checkpoint of a terminal strictly before a fix time. */
  async checkpointBefore(terminalId: string, beforeMs: number): Promise<TruckComplianceState | null> {
    const { rows } = await this.pool.query<{ state: TruckComplianceState }>(
      `SELECT state FROM compliance_checkpoints WHERE terminal_id = $1 AND last_fix_time < $2
        ORDER BY last_fix_time DESC LIMIT 1`,
      [terminalId, iso(beforeMs)],
    );
    return rows[0]?.state ?? null;
  }

  /** Terminals with a trusted fix and the time of their newest one. */
  async terminalsWithFixes(): Promise<Array<{ terminalId: string; lastFixMs: number }>> {
    const { rows } = await this.pool.query<{ terminal_id: string; ms: string }>(
      `SELECT terminal_id, (extract(epoch FROM fix_time) * 1000)::bigint AS ms FROM latest_positions`,
    );
    return rows.map((r) => ({ terminalId: r.terminal_id, lastFixMs: Number(r.ms) }));
  }

  /**
   * Ids (and violation status) of the trips and episodes of terminals that started after a time,
   * per terminal (a rebuild's batch, or one terminal's replay). Terminals with nothing stored are absent.
   */
  async storedSinceEach(spans: ReadonlyArray<readonly [terminalId: string, afterMs: number]>): Promise<Map<string, Map<string, 'open' | 'closed' | 'trip'>>> {
    type Ids = Map<string, 'open' | 'closed' | 'trip'>;
    const byTerminal = new Map<string, Ids>();
    if (spans.length === 0) return byTerminal;
    const { rows } = await this.pool.query<{ terminal_id: string; id: string; status: 'open' | 'closed' | 'trip' }>(
      `SELECT t.terminal_id, t.id, 'trip' AS status
         FROM unnest($1::text[], $2::timestamptz[]) AS s(tid, after) JOIN trips t ON t.terminal_id = s.tid AND t.started_at > s.after
       UNION ALL
       SELECT v.terminal_id, v.id, v.status
         FROM unnest($1::text[], $2::timestamptz[]) AS s(tid, after) JOIN violations v ON v.terminal_id = s.tid AND v.started_at > s.after`,
      [spans.map((s) => s[0]), spans.map((s) => iso(s[1]))],
    );
    for (const r of rows) {
      let ids = byTerminal.get(r.terminal_id);
      if (!ids) byTerminal.set(r.terminal_id, (ids = new Map() as Ids));
      ids.set(r.id, r.status);
    }
    return byTerminal;
  }

  /** Of these terminals, those with a stored fix at or before their time. */
  async fixesAtOrBefore(spans: ReadonlyArray<readonly [terminalId: string, atMs: number]>): Promise<Set<string>> {
    if (spans.length === 0) return new Set();
    const { rows } = await this.pool.query<{ tid: string }>(
      `SELECT s.tid FROM unnest($1::text[], $2::timestamptz[]) AS s(tid, at)
        WHERE EXISTS (SELECT 1 FROM positions p WHERE p.terminal_id = s.tid AND p.fix_time <= s.at)`,
      [spans.map((s) => s[0]), spans.map((s) => iso(s[1]))],
    );
    return new Set(rows.map((r) => r.tid));
  }

  /**
   * Open episodes as stored, by id: those a rebuild retracts, read before its write deletes them so
   * consoles can be told. Worked cases (version > 1) are kept by the write, so not listed.
   */
  async openEpisodes(ids: readonly string[]): Promise<ViolationEpisode[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.pool.query<EpisodeRow>(
      `SELECT id, type, severity, terminal_id, truck_id::text AS truck_id, plate, trip_id, approval_id::text AS approval_id, subject_id,
              (extract(epoch FROM started_at) * 1000)::bigint AS start_ms, ST_X(start_geom) AS lon, ST_Y(start_geom) AS lat,
              town_code, params, reasons, peak, reported_late, evidence, evidence_thinned
         FROM violations WHERE id = ANY($1::text[]) AND status = 'open' AND version = 1`,
      [ids],
    );
    return rows.map((r) => ({
      id: r.id,
      type: r.type,
      severity: r.severity,
      terminalId: r.terminal_id,
      truckId: r.truck_id,
      plate: r.plate,
      tripId: r.trip_id,
      approvalId: r.approval_id,
      subjectId: r.subject_id,
      start: { atMs: Number(r.start_ms), lon: r.lon, lat: r.lat },
      end: null,
      townCode: r.town_code,
      reasons: r.reasons,
      parameters: r.params,
      peak: r.peak,
      evidence: r.evidence,
      evidenceThinned: r.evidence_thinned,
      reportedLate: r.reported_late,
    }));
  }

  /**
   * One transaction: upserts trips and episodes (dispatchers' assignment and note are kept),
   * deletes superseded and retracted ids, saves checkpoints, and drops checkpoints a replay made
   * stale (`staleAfter`: terminal → fix time of the late fix).
   */
  async write(w: ComplianceWrite, staleAfter: ReadonlyMap<string, number> = new Map()): Promise<void> {
    if (w.trips.size + w.violations.size + w.deleted.size + w.checkpoints.length + staleAfter.size === 0) return;
    await inTransaction(this.pool, async (client) => {
      if (staleAfter.size > 0) {
        await client.query(
          `DELETE FROM compliance_checkpoints c USING unnest($1::text[], $2::timestamptz[]) AS s(t, ft)
            WHERE c.terminal_id = s.t AND c.last_fix_time >= s.ft`,
          [[...staleAfter.keys()], [...staleAfter.values()].map(iso)],
        );
      }
      if (w.deleted.size > 0) {
        const ids = [...w.deleted];
        // A case people have already worked (version > 1: a transition or comment) is their record
        // and stays; an untouched one goes with the episode the replay no longer produces.
        await client.query(`DELETE FROM violations WHERE id = ANY($1::text[]) AND version = 1`, [ids]);
        await client.query(`DELETE FROM trips WHERE id = ANY($1::text[])`, [ids]);
      }
      if (w.trips.size > 0) await client.query(UPSERT_TRIPS, tripColumns([...w.trips.values()]));
      if (w.violations.size > 0) await client.query(UPSERT_VIOLATIONS, violationColumns([...w.violations.values()]));
      if (w.checkpoints.length > 0) {
        const cps = w.checkpoints.filter((s) => s.lastFixTimeMs !== null);
        await client.query(
          `INSERT INTO compliance_checkpoints (terminal_id, last_fix_time, state)
           SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::jsonb[])
           ON CONFLICT (terminal_id, last_fix_time) DO UPDATE SET state = EXCLUDED.state, saved_at = now()`,
          [cps.map((s) => s.terminalId), cps.map((s) => iso(s.lastFixTimeMs ?? 0)), cps.map((s) => JSON.stringify(s))],
        );
      }
    });
  }

  /**
   * Thins checkpoints: the newest of each terminal, one per hour for two days, one per day up to
   * the oldest fix ingest accepts; older ones go.
   */
  async pruneCheckpoints(maxAgeHours: number): Promise<void> {
    await this.pool.query(
      `DELETE FROM compliance_checkpoints c USING (
         SELECT terminal_id, last_fix_time,
                row_number() OVER (PARTITION BY terminal_id ORDER BY last_fix_time DESC) AS newest,
                row_number() OVER (PARTITION BY terminal_id,
                  CASE WHEN last_fix_time > now() - interval '2 days' THEN date_trunc('hour', last_fix_time)
                       ELSE date_trunc('day', last_fix_time) END ORDER BY last_fix_time DESC) AS in_bucket
           FROM compliance_checkpoints) k
        WHERE c.terminal_id = k.terminal_id AND c.last_fix_time = k.last_fix_time AND k.newest > 1
          AND (k.in_bucket > 1 OR c.last_fix_time < now() - make_interval(hours => $1))`,
      [maxAgeHours],
    );
  }
}

const UPSERT_TRIPS = `
  INSERT INTO trips AS t (id, terminal_id, truck_id, plate, approval_id, approval_number, origin_id, origin_kind, origin_name,
    destination_id, destination_name, started_at, start_geom, ended_at, end_geom, town_code, distance_m, status, reasons, reported_late)
  SELECT id, tid, truck::uuid, plate, appr::uuid, apprno, orig::uuid, okind, oname, dest::uuid, dname, sa,
         ST_SetSRID(ST_MakePoint(slon, slat), 4326), ea,
         CASE WHEN ea IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(elon, elat), 4326) END,
         town, dist, status, reasons::jsonb, late
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                $10::text[], $11::text[], $12::timestamptz[], $13::float8[], $14::float8[], $15::timestamptz[], $16::float8[],
                $17::float8[], $18::text[], $19::float8[], $20::text[], $21::text[], $22::boolean[])
      AS u(id, tid, truck, plate, appr, apprno, orig, okind, oname, dest, dname, sa, slon, slat, ea, elon, elat, town, dist, status, reasons, late)
  ON CONFLICT (id) DO UPDATE SET
    truck_id = EXCLUDED.truck_id, plate = EXCLUDED.plate, approval_id = EXCLUDED.approval_id,
    approval_number = EXCLUDED.approval_number, origin_id = EXCLUDED.origin_id, origin_kind = EXCLUDED.origin_kind,
    origin_name = EXCLUDED.origin_name, destination_id = EXCLUDED.destination_id, destination_name = EXCLUDED.destination_name,
    ended_at = EXCLUDED.ended_at, end_geom = EXCLUDED.end_geom, town_code = EXCLUDED.town_code,
    distance_m = EXCLUDED.distance_m, status = EXCLUDED.status, reasons = EXCLUDED.reasons,
    reported_late = EXCLUDED.reported_late, updated_at = now()`;

function tripColumns(trips: Trip[]): unknown[] {
  return [
    trips.map((t) => t.id),
    trips.map((t) => t.terminalId),
    trips.map((t) => t.truckId),
    trips.map((t) => t.plate),
    trips.map((t) => t.approvalId),
    trips.map((t) => t.approvalNumber),
    trips.map((t) => t.originId),
    trips.map((t) => t.originKind),
    trips.map((t) => t.originName),
    trips.map((t) => t.destinationId),
    trips.map((t) => t.destinationName),
    trips.map((t) => iso(t.start.atMs)),
    trips.map((t) => t.start.lon),
    trips.map((t) => t.start.lat),
    trips.map((t) => (t.end ? iso(t.end.atMs) : null)),
    trips.map((t) => t.end?.lon ?? null),
    trips.map((t) => t.end?.lat ?? null),
    trips.map((t) => t.townCode),
    trips.map((t) => t.distanceM),
    trips.map((t) => t.status),
    trips.map((t) => JSON.stringify(t.reasons)),
    trips.map((t) => t.reportedLate),
  ];
}

const UPSERT_VIOLATIONS = `
  INSERT INTO violations AS v (id, type, severity, status, terminal_id, truck_id, plate, trip_id, approval_id, subject_id,
    started_at, start_geom, ended_at, end_geom, town_code, params, reasons, peak, reported_late, evidence, evidence_thinned, evidence_geom)
  SELECT id, type, sev, CASE WHEN ea IS NULL THEN 'open' ELSE 'closed' END, tid, truck::uuid, plate, trip, appr::uuid, subj,
         sa, ST_SetSRID(ST_MakePoint(slon, slat), 4326), ea,
         CASE WHEN ea IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(elon, elat), 4326) END,
         town, params::jsonb, reasons::jsonb, peak, late, ev::jsonb, thinned,
         CASE WHEN jsonb_array_length(ev::jsonb) < 2 THEN NULL ELSE ST_SetSRID(ST_MakeLine(ARRAY(
           SELECT ST_MakePoint((p->>'lon')::float8, (p->>'lat')::float8) FROM jsonb_array_elements(ev::jsonb) WITH ORDINALITY AS e(p, n) ORDER BY n)), 4326) END
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                $10::timestamptz[], $11::float8[], $12::float8[], $13::timestamptz[], $14::float8[], $15::float8[], $16::text[],
                $17::text[], $18::text[], $19::float8[], $20::boolean[], $21::text[], $22::boolean[])
      AS u(id, type, sev, tid, truck, plate, trip, appr, subj, sa, slon, slat, ea, elon, elat, town, params, reasons, peak, late, ev, thinned)
  ON CONFLICT (id) DO UPDATE SET
    severity = EXCLUDED.severity, status = EXCLUDED.status, truck_id = EXCLUDED.truck_id, plate = EXCLUDED.plate,
    trip_id = EXCLUDED.trip_id, approval_id = EXCLUDED.approval_id, subject_id = EXCLUDED.subject_id,
    ended_at = EXCLUDED.ended_at, end_geom = EXCLUDED.end_geom, town_code = EXCLUDED.town_code, params = EXCLUDED.params,
    reasons = EXCLUDED.reasons, peak = EXCLUDED.peak, reported_late = EXCLUDED.reported_late, evidence = EXCLUDED.evidence,
    evidence_thinned = EXCLUDED.evidence_thinned, evidence_geom = EXCLUDED.evidence_geom, updated_at = now()`;

function violationColumns(vs: ViolationEpisode[]): unknown[] {
  return [
    vs.map((v) => v.id),
    vs.map((v) => v.type),
    vs.map((v) => v.severity),
    vs.map((v) => v.terminalId),
    vs.map((v) => v.truckId),
    vs.map((v) => v.plate),
    vs.map((v) => v.tripId),
    vs.map((v) => v.approvalId),
    vs.map((v) => v.subjectId),
    vs.map((v) => iso(v.start.atMs)),
    vs.map((v) => v.start.lon),
    vs.map((v) => v.start.lat),
    vs.map((v) => (v.end ? iso(v.end.atMs) : null)),
    vs.map((v) => v.end?.lon ?? null),
    vs.map((v) => v.end?.lat ?? null),
    vs.map((v) => v.townCode),
    vs.map((v) => JSON.stringify(v.parameters)),
    vs.map((v) => JSON.stringify(v.reasons)),
    vs.map((v) => v.peak),
    vs.map((v) => v.reportedLate),
    vs.map((v) => JSON.stringify(v.evidence)),
    vs.map((v) => v.evidenceThinned),
  ];
}

interface EpisodeRow {
  id: string;
  type: ViolationEpisode['type'];
  severity: ViolationEpisode['severity'];
  terminal_id: string;
  truck_id: string | null;
  plate: string | null;
  trip_id: string | null;
  approval_id: string | null;
  subject_id: string | null;
  start_ms: string;
  lon: number;
  lat: number;
  town_code: string | null;
  params: ViolationEpisode['parameters'];
  reasons: ViolationEpisode['reasons'];
  peak: number | null;
  reported_late: boolean;
  evidence: ViolationEpisode['evidence'];
  evidence_thinned: boolean;
}
