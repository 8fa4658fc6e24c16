import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import fixSchema from './fix.schema.json' with { type: 'json' };
import { inspectJsonValue, type JsonInspection } from '../input/inspect-json.js';
import { TELEMETRY_LIMITS } from './payload-limits.js';
import { MAX_FIXES_PER_MESSAGE, type TelemetryFix } from './telemetry.js';

/** Why a message or a fix was refused. Stable codes: stored with every rejection. */
export type RejectionReason =
  | 'malformed_json'
  | 'bad_topic'
  | 'empty_payload'
  | 'too_many_fixes'
  | 'not_a_fix'
  | 'schema_violation'
  | 'bad_timestamp'
  | 'zero_position'
  | 'future_fix_time'
  | 'outdated_fix_time'
  | 'bad_terminal_id'
  | 'bad_status'
  /** A terminal published to a topic that is not its own (refused by the embedded broker). */
  | 'unauthorized_topic'
  /** The message is larger than TELEMETRY_LIMITS.maxPayloadBytes. */
  | 'payload_too_large'
  /** Deeper, wider or longer than TELEMETRY_LIMITS allow (the detail names which and where). */
  | 'limit_exceeded'
  /** A string holds U+0000 or a lone UTF-16 surrogate: neither can be stored as text or JSON. */
  | 'unstorable_text'
  /** The database refused the message even on its own (the detail is its error): isolated, never retried. */
  | 'unstorable'
  /** JT/T 808: a frame with a bad checksum, bad escaping, a truncated or oversized body, or a bad header. */
  | 'bad_frame'
  /** JT/T 808: a message this platform does not handle (answered "not supported"). */
  | 'unknown_message'
  /** JT/T 808: a message body that does not decode (answered "message error"). */
  | 'malformed_message'
  /** JT/T 808: registration or authentication refused (phone number unknown to the registry, wrong or revoked auth code). */
  | 'terminal_refused'
  /** JT/T 808: a report on a connection that has not authenticated. */
  | 'not_authenticated'
  /** JT/T 808: a connection sent more than its share (frames per second, bytes, pending reports) and was slowed or closed. */
  | 'flood';

export interface FixRejection {
  reason: RejectionReason;
  detail: string;
  /** Index of the fix in an array payload; null for the whole message or a single fix. */
  index: number | null;
  /** The offending fix as parsed, when one fix (not the whole message) is refused. */
  value?: unknown;
}

export type PayloadVerdict =
  | { ok: true; fixes: Array<{ fix: TelemetryFix; index: number | null }>; rejections: FixRejection[] }
  | { ok: false; rejection: FixRejection };

// ajv-formats ships CommonJS with a default export; normalise its interop shape.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

const ajv = new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true });
addFormats(ajv);
const validateFixSchema = ajv.compile<TelemetryFix>(fixSchema);

/** Validates one fix against the v1 JSON Schema; returns null when valid, else the reason. */
export function checkFixSchema(value: unknown): string | null {
  if (validateFixSchema(value)) return null;
  const error = validateFixSchema.errors?.[0];
  if (!error) return 'invalid fix';
  const where = error.instancePath || '/';
  return `${where} ${error.message ?? 'is invalid'}`;
}

/**
 * Parses a telemetry message. A whole-message problem (bad JSON, wrong shape, too many fixes)
 * refuses the message; otherwise each fix is accepted or refused on its own, so one bad fix in a
 * backlog does not take the other 499 with it. `byteLength`: the message's size when the caller
 * already decoded it (spares encoding the text again to measure it).
 */
export function parseTelemetryPayload(raw: Buffer | string, byteLength?: number): PayloadVerdict {
  const bytes = byteLength ?? (typeof raw === 'string' ? new TextEncoder().encode(raw).byteLength : raw.length);
  if (bytes > TELEMETRY_LIMITS.maxPayloadBytes) {
    return {
      ok: false,
      rejection: {
        reason: 'payload_too_large',
        detail: `${bytes} bytes; at most ${TELEMETRY_LIMITS.maxPayloadBytes}`,
        index: null,
      },
    };
  }
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  if (text.trim().length === 0) {
    return { ok: false, rejection: { reason: 'empty_payload', detail: 'payload is empty', index: null } };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      rejection: { reason: 'malformed_json', detail: (error as Error).message, index: null },
    };
  }
  const items: Array<{ value: unknown; index: number | null }> = [];
  if (Array.isArray(parsed)) {
    if (parsed.length === 0) {
      return { ok: false, rejection: { reason: 'empty_payload', detail: 'array of fixes is empty', index: null } };
    }
    if (parsed.length > MAX_FIXES_PER_MESSAGE) {
      return {
        ok: false,
        rejection: {
          reason: 'too_many_fixes',
          detail: `${parsed.length} fixes in one message; at most ${MAX_FIXES_PER_MESSAGE}`,
          index: null,
        },
      };
    }
    parsed.forEach((value, index) => items.push({ value, index }));
  } else if (parsed !== null && typeof parsed === 'object') {
    items.push({ value: parsed, index: null });
  } else {
    return {
      ok: false,
      rejection: { reason: 'not_a_fix', detail: 'payload must be a fix object or an array of fixes', index: null },
    };
  }
  return { ok: true, ...validateTelemetryFixes(items) };
}

/**
 * Checks fixes one by one against the bounds and the v1 JSON Schema: the same check for every
 * door (an MQTT message's parsed fixes, a JT/T 808 report translated into fix objects).
 */
export function validateTelemetryFixes(items: ReadonlyArray<{ value: unknown; index: number | null }>): {
  fixes: Array<{ fix: TelemetryFix; index: number | null }>;
  rejections: FixRejection[];
} {
  const fixes: Array<{ fix: TelemetryFix; index: number | null }> = [];
  const rejections: FixRejection[] = [];
  for (const { value, index } of items) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      rejections.push({ reason: 'not_a_fix', detail: 'a fix must be an object', index, value });
      continue;
    }
    // Before anything else reads the fix: within these bounds, every later step (the schema,
    // JSON.stringify, PostgreSQL's jsonb) is safe. No `value`: it may be too deep to serialise.
    const problem = inspectJsonValue(value, TELEMETRY_LIMITS);
    if (problem) {
      rejections.push({ reason: unstorable(problem) ? 'unstorable_text' : 'limit_exceeded', detail: describe(problem), index });
      continue;
    }
    const schemaProblem = checkFixSchema(value);
    if (schemaProblem) rejections.push({ reason: 'schema_violation', detail: schemaProblem, index, value });
    else fixes.push({ fix: value as TelemetryFix, index });
  }
  return { fixes, rejections };
}

function unstorable(problem: JsonInspection): boolean {
  return problem.problem === 'nul' || problem.problem === 'lone_surrogate';
}

function describe(problem: JsonInspection): string {
  return `${problem.path || 'the fix'} ${problem.reason}`;
}

/** Fix time in epoch milliseconds, or null when the timestamp cannot be read. */
export function fixTimeMs(ts: string | number): number | null {
  const ms = typeof ts === 'number' ? ts : Date.parse(ts);
  return Number.isFinite(ms) ? ms : null;
}
