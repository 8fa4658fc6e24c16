/** What the live map shows for a truck: 行驶 / 停车 / 离线. */
export type MotionState = 'moving' | 'stopped' | 'offline';

export interface MotionThresholds {
  /** No fix for longer than this and the truck shows offline. */
  offlineAfterMs: number;
  /** At or above this speed the truck is moving. */
  movingSpeedKmh: number;
}

export const DEFAULT_MOTION_THRESHOLDS: MotionThresholds = {
  offlineAfterMs: 5 * 60_000,
  movingSpeedKmh: 3,
};

export function motionState(
  latest: { fixTimeMs: number; speedKmh: number; liveness?: 'online' | 'offline' | null },
  nowMs: number,
  thresholds: MotionThresholds = DEFAULT_MOTION_THRESHOLDS,
): MotionState {
  if (latest.liveness === 'offline') return 'offline';
  if (nowMs - latest.fixTimeMs > thresholds.offlineAfterMs) return 'offline';
  return latest.speedKmh >= thresholds.movingSpeedKmh ? 'moving' : 'stopped';
}
