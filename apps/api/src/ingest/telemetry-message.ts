import {
  TELEMETRY_LIMITS,
  fixTimeMs,
  parseTelemetryPayload,
  type FixRejection,
  type FixSource,
  type RejectionReason,
  type SensorsHealth,
  type TelemetryFix,
  type TerminalControl,
} from '@muckwatch/contracts';
import { checkFixQuality, type FixFlag, type FixQualityPolicy, type PreviousFix } from '@muckwatch/domain';

/** A fix ready to store. Times in epoch ms. */
export interface PositionRow {
  terminalId: string;
  /** The door the fix came through (recorded, never read downstream). */
  source: FixSource;
  fixTimeMs: number;
  receivedAtMs: number;
  lat: number;
  lon: number;
  speedKmh: number;
  headingDeg: number;
  altitudeM: number | null;
  satellites: number | null;
  hdop: number | null;
  valid: boolean;
  ignition: boolean | null;
  mileageKm: number | null;
  seq: number | null;
  cover: string | null;
  body: string | null;
  load: string | null;
  loadT: number | null;
  sensors: SensorsHealth | null;
  control: TerminalControl | null;
  extra: Record<string, unknown> | null;
  quality: FixFlag[];
}

/** A refused message or fix, ready to record. */
export interface RejectionRow {
  receivedAtMs: number;
  source: FixSource;
  terminalId: string | null;
  topic: string;
  reason: RejectionReason;
  detail: string;
  fixIndex: number | null;
  payload: string;
  payloadTruncated: boolean;
}

/** Raw payloads kept with a rejection are capped at this many characters. */
export const REJECTED_PAYLOAD_CAP = 8192;

const KNOWN_FIELDS = new Set([
  'ts', 'lat', 'lon', 'speedKmh', 'headingDeg', 'altitudeM', 'satellites', 'hdop', 'valid', 'ignition',
  'mileageKm', 'seq', 'cover', 'body', 'load', 'loadT', 'sensors', 'control',
]);

export function capPayload(text: string): { payload: string; payloadTruncated: boolean } {
  return text.length > REJECTED_PAYLOAD_CAP
    ? { payload: text.slice(0, REJECTED_PAYLOAD_CAP), payloadTruncated: true }
    : { payload: text, payloadTruncated: false };
}

/**
 * Where a message came from: its door, and within the door what names its origin (an MQTT topic;
 * for JT/T 808 the message id and the terminal's phone number), kept as the rejection's `topic`.
 */
export interface MessageOrigin {
  source: FixSource;
  topic: string;
  terminalId: string | null;
  receivedAtMs: number;
}

export function rejectionRow(origin: MessageOrigin, rejection: FixRejection, raw: string): RejectionRow {
  const { reason, detail, index } = rejection;
  const { source, topic, terminalId, receivedAtMs } = origin;
  return { receivedAtMs, source, terminalId, topic, reason, detail, fixIndex: index, ...capPayload(raw) };
}

/** Smallest positive normal single-precision value (2^-126). */
const FLOAT4_MIN_NORMAL = 1.1754943508222875e-38;

/**
 * A number for a `real` (single precision) column: PostgreSQL refuses a value too small for it
 * ("out of range: underflow") instead of rounding it to zero, and 1e-300 km/h is zero. (The
 * schema bounds every such field well inside single precision's maximum.)
 */
function asReal(value: number): number {
  return value !== 0 && Math.abs(value) < FLOAT4_MIN_NORMAL ? 0 : value;
}

function toPositionRow(source: FixSource, terminalId: string, fix: TelemetryFix, timeMs: number, receivedAtMs: number): PositionRow {
  let extra: Record<string, unknown> | null = null;
  for (const key in fix) {
    if (!KNOWN_FIELDS.has(key)) (extra ??= {})[key] = (fix as unknown as Record<string, unknown>)[key];
  }
  return {
    terminalId,
    source,
    fixTimeMs: timeMs,
    receivedAtMs,
    lat: fix.lat,
    lon: fix.lon,
    speedKmh: asReal(fix.speedKmh),
    headingDeg: asReal(fix.headingDeg),
    altitudeM: fix.altitudeM === undefined ? null : asReal(fix.altitudeM),
    satellites: fix.satellites ?? null,
    hdop: fix.hdop === undefined ? null : asReal(fix.hdop),
    valid: fix.valid ?? true,
    ignition: fix.ignition ?? null,
    mileageKm: fix.mileageKm ?? null,
    seq: fix.seq ?? null,
    cover: fix.cover ?? null,
    body: fix.body ?? null,
    load: fix.load ?? null,
    loadT: fix.loadT === undefined ? null : asReal(fix.loadT),
    sensors: fix.sensors ?? null,
    control: fix.control ?? null,
    extra,
    quality: [],
  };
}

export interface InterpretedTelemetry {
  positions: PositionRow[];
  rejections: RejectionRow[];
  /** The newest trusted fix of this message, to compare the terminal's next fixes against. */
  lastTrusted: PreviousFix | null;
}

