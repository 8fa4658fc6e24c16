import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import fixSchema from './fix.schema.json' with { type: 'json' };
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
  | 'unauthorized_topic';

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
 * backlog does not take the other 499 with it.
 */
export function parseTelemetryPayload(raw: Buffer | string): PayloadVerdict {
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
  // PostgreSQL text and jsonb cannot hold U+0000: a fix carrying it could never be stored.
  if (text.includes('\\u0000') && holdsNul(parsed)) {
    return {
      ok: false,
      rejection: { reason: 'malformed_json', detail: 'a string holds \\u0000 (U+0000), which cannot be stored', index: null },
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
  const fixes: Array<{ fix: TelemetryFix; index: number | null }> = [];
  const rejections: FixRejection[] = [];
  for (const { value, index } of items) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      rejections.push({ reason: 'not_a_fix', detail: 'a fix must be an object', index, value });
      continue;
    }
    const problem = checkFixSchema(value);
    if (problem) rejections.push({ reason: 'schema_violation', detail: problem, index, value });
    else fixes.push({ fix: value as TelemetryFix, index });
  }
  return { ok: true, fixes, rejections };
}

/** Fix time in epoch milliseconds, or null when the timestamp cannot be read. */
export function fixTimeMs(ts: string | number): number | null {
  const ms = typeof ts === 'number' ? ts : Date.parse(ts);
  return Number.isFinite(ms) ? ms : null;
}

function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([key, inner]) => key.includes('\u0000') || holdsNul(inner));
  }
  return false;
}
