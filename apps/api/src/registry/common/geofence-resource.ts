import type { Feature, Geometry } from 'geojson';
import type { GeofenceExport, GeofenceImportResult, GeofenceKind, ImportCrs, RegistryResourceType } from '@muckwatch/contracts';
import type { Principal } from '../../auth/principal.js';
import { declaredCrs, toWgs84 } from './crs.js';
import { boundedImport } from './geometry.js';
import { badInput, Input, isUuid, notFound, patched, type RecordKind, requireUuidParam } from './input.js';
import { orConflict } from './pg-errors.js';
import { type Actor, RegistryDb, type RegistryTx, type Sql } from './registry-db.js';
import { townScope } from './scope.js';

/** SQL for today's local date in Linzi. */
export const TODAY_SQL = `(now() AT TIME ZONE 'Asia/Shanghai')::date`;

/**
 * A geofence kind of the registry (construction sites, disposal sites, routes, speed zones): CRUD,
 * town scoping for town officials where the kind has a town, audit, and GeoJSON import/export.
 * Subclasses give the SQL and the validation of one body.
 */
export abstract class GeofenceResource<R extends { id: string; geometry: Geometry }, P> {
  abstract readonly kind: GeofenceKind;
  abstract readonly resourceType: RegistryResourceType;
  /** 'construction site', for messages. */
  abstract readonly label: string;
  /** The kind `registry.not_found` names. */
  abstract readonly recordKind: RecordKind;
  /** The table, for DELETE. */
  protected abstract readonly table: string;
  /** SELECT … FROM <table> <alias> [JOINs], without WHERE; the id column is `<alias>.id`. */
  protected abstract readonly select: string;
  protected abstract readonly alias: string;
  protected abstract readonly orderBy: string;
  /** The town column for scoping town officials, or null when the kind is district-wide. */
  protected readonly townColumn: string | null = null;
  /** Unique constraints → input field. */
  protected readonly unique: Record<string, string> = {};

  constructor(protected readonly db: RegistryDb) {}

  protected abstract toRecord(row: Record<string, unknown>): R;
  /** Validates a whole body (geometry included); problems are 400s naming `prefix + field`. */
  protected abstract parse(sql: Sql, body: unknown, prefix: string): Promise<P>;
  protected abstract insert(sql: Sql, parsed: P, id: string | null): Promise<string>;
  protected abstract replace(sql: Sql, id: string, parsed: P): Promise<void>;

  /**
   * The SQL condition that a row belongs to the town in parameter `townParam` (`$n`), or null when
   * the kind is district-wide. By default the kind's own town column.
   */
  protected townCondition(townParam: string): string | null {
    return this.townColumn ? `${this.townColumn} = ${townParam}` : null;
  }

  /** The caller's scope as a WHERE condition: a town official's own town, everyone else all rows. */
  private scoped(principal: Principal | undefined, params: unknown[]): string {
    const town = townScope(principal);
    const condition = town === null ? null : this.townCondition(`$${params.length + 1}`);
    if (condition === null) return 'true';
    params.push(town);
    return condition;
  }

  async list(principal?: Principal): Promise<R[]> {
    const params: unknown[] = [];
    const where = this.scoped(principal, params);
    return (await this.db.rows(`${this.select} WHERE ${where} ORDER BY ${this.orderBy}`, params)).map((row) => this.toRecord(row));
  }

  async find(id: string, sql: Sql = this.db.sql, principal?: Principal): Promise<R | null> {
    const params: unknown[] = [id];
    const where = this.scoped(principal, params);
    const { rows } = await sql.query(`${this.select} WHERE ${this.alias}.id = $1 AND ${where}`, params);
    return rows[0] ? this.toRecord(rows[0]) : null;
  }

  async get(id: string, principal?: Principal, sql: Sql = this.db.sql): Promise<R> {
    requireUuidParam(this.recordKind, id);
    return (await this.find(id, sql, principal)) ?? notFound(this.recordKind, id);
  }

  async create(actor: Actor, body: unknown): Promise<R> {
    const parsed = await this.parse(this.db.sql, body, '');
    return this.db.write(actor, async (tx) => {
      const id = await orConflict(this.insert(tx.sql, parsed, null), this.unique);
      const after = await this.get(id, undefined, tx.sql);
      await tx.audited(this.resourceType, 'create', id, null, after);
      return after;
    });
  }

