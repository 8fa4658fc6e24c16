/**
 * Unified social credit codes (统一社会信用代码), GB 32100-2015: 18 characters
 *   1     registration authority (9 = 工商/市场监管)
 *   2     organisation category (1 = 企业)
 *   3–8   administrative division code of the registering authority
 *   9–17  organisation code, GB 11714 (8 body characters + its own check character)
 *   18    check character over the first 17, modulo 31
 * Characters come from 0-9 and the capitals without I, O, S, V, Z.
 */

export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** The 18th character of a USCC whose first 17 characters are given. */
export function usccCheckCharacter(first17: string): string {
  if (first17.length !== 17) throw new Error(`a USCC body has 17 characters, got ${first17.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_ALPHABET.indexOf(first17[i]!);
    if (value < 0) throw new Error(`'${first17[i]}' is not a USCC character`);
    sum += value * USCC_WEIGHTS[i]!;
  }
  const check = (31 - (sum % 31)) % 31;
  return USCC_ALPHABET[check]!;
}

/** The 9th character of a GB 11714 organisation code whose first 8 characters are given. */
export function orgCodeCheckCharacter(first8: string): string {
  if (first8.length !== 8) throw new Error(`an organisation code body has 8 characters, got ${first8.length}`);
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const value = parseInt(first8[i]!, 36);
    if (Number.isNaN(value)) throw new Error(`'${first8[i]}' is not an organisation code character`);
    sum += value * ORG_CODE_WEIGHTS[i]!;
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/** True when the code has the GB 32100-2015 shape and its check character is right. */
export function isValidUscc(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code)) return false;
  return usccCheckCharacter(code.slice(0, 17)) === code[17];
}

/** Builds a valid USCC: '91' (enterprise registered with the market regulator) + division + org code. */
export function makeUscc(divisionCode: string, orgCodeBody: string, prefix = '91'): string {
  const orgCode = orgCodeBody + orgCodeCheckCharacter(orgCodeBody);
  const first17 = prefix + divisionCode + orgCode;
  return first17 + usccCheckCharacter(first17);
}
