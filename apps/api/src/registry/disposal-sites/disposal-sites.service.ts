import { Injectable } from '@nestjs/common';
import type { Polygon } from 'geojson';
import { DISPOSAL_SITE_STATUSES, type DisposalSite, type DisposalSiteInput } from '@muckwatch/contracts';
import { GeofenceResource } from '../common/geofence-resource.js';
import { GEOM, requireTown, townAt, validPolygon } from '../common/geometry.js';
import { Input } from '../common/input.js';
import { RegistryDb, type Sql } from '../common/registry-db.js';

type Parsed = Required<DisposalSiteInput> & { townCode: string | null };

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** 消纳场: where muck may be unloaded (licensed), or may not (closed, illegal). Town officials see their town's only. */
@Injectable()
export class DisposalSitesService extends GeofenceResource<DisposalSite, Parsed> {
  readonly kind = 'disposal-sites' as const;
  readonly resourceType = 'disposal_site' as const;
  readonly label = 'disposal site';
  readonly recordKind = 'disposal_site' as const;
  protected readonly table = 'disposal_sites';
  protected readonly alias = 'd';
  protected readonly orderBy = 'd.status, d.name';
  protected override readonly townColumn = 'd.town_code';
  protected readonly select = `
    SELECT d.id, d.name, d.status, d.town_code, t.name AS town_name, d.address, d.capacity_m3, ST_AsGeoJSON(d.geom, 7)::json AS geometry,
           d.washing_facility, d.dust_control, d.distance_to_homes_m, d.distance_to_schools_m, d.demo
      FROM disposal_sites d
      LEFT JOIN towns t ON t.code = d.town_code`;

  constructor(db: RegistryDb) {
    super(db);
  }

  protected toRecord(row: Record<string, unknown>): DisposalSite {
    return {
      id: row['id'] as string,
      name: row['name'] as string,
      status: row['status'] as DisposalSite['status'],
      townCode: row['town_code'] as string | null,
      townName: row['town_name'] as string | null,
      address: row['address'] as string | null,
      capacityM3: num(row['capacity_m3']),
      geometry: row['geometry'] as Polygon,
      washingFacility: row['washing_facility'] as boolean,
      dustControl: row['dust_control'] as boolean,
      distanceToHomesM: num(row['distance_to_homes_m']),
      distanceToSchoolsM: num(row['distance_to_schools_m']),
      demo: row['demo'] as boolean,
    };
  }

  protected async parse(sql: Sql, body: unknown, prefix: string): Promise<Parsed> {
    const input: Input = Input.of(body, prefix);
    const name = input.text('name', { max: 100 });
    const status = input.oneOf('status', DISPOSAL_SITE_STATUSES);
    const geometry = await validPolygon(sql, input.path('geometry'), input.raw('geometry'));
    let townCode = input.optionalText('townCode', { max: 20 });
    if (townCode !== null) await requireTown(sql, input.path('townCode'), townCode);
    else townCode = await townAt(sql, geometry);
    return {
      name,
      status,
      geometry,
      townCode,
      address: input.optionalText('address'),
      capacityM3: input.optionalNumber('capacityM3', { min: 0, max: 1e9 }),
      washingFacility: input.bool('washingFacility', false),
      dustControl: input.bool('dustControl', false),
      distanceToHomesM: input.optionalNumber('distanceToHomesM', { min: 0, max: 1e6 }),
      distanceToSchoolsM: input.optionalNumber('distanceToSchoolsM', { min: 0, max: 1e6 }),
    };
  }

  private params(p: Parsed): unknown[] {
    return [p.name, p.status, p.townCode, p.address, p.capacityM3, JSON.stringify(p.geometry), p.washingFacility, p.dustControl, p.distanceToHomesM, p.distanceToSchoolsM];
  }

  protected async insert(sql: Sql, p: Parsed, id: string | null): Promise<string> {
    const { rows } = await sql.query<{ id: string }>(
      `INSERT INTO disposal_sites (id, name, status, town_code, address, capacity_m3, geom, washing_facility, dust_control, distance_to_homes_m, distance_to_schools_m)
       VALUES (COALESCE($1::uuid, gen_random_uuid()), $2, $3, $4, $5, $6, ${GEOM('$7')}, $8, $9, $10, $11) RETURNING id`,
      [id, ...this.params(p)],
    );
    return rows[0]!.id;
  }

  protected async replace(sql: Sql, id: string, p: Parsed): Promise<void> {
    await sql.query(
      `UPDATE disposal_sites SET name = $2, status = $3, town_code = $4, address = $5, capacity_m3 = $6, geom = ${GEOM('$7')},
              washing_facility = $8, dust_control = $9, distance_to_homes_m = $10, distance_to_schools_m = $11, updated_at = now()
        WHERE id = $1`,
      [id, ...this.params(p)],
    );
  }
}
