import { describe, expect, it } from 'vitest';
import { locateInRing, orientation, polygonCovers } from './exact-geometry.js';
import { GeofenceIndex } from './geofence-index.js';

const square = [[118.3, 36.8], [118.31, 36.8], [118.31, 36.81], [118.3, 36.81], [118.3, 36.8]];
const hole = [[118.303, 36.803], [118.303, 36.807], [118.307, 36.807], [118.307, 36.803], [118.303, 36.803]];

describe('exact orientation', () => {
  it('tells left, right and on the line', () => {
    expect(orientation(0, 0, 1, 0, 0, 1)).toBe(1);
    expect(orientation(0, 0, 1, 0, 0, -1)).toBe(-1);
    expect(orientation(0, 0, 1, 1, 0.5, 0.5)).toBe(0);
  });

  it('is exact where naive floating point is wrong: points a few ulps either side of y = x', () => {
    // The classic near-degenerate case (Kettner et al., "Classroom examples of robustness problems"):
    // evaluated in plain doubles, the sign comes out wrong or zero for many of these.
    const ulp = 2 ** -53;
    for (let i = 0; i <= 12; i++) {
      for (let j = 0; j <= 12; j++) {
        expect(orientation(12, 12, 24, 24, 0.5 + i * ulp, 0.5 + j * ulp)).toBe(Math.sign(j - i) || 0);
      }
    }
    expect(orientation(0, 0, 1, 1, 0.1 + 0.2, 0.3)).toBe(-1);
  });
});

describe('point in polygon like ST_Covers', () => {
  it('counts vertices and edges as covered', () => {
    expect(locateInRing(118.3, 36.8, square)).toBe('boundary');
    expect(locateInRing(118.305, 36.8, square)).toBe('boundary');
    expect(locateInRing(118.31, 36.805, square)).toBe('boundary');
    expect(polygonCovers([square], 118.31, 36.81)).toBe(true);
  });

  it('answers inside and outside', () => {
    expect(polygonCovers([square], 118.305, 36.805)).toBe(true);
    expect(polygonCovers([square], 118.311, 36.805)).toBe(false);
    expect(polygonCovers([square], 118.305, 36.8101)).toBe(false);
  });

  it('excludes a hole’s interior but keeps its edge', () => {
    expect(polygonCovers([square, hole], 118.305, 36.805)).toBe(false);
    expect(polygonCovers([square, hole], 118.303, 36.805)).toBe(true);
    expect(polygonCovers([square, hole], 118.302, 36.805)).toBe(true);
  });

  it('closes a ring that was not closed', () => {
    expect(polygonCovers([square.slice(0, 4)], 118.305, 36.805)).toBe(true);
  });
});

describe('the geofence index', () => {
  const index = new GeofenceIndex({
    constructionSites: [{ id: 'site', name: '工地', townCode: null, geometry: { type: 'Polygon', coordinates: [square] } }],
    disposalSites: [],
    towns: [
      { code: 'A', name: 'A', geometry: { type: 'MultiPolygon', coordinates: [[square], [[[118.4, 36.8], [118.41, 36.8], [118.41, 36.81], [118.4, 36.8]]]] } },
    ],
    speedZones: [{ id: 'road', name: '路', limitKmh: 40, corridorWidthM: 100, geometry: { type: 'LineString', coordinates: [[118.3, 36.82], [118.32, 36.82]] } }],
  });

  it('finds polygons by kind', () => {
    expect(index.covering('construction-site', 118.305, 36.805)).toEqual(['site']);
    expect(index.covering('disposal-site', 118.305, 36.805)).toEqual([]);
    expect(index.covers('construction-site', 'site', 118.3, 36.8)).toBe(true);
  });

  it('finds every part of a multipolygon', () => {
    expect(index.covering('town', 118.409, 36.801)).toEqual(['A']);
    expect(index.covering('town', 118.401, 36.809)).toEqual([]);
  });

  it('finds corridors within half their width of the line', () => {
    const north = (m: number) => 36.82 + m / 111_195;
    expect(index.covering('speed-zone', 118.31, north(49))).toEqual(['road']);
    expect(index.covering('speed-zone', 118.31, north(51))).toEqual([]);
  });

  it('is empty without fences', () => {
    expect(new GeofenceIndex({ constructionSites: [], disposalSites: [], towns: [], speedZones: [] }).covering('town', 118.3, 36.8)).toEqual([]);
  });
});
