import Flatbush from 'flatbush';
import type { LineString, MultiPolygon, Polygon } from 'geojson';
import { coversAny, degreesFor, distanceToLineM, type Position } from './exact-geometry.js';
import type { OriginSiteFact, RegistrySnapshot } from './facts.js';

export type FenceKind = 'construction-site' | 'collection-point' | 'disposal-site' | 'town' | 'speed-zone';

interface PolygonFence {
  kind: FenceKind;
  id: string;
  shape: 'polygon';
  polygons: Position[][][];
}

interface CorridorFence {
  kind: FenceKind;
  id: string;
  shape: 'corridor';
  line: Position[];
  halfWidthM: number;
}

type Fence = PolygonFence | CorridorFence;

function polygonsOf(geometry: Polygon | MultiPolygon): Position[][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

function bboxOf(positions: Iterable<Position>): [number, number, number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of positions) {
    const [x = NaN, y = NaN] = p;
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  return [minX, minY, maxX, maxY];
}

/**
 * Every geofence of a registry snapshot in one in-memory R-tree (flatbush) of bounding boxes,
 * then an exact test per candidate: point-in-polygon that counts edges and vertices as inside
 * (PostGIS ST_Covers), and distance to the line for corridors. No database round trip per fix
 * (style rule 8); tests/compliance/geofence-postgis.int.spec.ts holds it to ST_Covers.
 */
export class GeofenceIndex {
  private readonly fences: Fence[] = [];
  private readonly tree: Flatbush | null;

  constructor(snapshot: Pick<RegistrySnapshot, 'constructionSites' | 'disposalSites' | 'towns' | 'speedZones'> & { collectionPoints?: readonly OriginSiteFact[] }) {
    const boxes: Array<[number, number, number, number]> = [];
    const addPolygon = (kind: FenceKind, id: string, geometry: Polygon | MultiPolygon) => {
      const polygons = polygonsOf(geometry);
      this.fences.push({ kind, id, shape: 'polygon', polygons });
      boxes.push(bboxOf(polygons.flatMap((rings) => rings[0] ?? [])));
    };
    const addCorridor = (kind: FenceKind, id: string, geometry: LineString, widthM: number) => {
      const halfWidthM = widthM / 2;
      this.fences.push({ kind, id, shape: 'corridor', line: geometry.coordinates, halfWidthM });
      const [minX, minY, maxX, maxY] = bboxOf(geometry.coordinates);
      const pad = degreesFor(halfWidthM * 1.01 + 1, Math.max(Math.abs(minY), Math.abs(maxY)));
      boxes.push([minX - pad.dLon, minY - pad.dLat, maxX + pad.dLon, maxY + pad.dLat]);
    };
    for (const s of snapshot.constructionSites) addPolygon('construction-site', s.id, s.geometry);
    for (const s of snapshot.collectionPoints ?? []) addPolygon('collection-point', s.id, s.geometry);
    for (const s of snapshot.disposalSites) addPolygon('disposal-site', s.id, s.geometry);
    for (const t of snapshot.towns) addPolygon('town', t.code, t.geometry);
    for (const z of snapshot.speedZones) {
      if (z.geometry.type === 'Polygon') addPolygon('speed-zone', z.id, z.geometry);
      else addCorridor('speed-zone', z.id, z.geometry, z.corridorWidthM ?? 0);
    }
    if (boxes.length === 0) {
      this.tree = null;
      return;
    }
    this.tree = new Flatbush(boxes.length);
    for (const b of boxes) this.tree.add(b[0], b[1], b[2], b[3]);
    this.tree.finish();
  }

  /** Ids of the fences of a kind that cover the point [lon, lat] (edges and vertices included). */
  covering(kind: FenceKind, lon: number, lat: number): string[] {
    if (!this.tree) return [];
    const ids: string[] = [];
    for (const i of this.tree.search(lon, lat, lon, lat)) {
      const fence = this.fences[i];
      if (!fence || fence.kind !== kind) continue;
      const inside =
        fence.shape === 'polygon' ? coversAny(fence.polygons, lon, lat) : distanceToLineM(lon, lat, fence.line) <= fence.halfWidthM;
      if (inside) ids.push(fence.id);
    }
    return ids;
  }

  /** Whether the fence `id` of a kind covers the point. */
  covers(kind: FenceKind, id: string, lon: number, lat: number): boolean {
    return this.covering(kind, lon, lat).includes(id);
  }
}
