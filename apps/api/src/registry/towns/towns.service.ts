import { Injectable } from '@nestjs/common';
import type { FeatureCollection, MultiPolygon } from 'geojson';
import type { GeofenceImportResult, TownKind, TownProperties } from '@muckwatch/contracts';
import { declaredCrs, toWgs84 } from '../common/crs.js';
import { boundedImport, validMultiPolygon } from '../common/geometry.js';
import { badInput, Input } from '../common/input.js';
import { type Actor, RegistryDb } from '../common/registry-db.js';

const TOWN_CODE = /^(\d{9}|E\d{8})$/;

/** 镇、街道: the 14 assessed units. Polygons are replaceable from official GeoJSON (WGS-84 or GCJ-02, converted). */
@Injectable()
export class TownsService {
  constructor(private readonly db: RegistryDb) {}

  async list(): Promise<FeatureCollection<MultiPolygon, TownProperties>> {
    const rows = await this.db.rows<TownProperties & { geometry: MultiPolygon }>(
      `SELECT code, name, kind, synthetic, ST_AsGeoJSON(geom, 7)::json AS geometry FROM towns ORDER BY code`,
    );
    return {
      type: 'FeatureCollection',
      features: rows.map(({ geometry, ...properties }) => ({ type: 'Feature', id: properties.code, geometry, properties })),
    };
  }

  /**
   * A feature whose `properties.code` names a town replaces its polygon (and name, kind, synthetic
   * when given; `synthetic` defaults to false: an imported boundary is taken as official); a new
   * code needs name and kind. All or nothing.
   */
  async import(actor: Actor, body: unknown, queryCrs: string | undefined): Promise<GeofenceImportResult> {
    if (typeof body !== 'object' || body === null || (body as { type?: unknown }).type !== 'FeatureCollection') {
      badInput('type', 'the body must be a GeoJSON FeatureCollection', { code: 'registry.not_feature_collection' });
    }
    const crs = declaredCrs(queryCrs, body);
    const features = (body as { features?: unknown }).features;
    if (!Array.isArray(features)) badInput('features', 'features must be an array of GeoJSON Features');
    boundedImport(features);
    const current = new Map((await this.list()).features.map((f) => [f.properties.code, f]));
    return this.db.write(actor, async (tx) => {
      const result: GeofenceImportResult = { kind: 'towns', crs, created: 0, updated: 0, ids: [] };
      for (const [i, raw] of (features as unknown[]).entries()) {
        const feature = raw as { type?: unknown; properties?: unknown; geometry?: unknown };
        if (typeof feature !== 'object' || feature === null || feature.type !== 'Feature') badInput(`features.${i}`, `features.${i} must be a GeoJSON Feature`);
        const input: Input = Input.of(feature.properties ?? {}, `features.${i}.properties.`);
        const code = input.text('code', { max: 20 });
        if (!TOWN_CODE.test(code)) input.fail('code', 'code must be a 9-digit town code or E + 8 digits');
        const before = current.get(code);
        const name = input.optionalText('name', { max: 50 }) ?? before?.properties.name ?? input.fail('name', 'name is required for a new town');
        const kind: TownKind = input.has('kind') ? input.oneOf('kind', ['street', 'town', 'enterprise'] as const) : (before?.properties.kind ?? input.fail('kind', 'kind is required for a new town'));
        const synthetic = input.bool('synthetic', false);
        const geometry = await validMultiPolygon(tx.sql, `features.${i}.geometry`, toWgs84(feature.geometry as MultiPolygon, crs, `features.${i}.geometry`));
        await tx.sql.query(
          `INSERT INTO towns (code, name, kind, synthetic, geom) VALUES ($1, $2, $3, $4, ST_SetSRID(ST_GeomFromGeoJSON($5), 4326))
           ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, synthetic = EXCLUDED.synthetic, geom = EXCLUDED.geom, updated_at = now()`,
          [code, name, kind, synthetic, JSON.stringify(geometry)],
        );
        const after = { code, name, kind, synthetic, geometry };
        await tx.audited('town', 'import', code, before ? { ...before.properties, geometry: before.geometry } : null, after);
        result.ids.push(code);
        result[before ? 'updated' : 'created']++;
      }
      return result;
    });
  }
}
