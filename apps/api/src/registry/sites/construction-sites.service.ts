import { Injectable } from '@nestjs/common';
import type { Polygon } from 'geojson';
import { CONSTRUCTION_SITE_STATUSES, type ConstructionSite, type ConstructionSiteInput } from '@muckwatch/contracts';
import { GeofenceResource, TODAY_SQL } from '../common/geofence-resource.js';
import { GEOM, requireTown, townAt, validPolygon } from '../common/geometry.js';
import { Input } from '../common/input.js';
import { RegistryDb, type Sql } from '../common/registry-db.js';

type Parsed = Required<ConstructionSiteInput> & { townCode: string | null };

/** 工地: a polygon where muck is produced; its approvals are /api/v1/approvals. Town officials see their town's only. */
@Injectable()
export class ConstructionSitesService extends GeofenceResource<ConstructionSite, Parsed> {
  readonly kind = 'construction-sites' as const;
  readonly resourceType = 'construction_site' as const;
  readonly label = 'construction site';
  readonly recordKind = 'construction_site' as const;
  protected readonly table = 'construction_sites';
  protected readonly alias = 's';
  protected readonly orderBy = 's.town_code, s.name';
  protected override readonly townColumn = 's.town_code';
  protected readonly select = `
    SELECT s.id, s.name, s.town_code, t.name AS town_name, s.address, s.status, ST_AsGeoJSON(s.geom, 7)::json AS geometry, s.demo,
           EXISTS (SELECT 1 FROM disposal_approvals a
                    WHERE a.construction_site_id = s.id AND ${TODAY_SQL} BETWEEN a.valid_from AND a.valid_to) AS has_valid_approval
      FROM construction_sites s
      LEFT JOIN towns t ON t.code = s.town_code`;

  constructor(db: RegistryDb) {
    super(db);
  }

  protected toRecord(row: Record<string, unknown>): ConstructionSite {
    return {
      id: row['id'] as string,
      name: row['name'] as string,
      townCode: row['town_code'] as string | null,
      townName: row['town_name'] as string | null,
      address: row['address'] as string | null,
      status: row['status'] as ConstructionSite['status'],
      geometry: row['geometry'] as Polygon,
      hasValidApproval: row['has_valid_approval'] as boolean,
      demo: row['demo'] as boolean,
    };
  }

  protected async parse(sql: Sql, body: unknown, prefix: string): Promise<Parsed> {
    const input: Input = Input.of(body, prefix);
    const name = input.text('name', { max: 100 });
    const geometry = await validPolygon(sql, input.path('geometry'), input.raw('geometry'));
    let townCode = input.optionalText('townCode', { max: 20 });
    if (townCode !== null) await requireTown(sql, input.path('townCode'), townCode);
    else townCode = await townAt(sql, geometry);
    return {
      name,
      geometry,
      townCode,
      address: input.optionalText('address'),
      status: input.oneOf('status', CONSTRUCTION_SITE_STATUSES, 'active'),
    };
  }

  protected async insert(sql: Sql, p: Parsed, id: string | null): Promise<string> {
    const { rows } = await sql.query<{ id: string }>(
      `INSERT INTO construction_sites (id, name, town_code, address, status, geom)
       VALUES (COALESCE($1::uuid, gen_random_uuid()), $2, $3, $4, $5, ${GEOM('$6')}) RETURNING id`,
      [id, p.name, p.townCode, p.address, p.status, JSON.stringify(p.geometry)],
    );
    return rows[0]!.id;
  }

  protected async replace(sql: Sql, id: string, p: Parsed): Promise<void> {
    await sql.query(
      `UPDATE construction_sites SET name = $2, town_code = $3, address = $4, status = $5, geom = ${GEOM('$6')}, updated_at = now() WHERE id = $1`,
      [id, p.name, p.townCode, p.address, p.status, JSON.stringify(p.geometry)],
    );
  }
}
