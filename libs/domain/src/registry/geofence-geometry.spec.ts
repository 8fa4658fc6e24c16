import { describe, expect, it } from 'vitest';
import { checkLineString, checkPolygon } from './geofence-geometry.js';

const square = [[118.3, 36.8], [118.31, 36.8], [118.31, 36.81], [118.3, 36.81], [118.3, 36.8]];

/** The reason a check failed ('' when it passed). */
function why(check: { valid: true } | { valid: false; reason: string }): string {
  return check.valid ? '' : check.reason;
}

describe('geofence geometry', () => {
  it('accepts a closed ring', () => {
    expect(checkPolygon({ type: 'Polygon', coordinates: [square] })).toEqual({ valid: true });
  });

  it('finds a bow-tie and says where it crosses', () => {
    const bowTie = [[118.3, 36.8], [118.31, 36.81], [118.31, 36.8], [118.3, 36.81], [118.3, 36.8]];
    const check = checkPolygon({ type: 'Polygon', coordinates: [bowTie] });
    expect(check).toMatchObject({ valid: false, reason: 'self-intersection at 118.305,36.805' });
    expect(check.valid === false && check.location).toEqual([118.305, 36.805]);
  });

  it('refuses open, short and out-of-range rings', () => {
    expect(why(checkPolygon({ type: 'Polygon', coordinates: [square.slice(0, 4)] }))).toMatch(/not closed/);
    expect(why(checkPolygon({ type: 'Polygon', coordinates: [[[118.3, 36.8], [118.31, 36.8], [118.3, 36.8]]] }))).toMatch(/at least 4/);
    expect(checkPolygon({ type: 'Polygon', coordinates: [[[118.3, 96.8], [118.31, 36.8], [118.31, 36.81], [118.3, 96.8]]] }).valid).toBe(false);
    expect(checkPolygon({ type: 'Point', coordinates: [1, 2] })).toMatchObject({ valid: false, reason: 'must be a GeoJSON Polygon' });
  });

  it('wants a route of two distinct points at least', () => {
    expect(why(checkLineString({ type: 'LineString', coordinates: [[118.3, 36.8]] }))).toMatch(/at least two points/);
    expect(checkLineString({ type: 'LineString', coordinates: [[118.3, 36.8], [118.3, 36.8]] }).valid).toBe(false);
    expect(checkLineString({ type: 'LineString', coordinates: [[118.3, 36.8], [118.31, 36.8]] })).toEqual({ valid: true });
  });
});
