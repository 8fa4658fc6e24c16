import type { ComplianceFix } from '@muckwatch/domain';
import type { FixLike } from './compliance-write.js';

/**
 * Committed fixes on their way to the engines process, column by column: numbers in typed arrays
 * (copied as memory by the IPC channel's structured clone), states as small codes, only the
 * terminal ids as strings. A batch of fixes as objects costs both processes a property-by-property
 * (de)serialization of every fix; this costs them one copy per column.
 */
export interface FixColumns {
  terminalIds: string[];
  /** fixTimeMs, receivedAtMs, lat, lon, speedKmh, loadT (NaN: none), six per fix. */
  numbers: Float64Array;
  /** valid, ignition, cover, body, load, sensors.cover, sensors.lift, sensors.load, eight per fix (0: none). */
  codes: Uint8Array;
}

const NUMBERS = 6;
const CODES = 8;

/** Each state's values; a value's code is its index + 1 (0 means absent). */
const COVER = ['closed', 'open', 'partial', 'fault'] as const;
const BODY = ['down', 'raised', 'fault'] as const;
const LOAD = ['empty', 'half', 'full', 'overload'] as const;
const SENSOR = ['ok', 'short', 'open', 'offline'] as const;

function code(values: readonly string[], value: string | null | undefined, what: string): number {
  if (value === null || value === undefined) return 0;
  const i = values.indexOf(value);
  if (i < 0) throw new Error(`fix columns: unknown ${what} "${value}"`);
  return i + 1;
}

function bool(value: boolean | null | undefined): number {
  return value === null || value === undefined ? 0 : value ? 2 : 1;
}

export function encodeFixes(fixes: readonly FixLike[]): FixColumns {
  const n = fixes.length;
  const numbers = new Float64Array(n * NUMBERS);
  const codes = new Uint8Array(n * CODES);
  const terminalIds = new Array<string>(n);
  fixes.forEach((f, i) => {
    terminalIds[i] = f.terminalId;
    const a = i * NUMBERS;
    numbers[a] = f.fixTimeMs;
    numbers[a + 1] = f.receivedAtMs;
    numbers[a + 2] = f.lat;
    numbers[a + 3] = f.lon;
    numbers[a + 4] = f.speedKmh;
    numbers[a + 5] = f.loadT ?? Number.NaN;
    const c = i * CODES;
    codes[c] = bool(f.valid);
    codes[c + 1] = bool(f.ignition);
    codes[c + 2] = code(COVER, f.cover, 'cover');
    codes[c + 3] = code(BODY, f.body, 'body');
    codes[c + 4] = code(LOAD, f.load, 'load');
    codes[c + 5] = code(SENSOR, f.sensors?.cover, 'cover sensor');
    codes[c + 6] = code(SENSOR, f.sensors?.lift, 'lift sensor');
    codes[c + 7] = code(SENSOR, f.sensors?.load, 'load sensor');
  });
  return { terminalIds, numbers, codes };
}

/** The engine's input, as toComplianceFix would build it from the same rows. */
export function decodeFixes({ terminalIds, numbers, codes }: FixColumns): ComplianceFix[] {
  return terminalIds.map((terminalId, i) => {
    const number = (k: number): number => numbers[i * NUMBERS + k] ?? Number.NaN;
    const state = <T>(values: readonly T[], k: number): T | undefined => values[(codes[i * CODES + k] ?? 0) - 1];
    const fix: ComplianceFix = {
      terminalId,
      fixTimeMs: number(0),
      receivedAtMs: number(1),
      lat: number(2),
      lon: number(3),
      speedKmh: number(4),
      valid: codes[i * CODES] !== 1,
    };
    const ignition = codes[i * CODES + 1];
    if (ignition) fix.ignition = ignition === 2;
    const cover = state(COVER, 2);
    if (cover) fix.cover = cover;
    const body = state(BODY, 3);
    if (body) fix.body = body;
    const load = state(LOAD, 4);
    if (load) fix.load = load;
    const loadT = number(5);
    if (!Number.isNaN(loadT)) fix.loadT = loadT;
    const sensors = { cover: state(SENSOR, 5), lift: state(SENSOR, 6), load: state(SENSOR, 7) };
    if (sensors.cover ?? sensors.lift ?? sensors.load) {
      fix.sensors = {};
      if (sensors.cover) fix.sensors.cover = sensors.cover;
      if (sensors.lift) fix.sensors.lift = sensors.lift;
      if (sensors.load) fix.sensors.load = sensors.load;
    }
    return fix;
  });
}
