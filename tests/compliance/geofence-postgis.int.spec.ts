import type { Polygon } from 'geojson';
import pg from 'pg';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { distanceToLineM, GeofenceIndex, type FenceKind } from '@muckwatch/domain';
import { demoConstructionSites, demoDisposalSites, demoRoutes, towns } from '@muckwatch/linzi';

/**
 * The engine's in-memory geofence answers must be PostGIS's answers (style rule 8: PostGIS is the
 * oracle). Thousands of points around the real shapes — random ones, every vertex, points on
 * every edge, and points one ulp off vertices — asked of both GeofenceIndex.covers and ST_Covers.
 */

type Shape = { kind: FenceKind; id: string; polygons: number[][][][] };

const view = new DataView(new ArrayBuffer(8));
/** The next double after x in the direction of `towards` (one ulp). */
function nextAfter(x: number, towards: number): number {
  if (x === towards) return x;
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, (x < towards) === x > 0 ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}

/** Little-endian WKB of a (multi)polygon: exact doubles, no decimal round trip. */
function wkb(polygons: number[][][][]): string {
  const parts: Buffer[] = [];
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    parts.push(b);
  };
  const f64 = (n: number) => {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(n);
    parts.push(b);
  };
  const polygon = (rings: number[][][]) => {
    parts.push(Buffer.from([1]));
    u32(3);
    u32(rings.length);
    for (const ring of rings) {
      u32(ring.length);
      for (const p of ring) {
        f64(p[0]!);
        f64(p[1]!);
      }
    }
  };
  parts.push(Buffer.from([1]));
  u32(6);
  u32(polygons.length);
  for (const rings of polygons) polygon(rings);
  return Buffer.concat(parts).toString('hex');
}

/** A polygon with a hole: a disposal site with its middle cut out (holes must agree too). */
function withHole(p: Polygon): number[][][] {
  const outer = p.coordinates[0]!;
  const cx = outer.reduce((s, q) => s + q[0]!, 0) / outer.length;
  const cy = outer.reduce((s, q) => s + q[1]!, 0) / outer.length;
  const hole = [...outer].reverse().map((q) => [cx + (q[0]! - cx) * 0.5, cy + (q[1]! - cy) * 0.5]);
  return [outer, hole];
}

function pointsAround(shape: Shape, random: () => number, count: number): Array<[number, number]> {
  const all = shape.polygons.flat(2);
  const xs = all.map((p) => p[0]!);
  const ys = all.map((p) => p[1]!);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const padX = (maxX - minX) * 0.15;
  const padY = (maxY - minY) * 0.15;
  const points: Array<[number, number]> = [];
  for (let i = 0; i < count; i++) points.push([minX - padX + random() * (maxX - minX + 2 * padX), minY - padY + random() * (maxY - minY + 2 * padY)]);
  for (const rings of shape.polygons) {
    for (const ring of rings) {
      for (let i = 1; i < ring.length; i++) {
        const [a, b] = [ring[i - 1]!, ring[i]!];
        points.push([a[0]!, a[1]!]);
        points.push([nextAfter(a[0]!, Infinity), a[1]!], [a[0]!, nextAfter(a[1]!, -Infinity)]);
        points.push([(a[0]! + b[0]!) / 2, (a[1]! + b[1]!) / 2]);
        const t = random();
        points.push([a[0]! + t * (b[0]! - a[0]!), a[1]! + t * (b[1]! - a[1]!)]);
        // Same latitude as a vertex: the ray cast from the point passes through that vertex.
        points.push([a[0]! - padX * random(), a[1]!]);
      }
    }
  }
  return points;
}

