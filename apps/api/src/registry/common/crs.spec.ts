import { BadRequestException } from '@nestjs/common';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { declaredCrs, toWgs84 } from './crs.js';

describe('GeoJSON import CRS', () => {
  it('reads the CRS from the query or the crs member, WGS-84 when neither', () => {
    expect(declaredCrs(undefined, {})).toBe('WGS84');
    expect(declaredCrs('gcj02', {})).toBe('GCJ02');
    expect(declaredCrs(undefined, { crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } } })).toBe('WGS84');
    expect(declaredCrs(undefined, { crs: { type: 'name', properties: { name: 'GCJ-02' } } })).toBe('GCJ02');
  });

  it('refuses an unknown or contradictory CRS, naming where it was declared', () => {
    expect(() => declaredCrs('EPSG:3857', {})).toThrow(BadRequestException);
    try {
      declaredCrs('WGS84', { crs: { type: 'name', properties: { name: 'GCJ02' } } });
      expect.unreachable();
    } catch (error) {
      expect((error as BadRequestException).getResponse()).toMatchObject({ field: 'crs' });
    }
  });

  it('converts GCJ-02 to WGS-84 (a few hundred metres in Zibo) and leaves WGS-84 alone', () => {
    const gcj: Polygon = { type: 'Polygon', coordinates: [[[118.31, 36.81], [118.32, 36.81], [118.32, 36.82], [118.31, 36.81]]] };
    expect(toWgs84(gcj, 'WGS84')).toBe(gcj);
    const wgs = toWgs84(gcj, 'GCJ02');
    const [lon, lat] = wgs.coordinates[0]![0]!;
    expect(118.31 - lon!).toBeGreaterThan(0.004);
    expect(118.31 - lon!).toBeLessThan(0.008);
    expect(Math.abs(36.81 - lat!)).toBeLessThan(0.003);
    expect(gcj.coordinates[0]![0]).toEqual([118.31, 36.81]); // the input is not modified
  });
});
