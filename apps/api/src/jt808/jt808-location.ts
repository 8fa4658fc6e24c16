import { readMuckStates, type TerminalModelMapping } from '@muckwatch/contracts';
import type { Jt808Location } from '@muckwatch/jt808';

/**
 * A JT/T 808 location report as a fix of the v1 telemetry contract (libs/contracts
 * fix.schema.json), so that it meets exactly the validation every other door's fixes meet.
 * Pure. Cover, body and load come from the terminal model's mapping (libs/contracts readMuckStates); the raw alarm and
 * status words travel as extra fields for the record.
 */
export function locationAsFix(location: Jt808Location, mapping: TerminalModelMapping): Record<string, unknown> {
  const states = readMuckStates(mapping, { status: location.status, extras: location.extras });
  const fix: Record<string, unknown> = {
    ts: location.fixTimeMs,
    lat: location.lat,
    lon: location.lon,
    speedKmh: location.speedKmh,
    headingDeg: location.headingDeg,
    altitudeM: location.altitudeM,
    valid: location.valid,
    ignition: location.accOn,
    jt808Alarm: location.alarm,
    jt808Status: location.status,
  };
  if (location.satellites !== null) fix['satellites'] = location.satellites;
  if (location.mileageKm !== null) fix['mileageKm'] = location.mileageKm;
  if (location.signal !== null) fix['jt808Signal'] = location.signal;
  if (states.cover) fix['cover'] = states.cover;
  if (states.body) fix['body'] = states.body;
  if (states.load) fix['load'] = states.load;
  if (states.loadVoltage !== undefined && states.loadVoltage !== null) fix['loadVoltage'] = states.loadVoltage;
  return fix;
}
