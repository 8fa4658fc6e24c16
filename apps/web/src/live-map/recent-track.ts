import { shallowRef } from 'vue';

/** The track the truck panel asked to draw: [lat, lon] points of one terminal; null when none is drawn. */
export interface RecentTrack {
  terminalId: string;
  points: [number, number][];
}

/** Shared by the truck panel (which loads it) and RecentTrackLayer (which draws it on the map). */
export const recentTrack = shallowRef<RecentTrack | null>(null);
