import type pg from 'pg';
import { addMonths, officeMonthOf, officeMonthRange } from '@muckwatch/contracts';
import { demoAssessmentHistory, type DemoCase, type DemoLedgerEvent, type DemoMonth } from '@muckwatch/linzi';

/** Months of history the demo holds, the current one included. */
export const DEMO_HISTORY_MONTHS = 12;
/** Rows per INSERT: large enough to be quick, small enough for the embedded database's memory. */
const BATCH = 2000;

export interface DemoHistoryCounts {
  trips: number;
  cases: number;
  findings: number;
  piles: number;
  points: number;
  requests: number;
  adjustments: number;
}

/** The office months (Asia/Shanghai) of the history: the current month and the eleven before it, oldest first. */
export function demoHistoryMonths(nowMs: number): DemoMonth[] {
  const current = officeMonthOf(nowMs);
  return Array.from({ length: DEMO_HISTORY_MONTHS }, (_, i) => {
    const month = addMonths(current, i - (DEMO_HISTORY_MONTHS - 1));
    const { from, to } = officeMonthRange(month);
    return { month, fromMs: Date.parse(from), toMs: Date.parse(to) };
  });
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const json = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH) out.push(items.slice(i, i + BATCH));
  return out;
}

/** Column arrays of `rows`, one per accessor, for `unnest`. */
function columns<T>(rows: readonly T[], accessors: ReadonlyArray<(row: T) => unknown>): unknown[] {
  return accessors.map((get) => rows.map(get));
}

/**
 * `npm start` only (the demo, on a demo registry): writes twelve months of history for the monthly
 * assessment (libs/linzi/src/demo/assessment-history.ts) into the real tables — trips, violations
 * with their case fields and timelines, findings, waste piles, collection points and requests with
 * their histories, and the admin's adjustments — so the ranking, its trend and the bulletin are not
 * empty on a fresh demo. No positions: old months are past the positions' retention, and a
 * request's fulfilment is its row's `visit_at`, `fulfilled_at` and `trip_id` (a seeded trip).
 *
 * Idempotent: every record has a deterministic id and is inserted only when absent (a history row
 * only with its new record), so a second run adds nothing; a run in a later month or day adds what
 * has happened since. The demo's construction sites are dated back to the start of the history and
 * a finished one to its approval's end, so the approval rate of item A has the sites each month
 * had. Does nothing without a demo registry.
 * Returns how many records of each kind it wrote.
 */
export async function seedDemoAssessmentHistory(pool: pg.Pool, nowMs: number): Promise<DemoHistoryCounts> {
  const counts: DemoHistoryCounts = { trips: 0, cases: 0, findings: 0, piles: 0, points: 0, requests: 0, adjustments: 0 };
  const months = demoHistoryMonths(nowMs);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ demo: number }>(`SELECT count(*)::int AS demo FROM transport_companies WHERE demo`);
    if ((rows[0]?.demo ?? 0) === 0) {
      await client.query('ROLLBACK');
      return counts;
    }
    // A frozen month's facts are published: nothing is added to them (a demo restarted in a new
    // month finds the last one frozen at boot), only to the open months.
    const frozen = new Set(
      (await client.query<{ month: string }>(`SELECT DISTINCT month FROM ranking_snapshots WHERE month = ANY($1::text[])`, [months.map((m) => m.month)])).rows.map((r) => r.month),
    );
    const open = (ms: number): boolean => !months.some((m) => frozen.has(m.month) && ms >= m.fromMs && ms < m.toMs);
    const all = demoAssessmentHistory(months, nowMs);
    const history = {
      trips: all.trips.filter((t) => open(t.startedAtMs)),
      cases: all.cases.filter((c) => open(c.startedAtMs)),
      findings: all.findings.filter((f) => open(f.foundAtMs)),
      piles: all.piles.filter((p) => open(p.createdAtMs)),
      // A point from before the twelve months counts in all of them: not added once the first is frozen.
      points: all.points.filter((p) => open(Math.max(p.createdAtMs, months[0]!.fromMs))),
      requests: all.requests.filter((q) => open(q.requestedAtMs)),
      adjustments: all.adjustments.filter((a) => !frozen.has(a.month)),
    };
    // The demo's sites existed before the history starts, and a finished one finished when its
    // approval ran out (not when the demo was seeded): item A counts each in the months it was active.
    await client.query(`UPDATE construction_sites SET created_at = $1 WHERE demo AND created_at > $1`, [iso(months[0]!.fromMs - 86_400_000)]);
    await client.query(
      `UPDATE construction_sites s SET updated_at = ((a.valid_to + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
         FROM (SELECT construction_site_id, max(valid_to) AS valid_to FROM disposal_approvals GROUP BY construction_site_id) a
        WHERE s.demo AND s.status = 'finished' AND a.construction_site_id = s.id
          AND s.updated_at > ((a.valid_to + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`,
    );
    counts.trips = await insertTrips(client, history.trips);
    counts.cases = await insertCases(client, history.cases);
    counts.findings = await insertFindings(client, history.findings);
    counts.piles = await insertPiles(client, history.piles);
    counts.points = await insertPoints(client, history.points);
    counts.requests = await insertRequests(client, history.requests);
    counts.adjustments = await insertAdjustments(client, history.adjustments);
    await client.query('COMMIT');
    return counts;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