describe('geofence index agrees with PostGIS', () => {
  let db: pg.Client;
  let generator: RandomGenerator;
  const random = () => uniformFloat64(generator);

  const shapes: Shape[] = [
    ...towns.map((t) => ({ kind: 'town' as const, id: t.code, polygons: t.geometry.type === 'Polygon' ? [t.geometry.coordinates] : t.geometry.coordinates })),
    ...demoConstructionSites.map((s) => ({ kind: 'construction-site' as const, id: s.id, polygons: [s.geometry.coordinates] })),
    ...demoDisposalSites.map((s) => ({ kind: 'disposal-site' as const, id: s.id, polygons: [withHole(s.geometry)] })),
  ];
  const index = new GeofenceIndex({
    towns: towns.map((t) => ({ code: t.code, name: t.name, geometry: t.geometry })),
    constructionSites: demoConstructionSites.map((s) => ({ id: s.id, name: s.name, townCode: s.townCode, geometry: s.geometry })),
    disposalSites: demoDisposalSites.map((s) => ({ id: s.id, name: s.name, status: s.status, townCode: s.townCode, geometry: { type: 'Polygon', coordinates: withHole(s.geometry) } })),
    speedZones: [],
  });

  beforeAll(async () => {
    generator = xoroshiro128plus(20_180_308);
    db = new pg.Client({ connectionString: inject('databaseUrl') });
    await db.connect();
    await db.query('CREATE EXTENSION IF NOT EXISTS postgis');
  });

  afterAll(async () => {
    await db.end();
  });

  it('covers() equals ST_Covers for random, vertex, edge and one-ulp-off points around every town and demo site', async () => {
    let compared = 0;
    let onBoundaryOrNudged = 0;
    const disagreements: string[] = [];
    for (const shape of shapes) {
      const points = pointsAround(shape, random, shape.kind === 'town' ? 600 : 150);
      const { rows } = await db.query<{ covers: boolean }>(
        `SELECT ST_Covers(g.geom, ST_SetSRID(ST_MakePoint(p.x, p.y), 4326)) AS covers
           FROM (SELECT ST_GeomFromWKB(decode($1, 'hex'), 4326) AS geom) g,
                unnest($2::float8[], $3::float8[]) WITH ORDINALITY AS p(x, y, i)
          ORDER BY p.i`,
        [wkb(shape.polygons), points.map((p) => p[0]), points.map((p) => p[1])],
      );
      expect(rows).toHaveLength(points.length);
      for (const [i, [x, y]] of points.entries()) {
        const mine = index.covers(shape.kind, shape.id, x, y);
        if (mine !== rows[i]!.covers) disagreements.push(`${shape.kind} ${shape.id} POINT(${x} ${y}): engine ${mine}, PostGIS ${rows[i]!.covers}`);
        compared++;
      }
      onBoundaryOrNudged += points.length - (shape.kind === 'town' ? 600 : 150);
    }
    expect(disagreements.slice(0, 10)).toEqual([]);
    expect(compared).toBeGreaterThan(10_000);
    expect(onBoundaryOrNudged).toBeGreaterThan(3_000);
  });

  it('corridor distance agrees with ST_DWithin on the spheroid, outside a 1 m band at the corridor’s edge', async () => {
    let compared = 0;
    let inBand = 0;
    const disagreements: string[] = [];
    for (const route of demoRoutes) {
      const half = route.corridorWidthM / 2;
      const points: Array<[number, number]> = [];
      for (let i = 0; i < 300; i++) {
        const k = Math.floor(random() * (route.path.length - 1));
        const [a, b] = [route.path[k]!, route.path[k + 1]!];
        const t = random();
        const dir = random() * 2 * Math.PI;
        const r = random() * half * 2.5;
        points.push([a[0] + t * (b[0] - a[0]) + (r * Math.cos(dir)) / 89_000, a[1] + t * (b[1] - a[1]) + (r * Math.sin(dir)) / 111_000]);
      }
      const line = `LINESTRING(${route.path.map((p) => `${p[0]} ${p[1]}`).join(',')})`;
      const { rows } = await db.query<{ within: boolean }>(
        `SELECT ST_DWithin(ST_GeogFromText($1), ST_SetSRID(ST_MakePoint(p.x, p.y), 4326)::geography, $4, true) AS within
           FROM unnest($2::float8[], $3::float8[]) WITH ORDINALITY AS p(x, y, i) ORDER BY p.i`,
        [`SRID=4326;${line}`, points.map((p) => p[0]), points.map((p) => p[1]), half],
      );
      for (const [i, [x, y]] of points.entries()) {
        const d = distanceToLineM(x, y, route.path);
        if (Math.abs(d - half) < 1) {
          inBand++;
          continue;
        }
        if (d <= half !== rows[i]!.within) disagreements.push(`${route.id} POINT(${x} ${y}): engine ${d.toFixed(2)} m, PostGIS within=${rows[i]!.within}`);
        compared++;
      }
    }
    expect(disagreements.slice(0, 10)).toEqual([]);
    expect(compared).toBeGreaterThan(3_000);
    expect(inBand).toBeLessThan(compared / 20);
  });
});
