import type { MultiPolygon, Polygon } from 'geojson';
import townsFile from './data/towns.wgs84.json' with { type: 'json' };
import type { TownKind } from './town-seeds.js';

/** One of the 14 assessed units (镇、街道 and the two enterprise zones). */
export interface Town {
  /** 9-digit NBS code for streets and towns; 'E37030501'/'E37030502' for the enterprise zones. */
  code: string;
  /** Display name (金岭回族镇, not the NBS 金岭镇). */
  name: string;
  /** Name in the NBS code list (streets and towns only). */
  nbsName?: string;
  /** Enterprise zones: the longer name. */
  fullName?: string;
  kind: TownKind;
  /** Always true for now: the polygons are invented, not official boundaries. */
  synthetic: true;
  /** WGS-84, counter-clockwise outer rings. */
  geometry: Polygon | MultiPolygon;
}

/** The 14 assessed units with SYNTHETIC polygons that tile the district exactly. */
export const towns = (townsFile as unknown as { towns: Town[] }).towns as readonly Town[];

/** How the town polygons were made; show it wherever they are drawn. */
export const TOWNS_PROVENANCE: string = (townsFile as { note: string }).note;

export function townByCode(code: string): Town | undefined {
  return towns.find((town) => town.code === code);
}
