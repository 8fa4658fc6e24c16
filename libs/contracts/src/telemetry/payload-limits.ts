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
  /** Nesting of arrays and objects, counting the message's own array and the fix object. */
  maxDepth: 8,
  /** Members of one object. */
  maxKeysPerObject: 64,
  /** Characters of one string value. */
  maxStringChars: 1024,
  /** Characters of one member name. */
  maxKeyChars: 128,
  /** Characters of a fix's unknown fields (`extra`) as stored JSON. */
  maxExtraChars: 4096,
} as const;

export type JsonProblem =
  | { kind: 'unstorable_text'; path: string; detail: string }
  | { kind: 'limit_exceeded'; path: string; detail: string };

export interface JsonBounds {
  maxDepth: number;
  maxKeysPerObject: number;
  maxStringChars: number;
  maxKeyChars: number;
}

/**
 * The first reason a parsed JSON value could not be stored or would cost unbounded work, or null.
 * Iterative (an explicit stack), so no payload can exhaust the call stack; it stops at the first
 * problem, so its work is bounded by what it has read.
 */
export function inspectJson(value: unknown, bounds: JsonBounds = TELEMETRY_LIMITS, basePath = ''): JsonProblem | null {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: basePath, depth: 0 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value: current, path, depth } = item;
    if (typeof current === 'string') {
      const problem = textProblem(current, bounds.maxStringChars, path || '/');
      if (problem) return problem;
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= bounds.maxDepth) {
      return { kind: 'limit_exceeded', path: path || '/', detail: `nested deeper than ${bounds.maxDepth} levels` };
    }
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i -= 1) stack.push({ value: current[i], path: `${path}/${i}`, depth: depth + 1 });
      continue;
    }
    let keys = 0;
    for (const key in current) {
      keys += 1;
      if (keys > bounds.maxKeysPerObject) {
        return { kind: 'limit_exceeded', path: path || '/', detail: `more than ${bounds.maxKeysPerObject} members in one object` };
      }
      const keyProblem = textProblem(key, bounds.maxKeyChars, `${path}/${printable(key)}`);
      if (keyProblem) return { ...keyProblem, detail: `member name: ${keyProblem.detail}` };
      stack.push({ value: (current as Record<string, unknown>)[key], path: `${path}/${printable(key)}`, depth: depth + 1 });
    }
  }
  return null;
}

function textProblem(text: string, maxChars: number, path: string): JsonProblem | null {
  if (text.length > maxChars) {
    return { kind: 'limit_exceeded', path, detail: `${text.length} characters; at most ${maxChars}` };
  }
  if (text.includes('\u0000')) {
    return { kind: 'unstorable_text', path, detail: 'holds U+0000, which PostgreSQL cannot store' };
  }
  if (!text.isWellFormed()) {
    return { kind: 'unstorable_text', path, detail: 'holds a lone UTF-16 surrogate, which is not Unicode text' };
  }
  return null;
}

/** A member name as it may appear in a recorded reason: short, well-formed, without U+0000. */
function printable(key: string): string {
  return key.slice(0, 64).toWellFormed().replaceAll('\u0000', '\\u0000');
}
