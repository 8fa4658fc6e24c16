import * as turf from '@turf/turf';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { DISTRICT_CENTRE, DISTRICT_CODE, districtBoundary } from './district.js';
import { towns } from './towns.js';

const districtArea = turf.area(districtBoundary);
const districtRings = districtBoundary.geometry.coordinates.flatMap((polygon) => polygon.map((ring) => turf.lineString(ring)));

function outerRings(geometry: Polygon | MultiPolygon): Position[][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates[0]!] : geometry.coordinates.map((p) => p[0]!);
}

describe('district boundary', () => {
  it('is the WGS-84 boundary of 临淄区 with its provenance', () => {
    expect(DISTRICT_CODE).toBe('370305');
    expect(districtBoundary.properties.conversion).toContain('GCJ-02 to WGS-84 with gcoord');
    expect(districtBoundary.properties.sourceCommit).toMatch(/^[0-9a-f]{40}$/);
    // official area 663.68 km²; the 2019 DataV outline comes within 1 %
    expect(Math.abs(districtArea / 1e6 - 663.68) / 663.68).toBeLessThan(0.01);
  });

  it('has a counter-clockwise outer ring (RFC 7946) and no self-intersection', () => {
    for (const ring of outerRings(districtBoundary.geometry)) expect(turf.booleanClockwise(ring)).toBe(false);
    expect(turf.kinks(districtBoundary).features).toHaveLength(0);
  });

  it('lies west of the GCJ-02 original (WGS-84 is about 500 m west of GCJ-02 here)', () => {
    const [minX, minY, maxX, maxY] = turf.bbox(districtBoundary);
    expect(minX).toBeCloseTo(118.1169 - 0.006, 2);
    expect(maxX).toBeCloseTo(118.4974 - 0.006, 2);
    expect(minY).toBeGreaterThan(36.62);
    expect(maxY).toBeLessThan(37.01);
    expect(turf.booleanPointInPolygon(DISTRICT_CENTRE, districtBoundary)).toBe(true);
  });
});

describe('towns (synthetic polygons)', () => {
  it('are the 14 assessed units: 5 streets, 7 towns, 2 enterprise zones', () => {
    expect(towns).toHaveLength(14);
    expect(towns.filter((t) => t.kind === 'street')).toHaveLength(5);
    expect(towns.filter((t) => t.kind === 'town')).toHaveLength(7);
    expect(towns.filter((t) => t.kind === 'enterprise').map((t) => t.name)).toEqual(['齐鲁石化', '十化建']);
    expect(new Set(towns.map((t) => t.code)).size).toBe(14);
    for (const town of towns) expect(town.synthetic).toBe(true);
  });

  it('use NBS codes for streets and towns and codes that cannot collide for enterprises', () => {
    for (const town of towns) {
      if (town.kind === 'enterprise') expect(town.code).toMatch(/^E370305\d{2}$/);
      else expect(town.code).toMatch(/^370305\d{3}$/);
    }
    const jinling = towns.find((t) => t.code === '370305107')!;
    expect(jinling.name).toBe('金岭回族镇');
    expect(jinling.nbsName).toBe('金岭镇');
  });

  it('cover the district: area sum equals the district area within 0.5 %', () => {
    const sum = towns.reduce((total, town) => total + turf.area(town.geometry), 0);
    expect(Math.abs(sum - districtArea) / districtArea).toBeLessThan(0.005);
  });

  it('have every vertex inside the district (or on its boundary, within 1 cm)', () => {
    for (const town of towns) {
      for (const ring of outerRings(town.geometry)) {
        for (const vertex of ring) {
          const inside = turf.booleanPointInPolygon(vertex, districtBoundary);
          const onEdge = inside || districtRings.some((line) => turf.pointToLineDistance(vertex, line, { units: 'meters' }) < 0.01);
          expect(onEdge, `${town.name} vertex ${vertex.join(',')}`).toBe(true);
        }
      }
    }
  });

  // coordinates are rounded to 1e-7° (about 1 cm), so shared edges may cross by millimetres
  it('do not overlap: every pairwise intersection is below 10 m²', () => {
    for (let i = 0; i < towns.length; i++) {
      for (let j = i + 1; j < towns.length; j++) {
        const a = towns[i]!;
        const b = towns[j]!;
        const overlap = turf.intersect(turf.featureCollection([turf.feature(a.geometry), turf.feature(b.geometry)]));
        const area = overlap ? turf.area(overlap) : 0;
        expect(area, `${a.name} ∩ ${b.name}`).toBeLessThan(10);
      }
    }
  });

  it('are valid polygons with counter-clockwise outer rings, streets small and near the centre', () => {
    for (const town of towns) {
      const feature = turf.feature<Polygon | MultiPolygon>(town.geometry);
      expect(turf.kinks(feature).features, town.name).toHaveLength(0);
      for (const ring of outerRings(town.geometry)) expect(turf.booleanClockwise(ring), town.name).toBe(false);
      if (town.kind === 'street') {
        expect(turf.area(feature) / 1e6).toBeLessThan(60);
        expect(turf.distance(turf.centroid(feature), DISTRICT_CENTRE)).toBeLessThan(10);
      }
      if (town.kind === 'enterprise') expect(turf.area(feature) / 1e6).toBeLessThan(5);
    }
  });
});
