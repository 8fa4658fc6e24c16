/**
 * Unified social credit codes (统一社会信用代码), GB 32100-2015: 18 characters from 0-9 and the
 * capitals without I, O, S, V, Z — registration authority, organisation category, 6-digit
 * administrative division, 9-character organisation code (GB 11714), and a check character
 * over the first 17, modulo 31.
 */

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export type UsccCheck = { valid: true; code: string } | { valid: false; code: string; reason: string };

/** Trims and upper-cases, then checks shape and check character. */
export function checkUscc(raw: string): UsccCheck {
  const code = raw.trim().toUpperCase();
  if (code.length !== 18) return { valid: false, code, reason: `it has ${code.length} characters, not 18` };
  const bad = [...code].find((c) => !ALPHABET.includes(c));
  if (bad !== undefined) return { valid: false, code, reason: `'${bad}' is not a credit-code character (0-9, A-Z without I, O, S, V, Z)` };
  if (!/^\d{6}$/.test(code.slice(2, 8))) return { valid: false, code, reason: 'characters 3–8 must be the administrative division code (6 digits)' };
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(code[i]!) * WEIGHTS[i]!;
  const expected = ALPHABET[(31 - (sum % 31)) % 31]!;
  if (code[17] !== expected) return { valid: false, code, reason: `the check character is ${code[17]}, expected ${expected}` };
  return { valid: true, code };
}
