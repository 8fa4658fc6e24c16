import { Injectable } from '@nestjs/common';
import type { LineString } from 'geojson';
import type { ApprovedRoute, ApprovedRouteInput } from '@muckwatch/contracts';
import { GeofenceResource } from '../common/geofence-resource.js';
import { GEOM, validLineString } from '../common/geometry.js';
import { Input } from '../common/input.js';
import { RegistryDb, type Sql } from '../common/registry-db.js';

type Parsed = Required<ApprovedRouteInput>;

/**
 * 规定路线: a line with a corridor width; a truck is on the route within half the width of the line.
 * A route is a town's when its construction site is in the town or an approval of one of the
 * town's construction sites designates it (the registry's links, as approvals are scoped); a town
 * official sees only those, another by id is 404.
 */
@Injectable()
export class RoutesService extends GeofenceResource<ApprovedRoute, Parsed> {
  readonly kind = 'routes' as const;
  readonly resourceType = 'route' as const;
  readonly label = 'approved route';
  readonly recordKind = 'route' as const;
  protected readonly table = 'approved_routes';
  protected readonly alias = 'r';
  protected readonly orderBy = 'r.name';
  protected readonly select = `
    SELECT r.id, r.name, ST_AsGeoJSON(r.geom, 7)::json AS geometry, r.corridor_width_m, round(ST_Length(r.geom::geography))::int AS length_m,
           r.construction_site_id, r.disposal_site_id, r.demo
      FROM approved_routes r`;

  constructor(db: RegistryDb) {
    super(db);
  }

  protected override townCondition(town: string): string {
    return `(EXISTS (SELECT 1 FROM construction_sites cs WHERE cs.id = r.construction_site_id AND cs.town_code = ${town})
             OR EXISTS (SELECT 1 FROM approval_routes x
                          JOIN disposal_approvals a ON a.id = x.approval_id
                          JOIN construction_sites cs ON cs.id = a.construction_site_id
                         WHERE x.route_id = r.id AND cs.town_code = ${town}))`;
  }

  protected toRecord(row: Record<string, unknown>): ApprovedRoute {
    return {
      id: row['id'] as string,
      name: row['name'] as string,
      geometry: row['geometry'] as LineString,
      corridorWidthM: Number(row['corridor_width_m']),
      lengthM: row['length_m'] as number,
      constructionSiteId: row['construction_site_id'] as string | null,
      disposalSiteId: row['disposal_site_id'] as string | null,
      demo: row['demo'] as boolean,
    };
  }

  protected async parse(sql: Sql, body: unknown, prefix: string): Promise<Parsed> {
    const input: Input = Input.of(body, prefix);
    const name = input.text('name', { max: 150 });
    const geometry = validLineString(input.path('geometry'), input.raw('geometry'));
    const corridorWidthM = input.number('corridorWidthM', { min: 0, max: 5000, exclusiveMin: true });
    const constructionSiteId = input.optionalUuid('constructionSiteId');
    if (constructionSiteId && !(await sql.query(`SELECT 1 FROM construction_sites WHERE id = $1`, [constructionSiteId])).rowCount) {
      input.fail('constructionSiteId', `constructionSiteId: no construction site ${constructionSiteId}`);
    }
    const disposalSiteId = input.optionalUuid('disposalSiteId');
    if (disposalSiteId && !(await sql.query(`SELECT 1 FROM disposal_sites WHERE id = $1`, [disposalSiteId])).rowCount) {
      input.fail('disposalSiteId', `disposalSiteId: no disposal site ${disposalSiteId}`);
    }
    return { name, geometry, corridorWidthM, constructionSiteId, disposalSiteId };
  }

  protected async insert(sql: Sql, p: Parsed, id: string | null): Promise<string> {
    const { rows } = await sql.query<{ id: string }>(
      `INSERT INTO approved_routes (id, name, geom, corridor_width_m, construction_site_id, disposal_site_id)
       VALUES (COALESCE($1::uuid, gen_random_uuid()), $2, ${GEOM('$3')}, $4, $5, $6) RETURNING id`,
      [id, p.name, JSON.stringify(p.geometry), p.corridorWidthM, p.constructionSiteId, p.disposalSiteId],
    );
    return rows[0]!.id;
  }

  protected async replace(sql: Sql, id: string, p: Parsed): Promise<void> {
    await sql.query(
      `UPDATE approved_routes SET name = $2, geom = ${GEOM('$3')}, corridor_width_m = $4, construction_site_id = $5, disposal_site_id = $6, updated_at = now()
        WHERE id = $1`,
      [id, p.name, JSON.stringify(p.geometry), p.corridorWidthM, p.constructionSiteId, p.disposalSiteId],
    );
  }
}
