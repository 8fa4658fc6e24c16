import type { DataSource, EntityManager } from 'typeorm';
import { demoCaseHistory, type DemoCase } from '@muckwatch/linzi';

/**
 * `npm start` only (the demo, on a demo registry): writes the demo month of violation cases
 * (libs/linzi/src/demo/case-history.ts) with their timelines, once — when no case has a timeline
 * yet — so the violations page, an officer's inbox and the departments' handling times are not
 * empty on a fresh demo. Actors are the demo accounts by name. Returns how many it wrote.
 */
export async function seedDemoCases(dataSource: DataSource, nowMs: number): Promise<number> {
  return dataSource.transaction(async (manager) => {
    const [counts] = await manager.query<Array<{ demo: number; events: number }>>(
      `SELECT (SELECT count(*)::int FROM transport_companies WHERE demo) AS demo, (SELECT count(*)::int FROM violation_case_events) AS events`,
    );
    if (!counts || counts.demo === 0 || counts.events > 0) return 0;
    const cases = demoCaseHistory(nowMs);
    for (const c of cases) await insertCase(manager, c);
    return cases.length;
  });
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

async function insertCase(manager: EntityManager, c: DemoCase): Promise<void> {
  const last = c.events[c.events.length - 1];
  const at = (action: string): string | null => iso([...c.events].reverse().find((e) => e.action === action)?.atMs ?? null);
  await manager.query(
    `INSERT INTO violations (id, type, severity, status, terminal_id, truck_id, plate, subject_id,
       started_at, start_geom, ended_at, end_geom, town_code, params, reasons, peak, evidence, evidence_geom,
       case_state, version, department_code, deadline, assigned_at, handled_at, closed_at, dismiss_reason, outcome, updated_at)
     VALUES ($1, $2, $3, 'closed', $4, $5, $6, $7,
       $8, ST_SetSRID(ST_MakePoint($9, $10), 4326), $11, ST_SetSRID(ST_MakePoint($12, $13), 4326), $14, $15, $16, $17, $18,
       ST_SetSRID(ST_GeomFromGeoJSON($19), 4326),
       $20, $21, $22, $23, $24, $25, $26, $27, $28, $29)
     ON CONFLICT (id) DO NOTHING`,
    [
      c.id,
      c.type,
      c.severity,
      c.terminalId,
      c.truckId,
      c.plate,
      c.subjectId,
      iso(c.startedAtMs),
      c.start[0],
      c.start[1],
      iso(c.endedAtMs),
      c.end[0],
      c.end[1],
      c.townCode,
      JSON.stringify(c.params),
      JSON.stringify(c.reasons),
      c.peak,
      JSON.stringify(c.evidence),
      JSON.stringify({ type: 'LineString', coordinates: c.evidence.map((p) => [p.lon, p.lat]) }),
      c.caseState,
      c.events.length + 1,
      c.departmentCode,
      iso(c.deadlineMs),
      at('assign'),
      at('handle'),
      c.caseState === 'closed' ? at('close') : null,
      c.dismissReason,
      c.outcome === null ? null : JSON.stringify(c.outcome),
      iso(last?.atMs ?? c.endedAtMs),
    ],
  );
  for (const e of c.events) {
    await manager.query(
      `INSERT INTO violation_case_events (violation_id, at, action, from_state, to_state, actor_user_id, actor_username, actor_role,
         comment, dismiss_reason, department_code, deadline, outcome)
       VALUES ($1, $2, $3, $4, $5, (SELECT id FROM users WHERE username = $6), $6, $7, $8, $9, $10, $11, $12)`,
      [
        c.id,
        iso(e.atMs),
        e.action,
        e.fromState,
        e.toState,
        e.actorUsername,
        e.actorRole,
        e.comment,
        e.dismissReason,
        e.departmentCode,
        iso(e.deadlineMs),
        e.outcome === null ? null : JSON.stringify(e.outcome),
      ],
    );
  }
}
