import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import { addMonths, officeMonthRange } from '@muckwatch/contracts';
import type {
  AdjustmentFact,
  AssignedCaseFact,
  CaseFact,
  DumpingFact,
  Finder,
  Methodology,
  PriorDumpingPlace,
  RoadFindingFact,
  TownMonthFacts,
} from '@muckwatch/domain';
import { villagesOfTown } from '@muckwatch/linzi';
import { CodedError } from '../cases/case-errors.js';
import type { Db } from '../cases/cases.repository.js';
import { PG_POOL } from '../database/database.module.js';

/** Violation types item B counts (transport management). */
export const TRANSPORT_TYPES = ['unsealed_transport', 'overload', 'unlicensed_transport'] as const;
/** Findings item D counts (road pollution). */
export const ROAD_FINDING_KINDS = ['road_pollution', 'unwashed_exit'] as const;
/** Most rows one category of one month may hold; beyond it the month is refused, never truncated. */
export const MAX_FACT_ROWS = 200_000;
/** Hours a collection request has to be fulfilled (日产日清). */
const DAILY_CLEARANCE_HOURS = 24;
/** Engine-raised cases were found by the platform, that is the district. */
const ENGINE_FINDER: Finder = 'district';

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

interface CaseRow {
  id: string;
  town_code: string;
  type: string;
  started_at: Date;
  lon: number;
  lat: number;
  handled_at: Date | null;
}

function checked<T>(rows: T[], what: string): T[] {
  if (rows.length > MAX_FACT_ROWS) {
    throw new CodedError(503, 'ranking.too_many_facts', `more than ${MAX_FACT_ROWS} ${what} in one month`, { max: MAX_FACT_ROWS });
  }
  return rows;
}

async function sequentially(thunks: ReadonlyArray<() => Promise<unknown>>): Promise<unknown[]> {
  const results: unknown[] = [];
  for (const thunk of thunks) results.push(await thunk());
  return results;
}

function group<T extends { town_code: string }>(rows: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(row.town_code);
    if (list) list.push(row);
    else map.set(row.town_code, [row]);
  }
  return map;
}

/**
 * Everything a month gives each assessed unit (TownMonthFacts, libs/domain assessment/model.ts),
 * read from the registry, the compliance engine's trips and violations, the case workflow, the
 * towns' ledgers and the admin's adjustments. A month is the office's (Asia/Shanghai). One query
 * per category for all towns at once, each on an index (town or time) and bounded.
 * Every list is in a fixed order, so the same database state gives the same facts, byte for byte.
 */
