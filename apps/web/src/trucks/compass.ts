export type CompassPoint = 'N' | 'NE' | 'E' | 'SE' | 'S' | 'SW' | 'W' | 'NW';

const POINTS: readonly CompassPoint[] = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'];

/** The nearest of eight compass points for a heading in degrees clockwise from north. */
export function compassPoint(headingDeg: number): CompassPoint {
  const normalised = ((headingDeg % 360) + 360) % 360;
  return POINTS[Math.round(normalised / 45) % 8]!;
}
