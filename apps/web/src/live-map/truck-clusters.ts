import Supercluster, { type ClusterFeature, type PointFeature } from 'supercluster';
import type { TruckRow } from './truck-rows.js';

/** At this zoom and above every truck is drawn on its own; below, nearby trucks are aggregated. */
export const INDIVIDUAL_FROM_ZOOM = 14;
/** Cluster radius in screen pixels. */
export const CLUSTER_RADIUS_PX = 56;

/** What an aggregated marker tells: how many trucks in each state and how many unsealed while loaded. */
export interface TruckClusterCounts {
  moving: number;
  stopped: number;
  offline: number;
  coverOpen: number;
}

export interface TruckPointProps {
  key: string;
}

export type TruckClusterFeature = ClusterFeature<TruckClusterCounts>;
export type TruckMapFeature = TruckClusterFeature | PointFeature<TruckPointProps & TruckClusterCounts>;

/** The trucks the map can place: a position and a motion state (never `no_data`). */
export function isPlaceable(row: TruckRow): row is TruckRow & { position: NonNullable<TruckRow['position']> } {
  return row.position !== null && row.state !== 'no_data';
}

/** Supercluster's input: one point per placeable truck, carrying its counts (one in its own state). */
export function clusterPoints(rows: Iterable<TruckRow>): PointFeature<TruckPointProps & TruckClusterCounts>[] {
  const points: PointFeature<TruckPointProps & TruckClusterCounts>[] = [];
  for (const row of rows) {
    if (!isPlaceable(row)) continue;
    points.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [row.position.lon, row.position.lat] },
      properties: {
        key: row.key,
        moving: row.state === 'moving' ? 1 : 0,
        stopped: row.state === 'stopped' ? 1 : 0,
        offline: row.state === 'offline' ? 1 : 0,
        coverOpen: row.coverOpen ? 1 : 0,
      },
    });
  }
  return points;
}

/** An index over the trucks, aggregated up to the zoom below INDIVIDUAL_FROM_ZOOM. */
export function buildTruckClusterIndex(rows: Iterable<TruckRow>): Supercluster<TruckPointProps & TruckClusterCounts, TruckClusterCounts> {
  const index = new Supercluster<TruckPointProps & TruckClusterCounts, TruckClusterCounts>({
    radius: CLUSTER_RADIUS_PX,
    maxZoom: INDIVIDUAL_FROM_ZOOM - 1,
    map: (props) => ({ moving: props.moving, stopped: props.stopped, offline: props.offline, coverOpen: props.coverOpen }),
    reduce: (sum, props) => {
      sum.moving += props.moving;
      sum.stopped += props.stopped;
      sum.offline += props.offline;
      sum.coverOpen += props.coverOpen;
    },
  });
  return index.load(clusterPoints(rows));
}

export function isClusterFeature(feature: TruckMapFeature): feature is TruckClusterFeature {
  return (feature.properties as { cluster?: boolean }).cluster === true;
}
