import { Inject, Injectable, Logger } from '@nestjs/common';
import { booleanPointInPolygon } from '@turf/turf';
import type { BBox, MultiPolygon } from 'geojson';
import type pg from 'pg';
import type { TruckPosition } from '@muckwatch/contracts';
import { PG_POOL } from '../database/database.module.js';

interface TownShape {
  code: string;
  bbox: BBox;
  geometry: MultiPolygon;
}

/**
 * Which town a live position is in, for a town official's map (they see the trucks inside their
 * own town). Towns are loaded from the registry when first needed and on `reload()`.
 */
@Injectable()
export class TownScope {
  private readonly logger = new Logger(TownScope.name);
  private towns: TownShape[] = [];

  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  /** Loads the towns if none are loaded yet (on a first start they are seeded after this module boots). */
  async ready(): Promise<void> {
    if (this.towns.length === 0) await this.reload();
  }

  async reload(): Promise<void> {
    const { rows } = await this.pool.query<{ code: string; geometry: MultiPolygon; bbox: { coordinates: number[][][] } }>(
      `SELECT code, ST_AsGeoJSON(geom)::json AS geometry, ST_AsGeoJSON(ST_Envelope(geom))::json AS bbox FROM towns`,
    );
    this.towns = rows.map((row) => {
      const ring = row.bbox.coordinates[0] ?? [];
      const xs = ring.map((p) => p[0]!);
      const ys = ring.map((p) => p[1]!);
      return { code: row.code, geometry: row.geometry, bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] };
    });
    this.logger.debug(`${this.towns.length} towns loaded`);
  }

  /** The code of the town covering the point (edges count as inside), or null outside them all. */
  townAt(lon: number, lat: number): string | null {
    for (const town of this.towns) {
      const [minX, minY, maxX, maxY] = town.bbox;
      if (lon < minX || lon > maxX || lat < minY || lat > maxY) continue;
      if (booleanPointInPolygon([lon, lat], town.geometry)) return town.code;
    }
    return null;
  }

  within(positions: TruckPosition[], townCode: string): TruckPosition[] {
    return positions.filter((p) => this.townAt(p.lon, p.lat) === townCode);
  }
}
