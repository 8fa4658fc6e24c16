import { BadRequestException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { GEOMETRY_LIMITS } from '@muckwatch/contracts';
import { boundedGeometry, boundedImport } from './geometry.js';

/** The 400 body a check throws, or null when it passed. */
function refusal(check: () => unknown): unknown {
  try {
    check();
    return null;
  } catch (error) {
    if (error instanceof BadRequestException) return error.getResponse();
    throw error;
  }
}

const ring = (n: number): number[][] => Array.from({ length: n }, () => [118.3, 36.8]);

describe('geometry limits', () => {
  it('counts positions within the limits', () => {
    expect(boundedGeometry('geometry', { type: 'Polygon', coordinates: [ring(GEOMETRY_LIMITS.positionsPerRing)] })).toBe(GEOMETRY_LIMITS.positionsPerRing);
    expect(boundedGeometry('geometry', { type: 'LineString', coordinates: ring(3) })).toBe(3);
    expect(boundedGeometry('geometry', { type: 'Polygon', coordinates: 5 })).toBe(0);
  });

  it('names the field and the limit beyond each', () => {
    expect(refusal(() => boundedGeometry('geometry', { type: 'Polygon', coordinates: [ring(5), ring(GEOMETRY_LIMITS.positionsPerRing + 1)] }))).toEqual({
      code: 'registry.geometry_too_large',
      params: { field: 'geometry', limit: GEOMETRY_LIMITS.positionsPerRing },
      field: 'geometry',
      message: `geometry: hole 1 has ${GEOMETRY_LIMITS.positionsPerRing + 1} positions; at most ${GEOMETRY_LIMITS.positionsPerRing} per ring`,
    });
    expect(refusal(() => boundedGeometry('geometry', { type: 'Polygon', coordinates: Array.from({ length: GEOMETRY_LIMITS.ringsPerPolygon + 1 }, () => ring(4)) }))).toMatchObject({
      message: expect.stringContaining(`at most ${GEOMETRY_LIMITS.ringsPerPolygon}`) as string,
    });
    expect(refusal(() => boundedGeometry('g', { type: 'MultiPolygon', coordinates: Array.from({ length: GEOMETRY_LIMITS.polygonsPerMultiPolygon + 1 }, () => [ring(4)]) }))).toMatchObject({ field: 'g' });
    expect(refusal(() => boundedGeometry('g', { type: 'MultiPolygon', coordinates: Array.from({ length: 6 }, () => [ring(GEOMETRY_LIMITS.positionsPerRing)]) }))).toMatchObject({
      message: `g: has 60000 positions; at most ${GEOMETRY_LIMITS.positionsPerGeometry} in one geometry`,
    });
    expect(refusal(() => boundedGeometry('route', { type: 'LineString', coordinates: ring(GEOMETRY_LIMITS.positionsPerLine + 1) }))).toMatchObject({ field: 'route' });
  });

  it('bounds an import by features and by positions in all', () => {
    expect(refusal(() => boundedImport(Array.from({ length: GEOMETRY_LIMITS.featuresPerImport + 1 }, () => ({}))))).toMatchObject({ field: 'features' });
    const feature = { type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring(9_000)] } };
    expect(refusal(() => boundedImport(Array.from({ length: 23 }, () => feature)))).toMatchObject({ field: 'features' });
    expect(refusal(() => boundedImport(Array.from({ length: 22 }, () => feature)))).toBeNull();
  });
});
