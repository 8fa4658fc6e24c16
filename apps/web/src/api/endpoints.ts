import type { ConsoleConfig, TruckSummary } from '@muckwatch/contracts';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { getJson } from './http.js';

/** `enterprise` and `enterprise_zone` both name the two enterprise zones. */
export type TownKind = 'town' | 'street' | 'enterprise' | 'enterprise_zone';

export interface TownProperties {
  code: string;
  name: string;
  kind: TownKind;
  /** True when the outline is drawn for the demo, not the legal boundary. */
  synthetic: boolean;
}

export type TownFeature = Feature<Polygon | MultiPolygon, TownProperties>;
export type TownCollection = FeatureCollection<Polygon | MultiPolygon, TownProperties>;

export const fetchConsoleConfig = (signal?: AbortSignal): Promise<ConsoleConfig> =>
  getJson<ConsoleConfig>('/api/v1/console-config', signal);

export const fetchTowns = (signal?: AbortSignal): Promise<TownCollection> =>
  getJson<TownCollection>('/api/v1/towns', signal);

export const fetchTrucks = (signal?: AbortSignal): Promise<TruckSummary[]> =>
  getJson<TruckSummary[]>('/api/v1/trucks', signal);