type Trip = ReturnType<typeof demoAssessmentHistory>['trips'][number];

async function insertTrips(client: pg.PoolClient, trips: readonly Trip[]): Promise<number> {
  let written = 0;
  for (const batch of chunks(trips)) {
    const result = await client.query(
      `INSERT INTO trips (id, terminal_id, truck_id, plate, approval_number, origin_id, origin_kind, origin_name,
         destination_id, destination_name, started_at, start_geom, ended_at, end_geom, town_code, distance_m, status, created_at, updated_at)
       SELECT id, tid, truck::uuid, plate, apprno, orig::uuid, okind, oname, dest::uuid, dname, sa,
              ST_SetSRID(ST_MakePoint(slon, slat), 4326), ea, ST_SetSRID(ST_MakePoint(elon, elat), 4326), town, dist, 'closed', ea, ea
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                     $10::text[], $11::timestamptz[], $12::float8[], $13::float8[], $14::timestamptz[], $15::float8[], $16::float8[],
                     $17::text[], $18::float8[])
           AS u(id, tid, truck, plate, apprno, orig, okind, oname, dest, dname, sa, slon, slat, ea, elon, elat, town, dist)
       ON CONFLICT (id) DO NOTHING`,
      columns(batch, [
        (t) => t.id, (t) => t.terminalId, (t) => t.truckId, (t) => t.plate, (t) => t.approvalNumber, (t) => t.originId,
        (t) => t.originKind, (t) => t.originName, (t) => t.destinationId, (t) => t.destinationName, (t) => iso(t.startedAtMs),
        (t) => t.start[0], (t) => t.start[1], (t) => iso(t.endedAtMs), (t) => t.end[0], (t) => t.end[1], (t) => t.townCode, (t) => t.distanceM,
      ]),
    );
    written += result.rowCount ?? 0;
  }
  return written;
}