/**
 * Turns one MQTT telemetry message into rows to store and rows to reject: the JSON is parsed
 * here, the fixes are judged by `interpretFixes` like every other door's.
 */
export function interpretTelemetry(input: {
  topic: string;
  terminalId: string;
  payload: Buffer | string;
  /** The payload's size in bytes when it is given decoded. */
  byteLength?: number;
  receivedAtMs: number;
  lastTrusted: PreviousFix | null;
  policy: FixQualityPolicy;
}): InterpretedTelemetry {
  const { topic, terminalId, receivedAtMs } = input;
  const origin: MessageOrigin & { terminalId: string } = { source: 'mqtt', topic, terminalId, receivedAtMs };
  const raw = typeof input.payload === 'string' ? input.payload : input.payload.toString('utf8');
  const verdict = parseTelemetryPayload(raw, typeof input.payload === 'string' ? input.byteLength : input.payload.length);
  if (!verdict.ok) {
    return { positions: [], rejections: [rejectionRow(origin, verdict.rejection, raw)], lastTrusted: input.lastTrusted };
  }
  return interpretFixes({ origin, raw, checked: verdict, lastTrusted: input.lastTrusted, policy: input.policy });
}

/**
 * Judges a message's schema-checked fixes (validateTelemetryFixes), whichever door they came
 * through. Pure: the caller supplies the terminal's last trusted fix and the receipt time. Fixes
 * are checked in fix-time order, so a backlog is judged against its own neighbours, not against a
 * newer live fix. `raw` is what a rejection of the whole message keeps.
 */
export function interpretFixes(input: {
  origin: MessageOrigin & { terminalId: string };
  raw: string;
  checked: { fixes: Array<{ fix: TelemetryFix; index: number | null }>; rejections: FixRejection[] };
  lastTrusted: PreviousFix | null;
  policy: FixQualityPolicy;
}): InterpretedTelemetry {
  const { origin, raw, checked, policy } = input;
  const { source, terminalId, receivedAtMs } = origin;
  // A fix refused for its own sake is kept as itself; one refused for its bounds (no `value`: it
  // may be too deep to serialise) is kept as the message it came in.
  const rejections = checked.rejections.map((rejection) =>
    rejectionRow(origin, rejection, rejection.index === null || rejection.value === undefined ? raw : JSON.stringify(rejection.value) ?? 'undefined'),
  );
  const timed: Array<{ fix: TelemetryFix; index: number | null; timeMs: number }> = [];
  for (const { fix, index } of checked.fixes) {
    const timeMs = fixTimeMs(fix.ts);
    if (timeMs === null) {
      rejections.push(rejectionRow(origin, { reason: 'bad_timestamp', detail: `unreadable ts ${JSON.stringify(fix.ts)}`, index }, JSON.stringify(fix)));
    } else {
      timed.push({ fix, index, timeMs });
    }
  }
  timed.sort((a, b) => a.timeMs - b.timeMs);

  const positions: PositionRow[] = [];
  const known = input.lastTrusted;
  // Fixes come in ascending time: the previous trusted fix is the newest one strictly before.
  let newestInMessage: PreviousFix | null = null;
  let beforeCurrent: PreviousFix | null = null;
  for (const { fix, index, timeMs } of timed) {
    if (newestInMessage && newestInMessage.fixTimeMs < timeMs) beforeCurrent = newestInMessage;
    const previous = later(beforeCurrent, known && known.fixTimeMs < timeMs ? known : null);
    const quality = checkFixQuality(
      { fixTimeMs: timeMs, lat: fix.lat, lon: fix.lon, valid: fix.valid ?? true },
      previous,
      receivedAtMs,
      policy,
    );
    if (!quality.accepted) {
      rejections.push(rejectionRow(origin, { reason: quality.reason, detail: quality.detail, index }, JSON.stringify(fix)));
      continue;
    }
    const row = toPositionRow(source, terminalId, fix, timeMs, receivedAtMs);
    // Serialising can lengthen a number at most ~5× ("9E20" → "900000000000000000000"): a message
    // under a sixth of the bound cannot hold too large an extra, and most messages are that small.
    const extraChars = row.extra === null || raw.length * 6 <= TELEMETRY_LIMITS.maxExtraChars ? 0 : JSON.stringify(row.extra).length;
    if (extraChars > TELEMETRY_LIMITS.maxExtraChars) {
      const detail = `unknown fields take ${extraChars} characters as JSON; at most ${TELEMETRY_LIMITS.maxExtraChars}`;
      rejections.push(rejectionRow(origin, { reason: 'limit_exceeded', detail, index }, raw));
      continue;
    }
    row.quality = quality.flags;
    positions.push(row);
    if (quality.flags.length === 0) newestInMessage = { fixTimeMs: timeMs, lat: fix.lat, lon: fix.lon };
  }
  return { positions, rejections, lastTrusted: later(known, newestInMessage) };
}

function later(a: PreviousFix | null, b: PreviousFix | null): PreviousFix | null {
  if (a === null) return b;
  if (b === null) return a;
  return b.fixTimeMs > a.fixTimeMs ? b : a;
}
