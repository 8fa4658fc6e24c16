/**
 * Generates libs/linzi/src/data/*.json from /work/shared/reference/linzi (or $LINZI_REFERENCE_DIR):
 *   linzi-district.wgs84.json  the district boundary, converted from GCJ-02 to WGS-84 with gcoord
 *   towns.wgs84.json           the 14 assessed units with SYNTHETIC polygons tiling the district
 * Run from the repository root:
 *   SWC_NODE_PROJECT=tsconfig.json node --import @swc-node/register/esm-register libs/linzi/scripts/generate.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as turf from '@turf/turf';
import gcoordModule from 'gcoord';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { enterpriseFullNames, townSeeds, type TownKind } from '../src/town-seeds.js';

// gcoord ships CommonJS (`module.exports = { transform, GCJ02, … }`) with ESM-style typings: normalise.
type Gcoord = typeof gcoordModule.default;
const gcoord: Gcoord = (gcoordModule as unknown as { default?: Gcoord }).default ?? (gcoordModule as unknown as Gcoord);

const here = dirname(fileURLToPath(import.meta.url));
const referenceDir = resolve(process.env['LINZI_REFERENCE_DIR'] ?? '/work/shared/reference/linzi');
const outDir = join(here, '../src/data');

const BOUNDARY_SOURCE = 'tnnevol/gmap 370305.json (DataV.GeoAtlas export, 2019 snapshot)';
const BOUNDARY_COMMIT = 'b248aaaefc0c13f6bd006a4dc2fa4530d2cfd9b5';
const BOUNDARY_LICENCE = 'The source repository states no licence: use as fixture and demo data only.';
const TOWNS_SOURCE = 'NBS 统计用区划代码 (2022-10-31 cut-off) via modood/Administrative-divisions-of-China dist/streets.csv';
const TOWNS_COMMIT = 'dc3a1d7a';
const DECIMALS = 7; // about 1 cm

function round(value: number): number {
  const factor = 10 ** DECIMALS;
  return Math.round(value * factor) / factor;
}

/** Rounds, drops repeated vertices, closes the ring. */
function cleanRing(ring: Position[]): Position[] {
  const out: Position[] = [];
  for (const p of ring) {
    const q = [round(p[0]!), round(p[1]!)];
    const last = out[out.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
  }
  const first = out[0]!;
  const last = out[out.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) out.push([first[0]!, first[1]!]);
  return out;
}

/** Rounded, cleaned, RFC 7946 winding (outer rings counter-clockwise, holes clockwise). */
function normalise<G extends Polygon | MultiPolygon>(geometry: G): G {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const cleaned = polygons.map((rings) => rings.map(cleanRing).filter((ring) => ring.length >= 4));
  const feature: Feature<Polygon | MultiPolygon> =
    geometry.type === 'Polygon' ? turf.polygon(cleaned[0]!) : turf.multiPolygon(cleaned);
  const rewound = turf.rewind(feature) as Feature<G>;
  return rewound.geometry;
}

// --- district boundary ------------------------------------------------------------------------
const source = JSON.parse(readFileSync(join(referenceDir, 'linzi-district.geojson'), 'utf8')) as FeatureCollection<MultiPolygon>;
const sourceFeature = source.features[0]!;
const wgs = gcoord.transform(structuredClone(sourceFeature) as unknown as string, gcoord.GCJ02, gcoord.WGS84) as unknown as Feature<MultiPolygon>;
const districtGeometry = normalise(wgs.geometry);
const sourceCentre = (sourceFeature.properties as { center: [number, number] }).center;
const centre = gcoord.transform<[number, number]>(sourceCentre, gcoord.GCJ02, gcoord.WGS84);
const district: Feature<MultiPolygon> = {
  type: 'Feature',
  properties: {
    code: '370305',
    name: '临淄区',
    centre: [round(centre[0]), round(centre[1])],
    crs: 'WGS-84 (EPSG:4326), [lon, lat]',
    source: BOUNDARY_SOURCE,
    sourceCommit: BOUNDARY_COMMIT,
    licence: BOUNDARY_LICENCE,
    conversion: 'converted from GCJ-02 to WGS-84 with gcoord; rounded to 7 decimals; rewound counter-clockwise (RFC 7946)',
    areaKm2: Math.round(turf.area(districtGeometry) / 1e4) / 100,
  },
  geometry: districtGeometry,
};
const districtArea = turf.area(districtGeometry);

// --- synthetic towns --------------------------------------------------------------------------
const enterpriseZones = townSeeds
  .filter((t) => t.kind === 'enterprise')
  .map((t) => turf.polygon([[...t.zone!, t.zone![0]!]]));
const enterpriseUnion = enterpriseZones.length > 1 ? turf.union(turf.featureCollection(enterpriseZones))! : enterpriseZones[0]!;

const nbsUnits = townSeeds.filter((t) => t.kind !== 'enterprise');
const points = nbsUnits.flatMap((t, unit) => t.seeds.map((s) => turf.point(s, { unit })));
const [minX, minY, maxX, maxY] = turf.bbox(districtGeometry);
const cells = turf.voronoi(turf.featureCollection(points), { bbox: [minX - 0.05, minY - 0.05, maxX + 0.05, maxY + 0.05] });
const districtFeature = turf.feature(districtGeometry);

interface GeneratedTown {
  code: string;
  name: string;
  nbsName?: string;
  fullName?: string;
  kind: TownKind;
  synthetic: true;
  geometry: Polygon | MultiPolygon;
}

const towns: GeneratedTown[] = [];
for (const seed of townSeeds) {
  let shape: Feature<Polygon | MultiPolygon> | null;
  if (seed.kind === 'enterprise') {
    const zone: Feature<Polygon | MultiPolygon> = turf.polygon([[...seed.zone!, seed.zone![0]!]]);
    shape = turf.intersect(turf.featureCollection([zone, districtFeature]));
  } else {
    const unit = nbsUnits.indexOf(seed);
    const own = cells.features.filter((_, i) => points[i]!.properties.unit === unit);
    const merged = own.length > 1 ? turf.union(turf.featureCollection(own)) : own[0]!;
    const clipped = turf.intersect(turf.featureCollection([merged!, districtFeature]));
    shape = clipped && turf.difference(turf.featureCollection([clipped, enterpriseUnion]));
  }
  if (!shape) throw new Error(`unit ${seed.code} ${seed.name} came out empty`);
  const town: GeneratedTown = { code: seed.code, name: seed.name, kind: seed.kind, synthetic: true, geometry: normalise(shape.geometry) };
  if (seed.nbsName) town.nbsName = seed.nbsName;
  const fullName = enterpriseFullNames[seed.code];
  if (fullName) town.fullName = fullName;
  towns.push(town);
}

// Voronoi cells clipped to a wiggly boundary can leave slivers detached from their unit: hand each
// part smaller than 2 % of its unit to a neighbour that touches it, so every unit stays one piece.
for (const town of towns) {
  if (town.geometry.type !== 'MultiPolygon') continue;
  const parts = town.geometry.coordinates.map((rings) => turf.polygon(rings));
  const total = parts.reduce((sum, part) => sum + turf.area(part), 0);
  const kept = parts.filter((part) => turf.area(part) >= 0.02 * total);
  for (const part of parts.filter((p) => !kept.includes(p))) {
    const neighbour = towns.find((other) => other !== town && turf.booleanIntersects(turf.feature(other.geometry), part));
    if (!neighbour) throw new Error(`sliver of ${town.name} touches no other unit`);
    neighbour.geometry = normalise(turf.union(turf.featureCollection([turf.feature(neighbour.geometry), part]))!.geometry);
    console.log(`moved a ${(turf.area(part) / 1e6).toFixed(4)} km² sliver of ${town.name} to ${neighbour.name}`);
  }
  town.geometry = normalise(kept.length === 1 ? kept[0]!.geometry : turf.multiPolygon(kept.map((k) => k.geometry.coordinates)).geometry);
}

const townsFile = {
  synthetic: true,
  note: 'SYNTHETIC polygons: no public township boundaries of Linzi exist. Voronoi cells of hand-placed seeds (libs/linzi/src/town-seeds.ts), clipped to the district boundary; the two enterprise zones are small hand-drawn polygons. Replace with official boundaries when the district supplies them.',
  codes: `${TOWNS_SOURCE} @ ${TOWNS_COMMIT}; enterprise zones E37030501 (齐鲁石化) and E37030502 (十化建) use codes of our own`,
  boundary: `${BOUNDARY_SOURCE} @ ${BOUNDARY_COMMIT}, converted from GCJ-02 to WGS-84 with gcoord`,
  towns,
};

writeFileSync(join(outDir, 'linzi-district.wgs84.json'), `${JSON.stringify(district)}\n`);
writeFileSync(join(outDir, 'towns.wgs84.json'), `${JSON.stringify(townsFile)}\n`);

let sum = 0;
for (const town of towns) {
  const area = turf.area(town.geometry);
  sum += area;
  console.log(`${town.code} ${town.name.padEnd(6, '　')} ${town.kind.padEnd(10)} ${(area / 1e6).toFixed(2).padStart(7)} km²`);
}
console.log(`district ${(districtArea / 1e6).toFixed(3)} km², towns sum ${(sum / 1e6).toFixed(3)} km², difference ${(((sum - districtArea) / districtArea) * 100).toFixed(5)} %`);
