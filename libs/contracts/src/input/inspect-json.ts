/**
 * The wire boundary's check of untrusted JSON (HTTP bodies, query strings, path ids and MQTT
 * telemetry, each with its own limits): every string and object key must be text PostgreSQL can store — no
 * U+0000 (text refuses it) and no lone UTF-16 surrogate (jsonb refuses it) — and the value must be
 * bounded in depth, keys per object and string length. The walk is iterative (an explicit stack),
 * so no payload, however deep, can exhaust the call stack.
 */

export interface JsonLimits {
  /** Most nested objects/arrays (the root container counts as 1). */
  maxDepth: number;
  /** Most keys in one object. */
  maxKeys: number;
  /** Longest string value, in UTF-16 code units. */
  maxStringLength: number;
  /** Longest object key, in UTF-16 code units. */
  maxKeyLength: number;
}

/**
 * Limits at the HTTP edge. The deepest legitimate body is a GeoJSON MultiPolygon import (8 levels:
 * collection, features, feature, geometry, coordinates, polygon, ring, position); the longest
 * legitimate string is a violation note (2,000 characters); no record has more than a few dozen
 * fields. Array lengths are bounded by the body size (`BODY_LIMIT_KB`) and by each field's own
 * rule (e.g. `GEOMETRY_LIMITS`).
 */
export const HTTP_JSON_LIMITS: Readonly<JsonLimits> = Object.freeze({
  maxDepth: 32,
  maxKeys: 1_000,
  maxStringLength: 10_000,
  maxKeyLength: 200,
});

export type JsonProblem = 'nul' | 'lone_surrogate' | 'too_deep' | 'too_many_keys' | 'string_too_long' | 'key_too_long' | 'not_json';

export interface JsonInspection {
  /** Where, as field names and indexes joined by dots (`features.0.properties.name`); '' = the value itself. */
  path: string;
  problem: JsonProblem;
  /** English, naming the limit: "contains U+0000 (NUL)", "is nested more than 32 deep". */
  reason: string;
}

/** What makes one string unstorable as PostgreSQL text or jsonb, or null when it is fine. */
export function inspectText(text: string): 'nul' | 'lone_surrogate' | null {
  if (text.includes('\u0000')) return 'nul';
  if (!text.isWellFormed()) return 'lone_surrogate';
  return null;
}

const TEXT_REASONS = {
  nul: 'contains U+0000 (NUL), which cannot be stored',
  lone_surrogate: 'contains a lone UTF-16 surrogate (not valid Unicode text)',
} as const;

/** The reason for a string (a value or a key) that is too long or unstorable, or null. */
function inspectString(text: string, max: number, tooLong: 'string_too_long' | 'key_too_long'): Omit<JsonInspection, 'path'> | null {
  if (text.length > max) {
    return { problem: tooLong, reason: `${tooLong === 'key_too_long' ? 'has a field name' : 'is'} longer than ${max} characters` };
  }
  const problem = inspectText(text);
  if (problem === null) return null;
  return { problem, reason: tooLong === 'key_too_long' ? `has a field name that ${TEXT_REASONS[problem]}` : TEXT_REASONS[problem] };
}

/** A container being walked: its members are visited in order, one at a time. */
interface Cursor {
  container: object;
  /** Member names of an object; null for an array. */
  keys: string[] | null;
  next: number;
  depth: number;
  parent: Cursor | null;
  /** This container's name or index in its parent. */
  key: string | number;
}

function pathOf(cursor: Cursor | null, last?: string | number): string {
  const keys: Array<string | number> = last === undefined ? [] : [last];
  for (let c = cursor; c?.parent; c = c.parent) keys.push(c.key);
  return keys.reverse().join('.');
}

/**
 * Walks a parsed JSON value and returns its first problem (depth first, in document order), or
 * null when every string and key is storable text and every limit holds. A cursor per container
 * (an explicit stack, no recursion) and nothing per scalar: cheap enough for every fix of ingest.
 */
export function inspectJsonValue(value: unknown, limits: Readonly<JsonLimits> = HTTP_JSON_LIMITS): JsonInspection | null {
  const first = visit(value, null, '', limits);
  if (first === null || 'problem' in first) return first;
  let top: Cursor | null = first;
  while (top !== null) {
    const cursor: Cursor = top;
    const size = cursor.keys ? cursor.keys.length : (cursor.container as unknown[]).length;
    if (cursor.next >= size) {
      top = cursor.parent;
      continue;
    }
    const i = cursor.next;
    cursor.next += 1;
    const key = cursor.keys ? cursor.keys[i]! : i;
    const child = cursor.keys ? (cursor.container as Record<string, unknown>)[key] : (cursor.container as unknown[])[i];
    const found = visit(child, cursor, key, limits);
    if (found === null) continue;
    if ('problem' in found) return found;
    top = found;
  }
  return null;
}

/** Checks one value met at `key` of `parent`: its problem, a cursor to walk it (a container), or null. */
function visit(v: unknown, parent: Cursor | null, key: string | number, limits: Readonly<JsonLimits>): JsonInspection | Cursor | null {
  if (v === null || typeof v === 'boolean') return null;
  if (typeof v === 'number') {
    return Number.isFinite(v) ? null : { path: pathOf(parent, parent ? key : undefined), problem: 'not_json', reason: 'is not a finite number' };
  }
  if (typeof v === 'string') {
    const found = inspectString(v, limits.maxStringLength, 'string_too_long');
    return found ? { path: pathOf(parent, parent ? key : undefined), ...found } : null;
  }
  const cursor: Cursor = { container: v as object, keys: null, next: 0, depth: (parent?.depth ?? 0) + 1, parent, key };
  if (typeof v !== 'object') return { path: pathOf(cursor), problem: 'not_json', reason: 'is not a JSON value' };
  if (cursor.depth > limits.maxDepth) return { path: pathOf(cursor), problem: 'too_deep', reason: `is nested more than ${limits.maxDepth} deep` };
  if (!Array.isArray(v)) {
    const keys = Object.keys(v);
    if (keys.length > limits.maxKeys) return { path: pathOf(cursor), problem: 'too_many_keys', reason: `has more than ${limits.maxKeys} fields` };
    for (const k of keys) {
      const found = inspectString(k, limits.maxKeyLength, 'key_too_long');
      if (found) return { path: pathOf(cursor), ...found };
    }
    cursor.keys = keys;
  }
  return cursor;
}