async function insertCases(client: pg.PoolClient, cases: readonly DemoCase[]): Promise<number> {
  let written = 0;
  for (const batch of chunks(cases)) {
    const at = (c: DemoCase, action: string): string | null => iso([...c.events].reverse().find((e) => e.action === action)?.atMs ?? null);
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO violations (id, type, severity, status, terminal_id, truck_id, plate, trip_id, started_at, start_geom, ended_at, end_geom,
         town_code, params, reasons, peak, evidence, evidence_geom, case_state, version, department_code, deadline, assigned_at,
         handled_at, closed_at, dismiss_reason, outcome, created_at, updated_at)
       SELECT id, type, severity, 'closed', tid, truck::uuid, plate, trip, sa, ST_SetSRID(ST_MakePoint(slon, slat), 4326), ea,
              ST_SetSRID(ST_MakePoint(elon, elat), 4326), town, params::jsonb, reasons::jsonb, peak, evidence::jsonb,
              ST_SetSRID(ST_GeomFromGeoJSON(line), 4326), state, version, dept, deadline, assigned, handled, closed, dismiss,
              outcome::jsonb, ea, updated
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::float8[],
                     $9::float8[], $10::timestamptz[], $11::float8[], $12::float8[], $13::text[], $14::text[], $15::text[],
                     $16::float8[], $17::text[], $18::text[], $19::text[], $20::int[], $21::text[], $22::timestamptz[],
                     $23::timestamptz[], $24::timestamptz[], $25::timestamptz[], $26::text[], $27::text[], $28::timestamptz[], $29::text[])
           AS u(id, type, severity, tid, truck, plate, sa, slon, slat, ea, elon, elat, town, params, reasons, peak, evidence, line,
                state, version, dept, deadline, assigned, handled, closed, dismiss, outcome, updated, trip)
       ON CONFLICT (id) DO NOTHING
       RETURNING id`,
      columns(batch, [
        (c) => c.id, (c) => c.type, (c) => c.severity, (c) => c.terminalId, (c) => c.truckId, (c) => c.plate, (c) => iso(c.startedAtMs),
        (c) => c.start[0], (c) => c.start[1], (c) => iso(c.endedAtMs), (c) => c.end[0], (c) => c.end[1], (c) => c.townCode,
        (c) => JSON.stringify(c.params), (c) => JSON.stringify(c.reasons), (c) => c.peak, (c) => JSON.stringify(c.evidence),
        (c) => JSON.stringify({ type: 'LineString', coordinates: c.evidence.map((p) => [p.lon, p.lat]) }), (c) => c.caseState,
        (c) => c.events.length + 1, (c) => c.departmentCode, (c) => iso(c.deadlineMs), (c) => at(c, 'assign'), (c) => at(c, 'handle'),
        (c) => (c.caseState === 'closed' ? at(c, 'close') : null), (c) => c.dismissReason, (c) => json(c.outcome),
        (c) => iso(c.events[c.events.length - 1]?.atMs ?? c.endedAtMs), (c) => c.tripId ?? null,
      ]),
    );
    written += rows.length;
    // Timelines only for the cases this run wrote: a case seeded before keeps the one it has.
    const fresh = new Set(rows.map((r) => r.id));
    const events = batch.filter((c) => fresh.has(c.id)).flatMap((c) => c.events.map((e) => ({ id: c.id, e })));
    for (const part of chunks(events)) {
      await client.query(
        `INSERT INTO violation_case_events (violation_id, at, action, from_state, to_state, actor_user_id, actor_username, actor_role,
           comment, dismiss_reason, department_code, deadline, outcome)
         SELECT vid, at, action, from_state, to_state, (SELECT id FROM users WHERE username = actor), actor, role, comment, dismiss,
                dept, deadline, outcome::jsonb
           FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                       $9::text[], $10::text[], $11::timestamptz[], $12::text[])
             WITH ORDINALITY AS u(vid, at, action, from_state, to_state, actor, role, comment, dismiss, dept, deadline, outcome, n)
          ORDER BY n`,
        columns(part, [
          (x) => x.id, (x) => iso(x.e.atMs), (x) => x.e.action, (x) => x.e.fromState, (x) => x.e.toState, (x) => x.e.actorUsername,
          (x) => x.e.actorRole, (x) => x.e.comment, (x) => x.e.dismissReason, (x) => x.e.departmentCode, (x) => iso(x.e.deadlineMs),
          (x) => json(x.e.outcome),
        ]),
      );
    }
  }
  return written;
}

/** History rows of the ledger records this run wrote (`fresh`), in order. */
async function insertLedgerEvents(
  client: pg.PoolClient,
  table: 'waste_pile_events' | 'collection_request_events' | 'finding_events',
  owner: 'pile_id' | 'request_id' | 'finding_id',
  records: ReadonlyArray<{ id: string; events: DemoLedgerEvent[] }>,
  fresh: ReadonlySet<string>,
): Promise<void> {
  const events = records.filter((r) => fresh.has(r.id)).flatMap((r) => r.events.map((e) => ({ id: r.id, e })));
  for (const part of chunks(events)) {
    await client.query(
      `INSERT INTO ${table} (${owner}, at, action, from_status, to_status, actor_user_id, actor_username, actor_role, comment, changed)
       SELECT oid::uuid, at, action, from_status, to_status, (SELECT id FROM users WHERE username = actor), actor, role, comment, changed::jsonb
         FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
           WITH ORDINALITY AS u(oid, at, action, from_status, to_status, actor, role, comment, changed, n)
        ORDER BY n`,
      columns(part, [
        (x) => x.id, (x) => iso(x.e.atMs), (x) => x.e.action, (x) => x.e.fromStatus, (x) => x.e.toStatus, (x) => x.e.actorUsername,
        (x) => x.e.actorRole, (x) => x.e.comment, (x) => json(x.e.changed),
      ]),
    );
  }
}

type History = ReturnType<typeof demoAssessmentHistory>;

async function insertFindings(client: pg.PoolClient, findings: History['findings']): Promise<number> {
  let written = 0;
  for (const batch of chunks(findings)) {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO findings (id, town_code, kind, geom, found_at, area_m2, description, finder, reported_by, deadline, status, verified_at,
         version, created_at, updated_at)
       SELECT id::uuid, town, kind, ST_SetSRID(ST_MakePoint(lon, lat), 4326), found, area, descr, finder,
              (SELECT id FROM users WHERE username = actor), deadline::date, status, verified, version, found, updated
         FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::timestamptz[], $7::float8[], $8::text[],
                     $9::text[], $10::text[], $11::text[], $12::text[], $13::timestamptz[], $14::int[], $15::timestamptz[])
           AS u(id, town, kind, lon, lat, found, area, descr, finder, actor, deadline, status, verified, version, updated)
       ON CONFLICT (id) DO NOTHING
       RETURNING id::text`,
      columns(batch, [
        (f) => f.id, (f) => f.townCode, (f) => f.kind, (f) => f.place[0], (f) => f.place[1], (f) => iso(f.foundAtMs), (f) => f.areaM2,
        (f) => f.description, (f) => f.finder, (f) => f.events[0]?.actorUsername ?? null, (f) => f.deadline, (f) => f.status,
        (f) => iso(f.verifiedAtMs), (f) => f.events.length, (f) => iso(f.events[f.events.length - 1]?.atMs ?? f.foundAtMs),
      ]),
    );
    written += rows.length;
    await insertLedgerEvents(client, 'finding_events', 'finding_id', batch, new Set(rows.map((r) => r.id)));
  }
  return written;
}

