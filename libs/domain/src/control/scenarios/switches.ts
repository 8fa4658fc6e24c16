import type { ControlSwitches } from '../control-rules.js';

/** Every policy on, the cover cap at 30 km/h; `off` turns some off. */
export function switches(...off: Array<keyof ControlSwitches['enabled']>): ControlSwitches {
  const enabled = { lift_outside_disposal: true, speed_cap_cover_open: true, lock_unlicensed: true };
  for (const name of off) enabled[name] = false;
  return { enabled, coverOpenSpeedKmh: 30 };
}
