import type { Feature, MultiPolygon } from 'geojson';
import boundary from './data/linzi-district.wgs84.json' with { type: 'json' };
import type { LonLat } from './town-seeds.js';

/** 临淄区 in the national administrative division code. */
export const DISTRICT_CODE = '370305';
export const DISTRICT_NAME = '临淄区';

export interface DistrictProperties {
  code: string;
  name: string;
  centre: LonLat;
  crs: string;
  source: string;
  sourceCommit: string;
  licence: string;
  conversion: string;
  areaKm2: number;
}

/** The district boundary, WGS-84, one MultiPolygon with a counter-clockwise outer ring (RFC 7946). */
export const districtBoundary = boundary as unknown as Feature<MultiPolygon, DistrictProperties>;

/** District centre, WGS-84 [lon, lat]: DataV's centre (GCJ-02 118.306018, 36.816657) converted. */
export const DISTRICT_CENTRE: LonLat = districtBoundary.properties.centre;