  async update(actor: Actor, id: string, body: unknown): Promise<R> {
    const before = await this.get(id);
    const parsed = await this.parse(this.db.sql, patched(before, body), '');
    return this.db.write(actor, async (tx) => {
      await orConflict(this.replace(tx.sql, id, parsed), this.unique);
      const after = await this.get(id, undefined, tx.sql);
      await tx.audited(this.resourceType, 'update', id, before, after);
      return after;
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const before = await this.get(id);
    await this.db.write(actor, async (tx) => {
      await orConflict(tx.sql.query(`DELETE FROM ${this.table} WHERE id = $1`, [id]));
      await tx.audited(this.resourceType, 'delete', id, before, null);
    });
  }

  /** A FeatureCollection in WGS-84: each feature's properties carry the record's fields. */
  async export(principal?: Principal): Promise<GeofenceExport> {
    const records = await this.list(principal);
    return {
      type: 'FeatureCollection',
      features: records.map(({ geometry, ...properties }) => ({ type: 'Feature', id: properties.id, geometry, properties }) as GeofenceExport['features'][number]),
    };
  }

  /**
   * Imports a FeatureCollection in one transaction: a feature whose `properties.id` exists is
   * updated (its properties laid over the record), any other is created (with that id when it is
   * a UUID). One bad feature refuses the whole import, naming `features.N.…`.
   */
  async import(actor: Actor, body: unknown, queryCrs: string | undefined): Promise<GeofenceImportResult> {
    if (typeof body !== 'object' || body === null || (body as { type?: unknown }).type !== 'FeatureCollection') {
      badInput('type', 'the body must be a GeoJSON FeatureCollection', { code: 'registry.not_feature_collection' });
    }
    const crs: ImportCrs = declaredCrs(queryCrs, body);
    const features = (body as { features?: unknown }).features;
    if (!Array.isArray(features)) badInput('features', 'features must be an array of GeoJSON Features', { code: 'registry.not_feature_collection' });
    boundedImport(features);
    return this.db.write(actor, async (tx) => {
      const result: GeofenceImportResult = { kind: this.kind, crs, created: 0, updated: 0, ids: [] };
      for (const [i, feature] of (features as unknown[]).entries()) {
        const id = await this.importFeature(tx, feature, `features.${i}.`, crs);
        result.ids.push(id.id);
        result[id.created ? 'created' : 'updated']++;
      }
      return result;
    });
  }

  private async importFeature(tx: RegistryTx, feature: unknown, prefix: string, crs: ImportCrs): Promise<{ id: string; created: boolean }> {
    const f = feature as Feature | null;
    if (typeof f !== 'object' || f === null || f.type !== 'Feature') badInput(prefix.slice(0, -1), `${prefix.slice(0, -1)} must be a GeoJSON Feature`, { code: 'registry.not_feature_collection' });
    const properties = Input.of(f.properties ?? {}, `${prefix}properties.`);
    const rawId = properties.raw('id') ?? f.id;
    if (rawId !== undefined && rawId !== null && !isUuid(rawId)) badInput(`${prefix}properties.id`, `${prefix}properties.id must be a UUID`, { code: 'input.uuid_invalid' });
    const id = typeof rawId === 'string' ? rawId.toLowerCase() : null;
    const geometry = f.geometry ? toWgs84(f.geometry, crs, `${prefix}geometry`) : f.geometry;
    const before = id ? await this.find(id, tx.sql) : null;
    const merged = { ...(before ?? {}), ...(f.properties ?? {}), geometry };
    const parsed = await this.parseImported(tx.sql, merged, prefix);
    let savedId: string;
    if (before) {
      await orConflict(this.replace(tx.sql, before.id, parsed), this.unique);
      savedId = before.id;
    } else {
      savedId = await orConflict(this.insert(tx.sql, parsed, id), this.unique);
    }
    const after = await this.get(savedId, undefined, tx.sql);
    await tx.audited(this.resourceType, 'import', after.id, before, after);
    return { id: after.id, created: before === null };
  }

  /** Geometry problems are reported at `features.N.geometry`, property problems at `features.N.properties.<field>`. */
  private async parseImported(sql: Sql, merged: Record<string, unknown>, prefix: string): Promise<P> {
    return this.parse(sql, merged, `${prefix}properties.`).catch((error: unknown) => {
      const response = (error as { getResponse?: () => unknown }).getResponse?.() as
        | { field?: string; message?: string; code?: string; params?: Record<string, unknown> }
        | undefined;
      if (response?.field === `${prefix}properties.geometry`) {
        badInput(`${prefix}geometry`, (response.message ?? '').replace(`${prefix}properties.geometry`, `${prefix}geometry`), {
          code: response.code ?? 'registry.geometry_invalid',
          params: { ...response.params, field: `${prefix}geometry` },
        });
      }
      throw error;
    });
  }
}
