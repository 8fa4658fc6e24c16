import type { LineString, MultiPolygon, Polygon } from 'geojson';
import type pg from 'pg';
import type { RegistrySnapshot, TimeWindowFact } from '@muckwatch/domain';

/**
 * The registry as the compliance engine reads it (libs/domain RegistrySnapshot), field by field
 * from the registry tables, geometry as WGS-84 GeoJSON. A few queries, one after the other (the
 * embedded PGlite serves one session: parallel statements from several connections interleave).
 */
export async function loadRegistrySnapshot(pool: pg.Pool): Promise<RegistrySnapshot> {
  const trucks = await pool.query<{ id: string; plate: string; company_id: string; terminal_id: string | null; rated_load_t: string | null; sealed: boolean; permit_no: string | null; permit_valid_from: string | null; permit_valid_to: string | null }>(
    `SELECT t.id, t.plate, t.company_id, term.terminal_id, t.rated_load_t, t.sealed, t.permit_no,
            to_char(t.permit_valid_from, 'YYYY-MM-DD') AS permit_valid_from, to_char(t.permit_valid_to, 'YYYY-MM-DD') AS permit_valid_to
       FROM trucks t LEFT JOIN terminals term ON term.truck_id = t.id`,
  );
  const sites = await pool.query<{ id: string; name: string; town_code: string | null; geom: Polygon }>(
    `SELECT id, name, town_code, ST_AsGeoJSON(geom)::json AS geom FROM construction_sites`,
  );
  const disposal = await pool.query<{ id: string; name: string; status: 'licensed' | 'closed' | 'illegal'; town_code: string | null; geom: Polygon }>(
    `SELECT id, name, status, town_code, ST_AsGeoJSON(geom)::json AS geom FROM disposal_sites`,
  );
  const approvals = await pool.query<{ id: string; number: string; construction_site_id: string; company_id: string; valid_from: string; valid_to: string }>(
    `SELECT id, number, construction_site_id, company_id,
            to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to
       FROM disposal_approvals`,
  );
  const links = await pool.query<{ kind: 'truck' | 'disposal' | 'route' | 'window'; approval_id: string; ref: string }>(
    `SELECT 'truck' AS kind, approval_id, truck_id AS ref FROM approval_trucks
     UNION ALL SELECT 'disposal', approval_id, disposal_site_id FROM approval_disposal_sites
     UNION ALL SELECT 'route', approval_id, route_id FROM approval_routes
     UNION ALL SELECT 'window', approval_id, schedule_id FROM approval_time_windows`,
  );
  const routes = await pool.query<{ id: string; name: string; geom: LineString; corridor_width_m: string }>(
    `SELECT id, name, ST_AsGeoJSON(geom)::json AS geom, corridor_width_m FROM approved_routes`,
  );
  const windows = await pool.query<{ id: string; name: string; weekly: TimeWindowFact['weekly']; exceptions: TimeWindowFact['exceptions'] }>(
    `SELECT id, name, weekly, exceptions FROM time_window_schedules`,
  );
  const zones = await pool.query<{ id: string; name: string; limit_kmh: string; geom: Polygon | LineString; corridor_width_m: string | null }>(
    `SELECT id, name, limit_kmh, ST_AsGeoJSON(geom)::json AS geom, corridor_width_m FROM speed_zones`,
  );
  const towns = await pool.query<{ code: string; name: string; geom: MultiPolygon }>(`SELECT code, name, ST_AsGeoJSON(geom)::json AS geom FROM towns`);
  // A town's active collection point as the disc its visit radius draws (a 16-sided polygon).
  const points = await pool.query<{ id: string; name: string; town_code: string; geom: Polygon }>(
    `SELECT id, name, town_code, ST_AsGeoJSON(ST_Buffer(geom::geography, radius_m::float8, 4)::geometry, 7)::json AS geom
       FROM collection_points WHERE active`,
  );

  const linked = new Map<string, { truck: string[]; disposal: string[]; route: string[]; window: string[] }>();
  for (const row of links.rows) {
    const entry = linked.get(row.approval_id) ?? { truck: [], disposal: [], route: [], window: [] };
    entry[row.kind].push(row.ref);
    linked.set(row.approval_id, entry);
  }
  const num = (value: string | null): number | null => (value === null ? null : Number(value));

  return {
    trucks: trucks.rows.map((t) => ({
      id: t.id,
      plate: t.plate,
      companyId: t.company_id,
      terminalId: t.terminal_id,
      ratedLoadT: num(t.rated_load_t),
      sealed: t.sealed,
      permitNo: t.permit_no,
      permitValidFrom: t.permit_valid_from,
      permitValidTo: t.permit_valid_to,
    })),
    constructionSites: sites.rows.map((s) => ({ id: s.id, name: s.name, townCode: s.town_code, geometry: s.geom })),
    disposalSites: disposal.rows.map((d) => ({ id: d.id, name: d.name, status: d.status, townCode: d.town_code, geometry: d.geom })),
    approvals: approvals.rows.map((a) => {
      const l = linked.get(a.id);
      return {
        id: a.id,
        number: a.number,
        constructionSiteId: a.construction_site_id,
        companyId: a.company_id,
        validFrom: a.valid_from,
        validTo: a.valid_to,
        truckIds: l?.truck ?? [],
        disposalSiteIds: l?.disposal ?? [],
        routeIds: l?.route ?? [],
        timeWindowIds: l?.window ?? [],
      };
    }),
    routes: routes.rows.map((r) => ({ id: r.id, name: r.name, geometry: r.geom, corridorWidthM: Number(r.corridor_width_m) })),
    timeWindows: windows.rows.map((w) => ({ id: w.id, name: w.name, weekly: w.weekly, exceptions: w.exceptions })),
    speedZones: zones.rows.map((z) => ({
      id: z.id,
      name: z.name,
      limitKmh: Number(z.limit_kmh),
      geometry: z.geom,
      corridorWidthM: num(z.corridor_width_m),
    })),
    towns: towns.rows.map((t) => ({ code: t.code, name: t.name, geometry: t.geom })),
    collectionPoints: points.rows.map((p) => ({ id: p.id, name: p.name, townCode: p.town_code, geometry: p.geom })),
  };
}
