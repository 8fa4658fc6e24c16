import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import type { NearestSite, WhereaboutsFence } from '@muckwatch/contracts';
import { PG_POOL } from '../database/database.module.js';

/** One truck's latest position and the registry's places around it, as PostGIS finds them. */
export interface PlaceRow {
  truckId: string;
  plate: string;
  terminalId: string | null;
  at: { ts: string; lon: number; lat: number } | null;
  town: { code: string; name: string } | null;
  nearestConstructionSite: NearestSite | null;
  nearestDisposalSite: NearestSite | null;
  inside: WhereaboutsFence[];
}

interface Row {
  truck_id: string;
  plate: string;
  terminal_id: string | null;
  fix_time: Date | null;
  lon: number | null;
  lat: number | null;
  town_code: string | null;
  town_name: string | null;
  cs: { id: string; name: string; distance_m: number } | null;
  ds: { id: string; name: string; status: NearestSite['status']; distance_m: number } | null;
  inside: WhereaboutsFence[] | null;
}

/**
 * $1 truck ids, $2 the caller's town (a town official's) or null. Distances on the ellipsoid
 * (geography), metres to the polygon's edge, 0 inside; the nearest site by that distance, ties by id.
 * A route's corridor is the line buffered by half its width; a speed zone a polygon or such a corridor.
 * Routes are named to the district's users only (a town official's routes are scoped by approvals).
 */
const SQL = `
  WITH p AS (
    SELECT tr.id AS truck_id, tr.plate, te.terminal_id, l.fix_time, l.geom, l.geom::geography AS g
      FROM trucks tr
      LEFT JOIN terminals te ON te.truck_id = tr.id
      LEFT JOIN latest_positions l ON l.terminal_id = te.terminal_id
     WHERE tr.id = ANY($1::uuid[])
  )
  SELECT p.truck_id, p.plate, p.terminal_id, p.fix_time, ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat,
         town.code AS town_code, town.name AS town_name,
         (SELECT json_build_object('id', s.id, 'name', s.name, 'distance_m', ST_Distance(s.geom::geography, p.g))
            FROM construction_sites s
           WHERE p.geom IS NOT NULL AND ($2::text IS NULL OR s.town_code = $2)
           ORDER BY ST_Distance(s.geom::geography, p.g), s.id LIMIT 1) AS cs,
         (SELECT json_build_object('id', d.id, 'name', d.name, 'status', d.status, 'distance_m', ST_Distance(d.geom::geography, p.g))
            FROM disposal_sites d
           WHERE p.geom IS NOT NULL AND ($2::text IS NULL OR d.town_code = $2)
           ORDER BY ST_Distance(d.geom::geography, p.g), d.id LIMIT 1) AS ds,
         (SELECT json_agg(f ORDER BY f.kind, f.name, f.id) FROM (
             SELECT 'construction_site' AS kind, s.id::text AS id, s.name FROM construction_sites s
              WHERE ST_Covers(s.geom, p.geom) AND ($2::text IS NULL OR s.town_code = $2)
             UNION ALL
             SELECT 'disposal_site', d.id::text, d.name FROM disposal_sites d
              WHERE ST_Covers(d.geom, p.geom) AND ($2::text IS NULL OR d.town_code = $2)
             UNION ALL
             SELECT 'route', r.id::text, r.name FROM approved_routes r
              WHERE $2::text IS NULL AND ST_DWithin(r.geom::geography, p.g, r.corridor_width_m::float8 / 2)
             UNION ALL
             SELECT 'speed_zone', z.id::text, z.name FROM speed_zones z
              WHERE CASE WHEN GeometryType(z.geom) = 'POLYGON' THEN ST_Covers(z.geom, p.geom)
                         ELSE ST_DWithin(z.geom::geography, p.g, coalesce(z.corridor_width_m, 0)::float8 / 2) END
           ) f WHERE p.geom IS NOT NULL) AS inside
    FROM p
    LEFT JOIN LATERAL (
      SELECT t.code, t.name FROM towns t WHERE p.geom IS NOT NULL AND ST_Covers(t.geom, p.geom) ORDER BY t.code LIMIT 1
    ) town ON true
   ORDER BY p.plate`;

/** The SQL of the whereabouts: one statement for one truck or a batch. */
@Injectable()
export class WhereaboutsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async places(truckIds: readonly string[], townCode: string | null): Promise<PlaceRow[]> {
    if (truckIds.length === 0) return [];
    const { rows } = await this.pool.query<Row>(SQL, [truckIds, townCode]);
    return rows.map((r) => ({
      truckId: r.truck_id,
      plate: r.plate,
      terminalId: r.terminal_id,
      at: r.fix_time && r.lon !== null && r.lat !== null ? { ts: r.fix_time.toISOString(), lon: r.lon, lat: r.lat } : null,
      town: r.town_code && r.town_name ? { code: r.town_code, name: r.town_name } : null,
      nearestConstructionSite: r.cs ? { kind: 'construction_site', id: r.cs.id, name: r.cs.name, distanceM: r.cs.distance_m, status: null } : null,
      nearestDisposalSite: r.ds ? { kind: 'disposal_site', id: r.ds.id, name: r.ds.name, distanceM: r.ds.distance_m, status: r.ds.status } : null,
      inside: r.inside ?? [],
    }));
  }
}
