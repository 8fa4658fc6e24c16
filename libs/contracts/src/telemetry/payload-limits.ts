import type { JsonLimits } from '../input/inspect-json.js';

/**
 * Bounds on what one telemetry message may hold (contract v1). A message within them can always
 * be stored: every string is well-formed UTF-16 without U+0000 (PostgreSQL text and jsonb hold
 * neither), no structure is deeper than any code that walks or serialises it can go, and no
 * terminal can make one fix cost more than a few kilobytes. Terminal firmware that sends more is
 * refused with a recorded reason; nothing downstream has to defend itself again.
 */
export const TELEMETRY_LIMITS = {
  /** One MQTT message: 500 fixes of ~300 bytes fit with room to spare. */
  maxPayloadBytes: 256 * 1024,
  /** Nesting of one fix's objects and arrays, the fix object itself counting as 1. */
  maxDepth: 8,
  /** Members of one object. */
  maxKeys: 64,
  /** Characters (UTF-16 code units) of one string value. */
  maxStringLength: 1024,
  /** Characters of one member name. */
  maxKeyLength: 128,
  /** Characters of a fix's unknown fields (`extra`) as stored JSON. */
  maxExtraChars: 4096,
} as const satisfies JsonLimits & Record<string, number>;
