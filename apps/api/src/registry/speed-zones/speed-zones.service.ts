import { Injectable } from '@nestjs/common';
import type { LineString, Polygon } from 'geojson';
import type { SpeedZone, SpeedZoneInput } from '@muckwatch/contracts';
import { GeofenceResource } from '../common/geofence-resource.js';
import { GEOM, validLineString, validPolygon } from '../common/geometry.js';
import { Input } from '../common/input.js';
import { RegistryDb, type Sql } from '../common/registry-db.js';

type Parsed = Required<SpeedZoneInput>;

/** 限速区: a polygon, or a road as a line with a corridor width, with a speed limit. */
@Injectable()
export class SpeedZonesService extends GeofenceResource<SpeedZone, Parsed> {
  readonly kind = 'speed-zones' as const;
  readonly resourceType = 'speed_zone' as const;
  readonly label = 'speed-limit zone';
  readonly recordKind = 'speed_zone' as const;
  protected readonly table = 'speed_zones';
  protected readonly alias = 'z';
  protected readonly orderBy = 'z.name';
  protected readonly select = `
    SELECT z.id, z.name, z.limit_kmh, ST_AsGeoJSON(z.geom, 7)::json AS geometry, z.corridor_width_m, z.demo
      FROM speed_zones z`;

  constructor(db: RegistryDb) {
    super(db);
  }

  protected toRecord(row: Record<string, unknown>): SpeedZone {
    return {
      id: row['id'] as string,
      name: row['name'] as string,
      limitKmh: Number(row['limit_kmh']),
      geometry: row['geometry'] as Polygon | LineString,
      corridorWidthM: row['corridor_width_m'] === null ? null : Number(row['corridor_width_m']),
      demo: row['demo'] as boolean,
    };
  }

  protected async parse(sql: Sql, body: unknown, prefix: string): Promise<Parsed> {
    const input: Input = Input.of(body, prefix);
    const name = input.text('name', { max: 100 });
    const limitKmh = input.number('limitKmh', { min: 0, max: 150, exclusiveMin: true });
    const raw = input.raw('geometry') as { type?: unknown } | undefined;
    if (raw?.type === 'LineString') {
      const geometry = validLineString(input.path('geometry'), raw);
      const corridorWidthM = input.number('corridorWidthM', { min: 0, max: 5000, exclusiveMin: true });
      return { name, limitKmh, geometry, corridorWidthM };
    }
    if (raw?.type !== 'Polygon') input.fail('geometry', 'geometry must be a GeoJSON Polygon, or a LineString with corridorWidthM', { code: 'registry.geometry_invalid' });
    const geometry = await validPolygon(sql, input.path('geometry'), raw);
    if (input.raw('corridorWidthM') !== undefined && input.raw('corridorWidthM') !== null) {
      input.fail('corridorWidthM', 'corridorWidthM is only for a LineString zone; a polygon zone has none');
    }
    return { name, limitKmh, geometry, corridorWidthM: null };
  }

  protected async insert(sql: Sql, p: Parsed, id: string | null): Promise<string> {
    const { rows } = await sql.query<{ id: string }>(
      `INSERT INTO speed_zones (id, name, limit_kmh, geom, corridor_width_m) VALUES (COALESCE($1::uuid, gen_random_uuid()), $2, $3, ${GEOM('$4')}, $5) RETURNING id`,
      [id, p.name, p.limitKmh, JSON.stringify(p.geometry), p.corridorWidthM],
    );
    return rows[0]!.id;
  }

  protected async replace(sql: Sql, id: string, p: Parsed): Promise<void> {
    await sql.query(`UPDATE speed_zones SET name = $2, limit_kmh = $3, geom = ${GEOM('$4')}, corridor_width_m = $5, updated_at = now() WHERE id = $1`, [
      id,
      p.name,
      p.limitKmh,
      JSON.stringify(p.geometry),
      p.corridorWidthM,
    ]);
  }
}