@Injectable()
export class FactsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async towns(db: Db = this.pool): Promise<Array<{ code: string; name: string }>> {
    const { rows } = await db.query<{ code: string; name: string }>(`SELECT code, name FROM towns ORDER BY code`);
    return rows;
  }

  /** The earliest month (office time) with anything to assess, or null when there is nothing. */
  async firstMonthWithData(db: Db = this.pool): Promise<Date | null> {
    const { rows } = await db.query<{ first: Date | null }>(
      `SELECT least((SELECT min(started_at) FROM violations), (SELECT min(started_at) FROM trips),
                    (SELECT min(found_at) FROM findings), (SELECT min(requested_at) FROM collection_requests)) AS first`,
    );
    return rows[0]?.first ?? null;
  }

  async gather(month: string, methodology: Methodology, nowMs: number, db: Db = this.pool): Promise<TownMonthFacts[]> {
    const { from, to } = officeMonthRange(month);
    // Dates (registry validity, ledger deadlines) are office days: the month's first and last day.
    const firstDay = `${month}-01`;
    const nextFirstDay = `${addMonths(month, 1)}-01`;
    const lookbackDays = Math.min(Math.max(0, Math.trunc(methodology.items.C.recurrenceLookbackDays)), 3660);

    // On the pool the queries run side by side; on a transaction's client one after the other (a client runs one query at a time).
    const all = <T extends unknown[]>(thunks: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> =>
      db === this.pool ? (Promise.all(thunks.map((t) => t())) as Promise<T>) : sequentially(thunks) as Promise<T>;
    const [towns, sites, trips, cases, prior, assigned, findings, piles, points, requests, adjustments] = await all([
      () => this.towns(db),
      () => db.query<{ town_code: string; id: string; approved: boolean }>(
        `SELECT s.town_code, s.id::text AS id,
                EXISTS (SELECT 1 FROM disposal_approvals a WHERE a.construction_site_id = s.id
                         AND a.valid_from < $3::date
                         AND a.valid_to >= $4::date) AS approved
           FROM construction_sites s
          WHERE s.town_code IS NOT NULL AND s.created_at < $2
            AND (s.status = 'active' OR (s.status = 'finished' AND s.updated_at >= $1))
          ORDER BY s.town_code, s.id
          LIMIT ${MAX_FACT_ROWS + 1}`,
        [from, to, nextFirstDay, firstDay],
      ),
      () => db.query<{ town_code: string; n: number }>(
        `SELECT town_code, count(*)::int AS n FROM trips WHERE town_code IS NOT NULL AND started_at >= $1 AND started_at < $2 GROUP BY town_code`,
        [from, to],
      ),
      () => db.query<CaseRow>(
        `SELECT id, town_code, type, started_at, ST_X(start_geom) AS lon, ST_Y(start_geom) AS lat, coalesce(handled_at, closed_at) AS handled_at
           FROM violations
          WHERE town_code IS NOT NULL AND started_at >= $1 AND started_at < $2 AND case_state <> 'dismissed'
            AND type = ANY($3::text[])
          ORDER BY town_code, started_at, id
          LIMIT ${MAX_FACT_ROWS + 1}`,
        [from, to, [...TRANSPORT_TYPES, 'illegal_dumping']],
      ),
      () => db.query<CaseRow>(
        `SELECT id, town_code, type, started_at, ST_X(start_geom) AS lon, ST_Y(start_geom) AS lat, NULL::timestamptz AS handled_at
           FROM violations
          WHERE town_code IS NOT NULL AND type = 'illegal_dumping' AND case_state <> 'dismissed'
            AND started_at >= $1::timestamptz - make_interval(days => $2::int) AND started_at < $1
          ORDER BY town_code, started_at, id
          LIMIT ${MAX_FACT_ROWS + 1}`,
        [from, lookbackDays],
      ),
      () => db.query<{ town_code: string; id: string; deadline: Date; handled_at: Date | null }>(
        `SELECT town_code, id, deadline, handled_at FROM violations
          WHERE town_code IS NOT NULL AND assigned_at >= $1 AND assigned_at < $2 AND deadline IS NOT NULL AND case_state <> 'dismissed'
          ORDER BY town_code, assigned_at, id
          LIMIT ${MAX_FACT_ROWS + 1}`,
        [from, to],
      ),
      () => db.query<{ town_code: string; id: string; kind: string; found_at: Date; finder: Finder; area_m2: string | null }>(
        `SELECT town_code, id::text AS id, kind, found_at, finder, area_m2::text AS area_m2 FROM findings
          WHERE found_at >= $1 AND found_at < $2 AND kind = ANY($3::text[])
          ORDER BY town_code, found_at, id
          LIMIT ${MAX_FACT_ROWS + 1}`,
        [from, to, [...ROAD_FINDING_KINDS]],
      ),
      // A pile is stale when it is unresolved and past its deadline by the month's end, or was
      // registered before the month and nobody touched it during the month.
      () => db.query<{ town_code: string; id: string; stale: boolean }>(
        `SELECT p.town_code, p.id::text AS id,
                (p.status IN ('registered', 'in_progress')
                 AND ((p.deadline IS NOT NULL AND p.deadline < $3::date)
                      OR (p.created_at < $1 AND NOT EXISTS (SELECT 1 FROM waste_pile_events e WHERE e.pile_id = p.id AND e.at >= $1 AND e.at < $2)))) AS stale
           FROM waste_piles p WHERE p.created_at < $2
          ORDER BY p.town_code, p.id
          LIMIT ${MAX_FACT_ROWS + 1}`,
        [from, to, nextFirstDay],
      ),
      () => db.query<{ town_code: string; village_code: string }>(
        `SELECT DISTINCT town_code, village_code FROM collection_points
          WHERE active AND village_code IS NOT NULL AND created_at < $1 ORDER BY town_code, village_code`,
        [to],
      ),
      // A request still inside its 24 hours is not decided yet and counts neither way.
      () => db.query<{ town_code: string; id: string; cleared: boolean }>(
        `SELECT town_code, id::text AS id,
                (fulfilled_at IS NOT NULL AND fulfilled_at <= requested_at + make_interval(hours => $3::int)) AS cleared
           FROM collection_requests
          WHERE requested_at >= $1 AND requested_at < $2 AND state <> 'cancelled'
            AND (fulfilled_at IS NOT NULL OR requested_at + make_interval(hours => $3::int) <= $4::timestamptz)
          ORDER BY town_code, requested_at, id
          LIMIT ${MAX_FACT_ROWS + 1}`,
        [from, to, DAILY_CLEARANCE_HOURS, new Date(nowMs).toISOString()],
      ),
      () => db.query<{ town_code: string; id: string; kind: AdjustmentFact['kind']; points: string | null; veto_ground: AdjustmentFact['vetoGround']; reason: string }>(
        `SELECT town_code, id::text AS id, kind, points::text AS points, veto_ground, reason FROM ranking_adjustments
          WHERE month = $1 ORDER BY town_code, created_at, id`,
        [month],
      ),
    ]);

    const siteRows = group(checked(sites.rows, 'construction sites'));
    const tripCounts = new Map(trips.rows.map((r) => [r.town_code, r.n]));
    const caseRows = group(checked(cases.rows, 'cases'));
    const priorRows = group(checked(prior.rows, 'earlier dumping cases'));
    const assignedRows = group(checked(assigned.rows, 'assigned cases'));
    const findingRows = group(checked(findings.rows, 'findings'));
    const pileRows = group(checked(piles.rows, 'waste piles'));
    const pointRows = group(points.rows);
    const requestRows = group(checked(requests.rows, 'collection requests'));
    const adjustmentRows = group(adjustments.rows);

    return towns.map((town): TownMonthFacts => {
      const townSites = siteRows.get(town.code) ?? [];
      const townCases = caseRows.get(town.code) ?? [];
      const caseFact = (r: CaseRow): CaseFact => ({
        id: r.id,
        type: r.type,
        startedAt: r.started_at.toISOString(),
        lon: r.lon,
        lat: r.lat,
        finder: ENGINE_FINDER,
        handledAt: iso(r.handled_at),
      });
      const transportCases = townCases.filter((r) => r.type !== 'illegal_dumping').map(caseFact);
      const dumpingCases = townCases.filter((r) => r.type === 'illegal_dumping').map((r): DumpingFact => ({ ...caseFact(r), clearedAt: iso(r.handled_at) }));
      const priorDumpingPlaces = (priorRows.get(town.code) ?? []).map((r): PriorDumpingPlace => ({ id: r.id, at: r.started_at.toISOString(), lon: r.lon, lat: r.lat }));
      const roadFindings = (findingRows.get(town.code) ?? []).map(
        (r): RoadFindingFact => ({ id: r.id, kind: r.kind, foundAt: r.found_at.toISOString(), finder: r.finder, areaM2: r.area_m2 === null ? null : Number(r.area_m2) }),
      );
      const assignedCases = (assignedRows.get(town.code) ?? []).map(
        (r): AssignedCaseFact => ({ id: r.id, deadline: r.deadline.toISOString(), handledAt: iso(r.handled_at) }),
      );
      const townPiles = pileRows.get(town.code) ?? [];
      const covered = new Set((pointRows.get(town.code) ?? []).map((r) => r.village_code));
      const townVillages = villagesOfTown(town.code);
      const townRequests = requestRows.get(town.code) ?? [];
      return {
        townCode: town.code,
        townName: town.name,
        sites: { active: townSites.length, approved: townSites.filter((s) => s.approved).length, unapprovedIds: townSites.filter((s) => !s.approved).map((s) => s.id) },
        trips: tripCounts.get(town.code) ?? 0,
        transportCases,
        dumpingCases,
        priorDumpingPlaces,
        roadFindings,
        assignedCases,
        ledger: {
          piles: townPiles.length,
          pilesCurrent: townPiles.filter((p) => !p.stale).length,
          staleIds: townPiles.filter((p) => p.stale).map((p) => p.id),
          villages: townVillages.length,
          villagesCovered: townVillages.filter((v) => covered.has(v.code)).length,
          uncoveredVillageCodes: townVillages.filter((v) => !covered.has(v.code)).map((v) => v.code),
          requests: townRequests.length,
          requestsClearedWithin24h: townRequests.filter((r) => r.cleared).length,
          lateRequestIds: townRequests.filter((r) => !r.cleared).map((r) => r.id),
        },
        adjustments: (adjustmentRows.get(town.code) ?? []).map(
          (r): AdjustmentFact => ({ id: r.id, kind: r.kind, points: r.points === null ? null : Number(r.points), vetoGround: r.veto_ground, reason: r.reason }),
        ),
      };
    });
  }
}