async function insertPiles(client: pg.PoolClient, piles: History['piles']): Promise<number> {
  let written = 0;
  for (const batch of chunks(piles)) {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO waste_piles (id, town_code, name, geom, land_nature, volume_m3, responsible_party, governance_plan, deadline, status,
         verified_at, created_by, version, created_at, updated_at)
       SELECT id::uuid, town, name, ST_SetSRID(ST_MakePoint(lon, lat), 4326), land, volume, party, plan, deadline::date, status, verified,
              (SELECT id FROM users WHERE username = actor), version, created, updated
         FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::text[], $7::float8[], $8::text[], $9::text[],
                     $10::text[], $11::text[], $12::timestamptz[], $13::text[], $14::int[], $15::timestamptz[], $16::timestamptz[])
           AS u(id, town, name, lon, lat, land, volume, party, plan, deadline, status, verified, actor, version, created, updated)
       ON CONFLICT (id) DO NOTHING
       RETURNING id::text`,
      columns(batch, [
        (p) => p.id, (p) => p.townCode, (p) => p.name, (p) => p.place[0], (p) => p.place[1], (p) => p.landNature, (p) => p.volumeM3,
        (p) => p.responsibleParty, (p) => p.governancePlan, (p) => p.deadline, (p) => p.status, (p) => iso(p.verifiedAtMs),
        (p) => p.events[0]?.actorUsername ?? null, (p) => p.events.length, (p) => iso(p.createdAtMs), (p) => iso(p.updatedAtMs),
      ]),
    );
    written += rows.length;
    await insertLedgerEvents(client, 'waste_pile_events', 'pile_id', batch, new Set(rows.map((r) => r.id)));
  }
  return written;
}

async function insertPoints(client: pg.PoolClient, points: History['points']): Promise<number> {
  let written = 0;
  for (const batch of chunks(points)) {
    const result = await client.query(
      `INSERT INTO collection_points (id, town_code, village_code, name, geom, created_at, updated_at)
       SELECT id::uuid, town, village, name, ST_SetSRID(ST_MakePoint(lon, lat), 4326), created, created
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::timestamptz[])
           AS u(id, town, village, name, lon, lat, created)
       ON CONFLICT (id) DO NOTHING`,
      columns(batch, [(p) => p.id, (p) => p.townCode, (p) => p.villageCode, (p) => p.name, (p) => p.place[0], (p) => p.place[1], (p) => iso(p.createdAtMs)]),
    );
    written += result.rowCount ?? 0;
  }
  return written;
}

async function insertRequests(client: pg.PoolClient, requests: History['requests']): Promise<number> {
  let written = 0;
  for (const batch of chunks(requests)) {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO collection_requests (id, town_code, village_code, requester_kind, requester_name, collection_point_id, volume_m3,
         requested_at, state, truck_id, dispatched_at, visit_at, fulfilled_at, trip_id, cancel_reason, created_by, version, created_at, updated_at)
       SELECT id::uuid, town, village, kind, name, point::uuid, volume, requested, state, truck::uuid, dispatched, visit, fulfilled, trip,
              cancel, (SELECT id FROM users WHERE username = actor), version, requested, updated
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::timestamptz[], $9::text[],
                     $10::text[], $11::timestamptz[], $12::timestamptz[], $13::timestamptz[], $14::text[], $15::text[], $16::text[],
                     $17::int[], $18::timestamptz[])
           AS u(id, town, village, kind, name, point, volume, requested, state, truck, dispatched, visit, fulfilled, trip, cancel, actor,
                version, updated)
       ON CONFLICT (id) DO NOTHING
       RETURNING id::text`,
      columns(batch, [
        (q) => q.id, (q) => q.townCode, (q) => q.villageCode, (q) => q.requesterKind, (q) => q.requesterName, (q) => q.collectionPointId,
        (q) => q.volumeM3, (q) => iso(q.requestedAtMs), (q) => q.state, (q) => q.truckId, (q) => iso(q.dispatchedAtMs), (q) => iso(q.visitAtMs),
        (q) => iso(q.fulfilledAtMs), (q) => q.tripId, (q) => q.cancelReason, (q) => q.events[0]?.actorUsername ?? null, (q) => q.events.length,
        (q) => iso(q.events[q.events.length - 1]?.atMs ?? q.requestedAtMs),
      ]),
    );
    written += rows.length;
    await insertLedgerEvents(client, 'collection_request_events', 'request_id', batch, new Set(rows.map((r) => r.id)));
  }
  return written;
}

async function insertAdjustments(client: pg.PoolClient, adjustments: History['adjustments']): Promise<number> {
  if (adjustments.length === 0) return 0;
  const result = await client.query(
    `INSERT INTO ranking_adjustments (id, month, town_code, kind, points, veto_ground, reason, document_ref, created_by, created_at)
     SELECT id::uuid, month, town, kind, points, ground, reason, doc, 'admin', created
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::text[], $7::text[], $8::text[], $9::timestamptz[])
         AS u(id, month, town, kind, points, ground, reason, doc, created)
     ON CONFLICT (id) DO NOTHING`,
    columns(adjustments, [
      (a) => a.id, (a) => a.month, (a) => a.townCode, (a) => a.kind, (a) => a.points, (a) => a.vetoGround, (a) => a.reason, (a) => a.documentRef,
      (a) => iso(a.createdAtMs),
    ]),
  );
  return result.rowCount ?? 0;
}
