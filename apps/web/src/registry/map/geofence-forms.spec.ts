import { describe, expect, it } from 'vitest';
import type { SpeedZone } from '@muckwatch/contracts';
import { formOf, geometryOf, inputOf, shapeOf, specsOf } from './geofence-forms.js';

const points = [
  { lat: 36.8, lng: 118.3 },
  { lat: 36.8, lng: 118.31 },
  { lat: 36.81, lng: 118.31 },
];
const context = { t: (key: string) => key, towns: [], constructionSites: [], disposalSites: [] };

describe('what each geofence kind is drawn as', () => {
  it('draws sites as polygons and routes as lines', () => {
    expect(shapeOf('construction-sites', null)).toBe('Polygon');
    expect(shapeOf('disposal-sites', null)).toBe('Polygon');
    expect(shapeOf('routes', null)).toBe('Line');
  });
  it('draws a speed zone as chosen, or as its record is', () => {
    expect(shapeOf('speed-zones', null, 'Line')).toBe('Line');
    const zone = { geometry: { type: 'LineString', coordinates: [] } } as unknown as SpeedZone;
    expect(shapeOf('speed-zones', zone, 'Polygon')).toBe('Line');
  });
  it('turns the drawn points into a closed polygon or an open line', () => {
    expect(geometryOf('Polygon', points).coordinates[0]).toHaveLength(4);
    expect(geometryOf('Line', points).coordinates).toHaveLength(3);
  });
});

describe('a drawn geofence to the wire', () => {
  it('sends a new route with its line and corridor width', () => {
    const form = { ...formOf('routes', null), name: '齐鲁大道线', corridorWidthM: 60 };
    const line = geometryOf('Line', points);
    expect(inputOf('routes', form, line, 'Line')).toEqual({ name: '齐鲁大道线', corridorWidthM: 60, constructionSiteId: null, disposalSiteId: null, geometry: line });
  });
  it('asks a road speed zone for its width and an area zone not', () => {
    expect(specsOf('speed-zones', 'Line', context).map((s) => s.prop)).toContain('corridorWidthM');
    expect(specsOf('speed-zones', 'Polygon', context).map((s) => s.prop)).not.toContain('corridorWidthM');
  });
  it('offers "derive from the shape" as the town of a site', () => {
    const town = specsOf('construction-sites', 'Polygon', context).find((s) => s.prop === 'townCode');
    expect(town?.emptyOption).toBe('registry.fields.townAuto');
  });
});
