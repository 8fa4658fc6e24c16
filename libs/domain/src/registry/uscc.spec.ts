import { describe, expect, it } from 'vitest';
import { checkUscc } from './uscc.js';

/** The reason a check failed ('' when it passed). */
function why(check: { valid: true } | { valid: false; reason: string }): string {
  return check.valid ? '' : check.reason;
}

describe('unified social credit codes', () => {
  it('accepts a code with the right check character', () => {
    // 91350100M000100Y43: a published example with a valid check character
    expect(checkUscc('91350100M000100Y43')).toEqual({ valid: true, code: '91350100M000100Y43' });
    expect(checkUscc(' 91350100m000100y43 ').valid).toBe(true);
  });

  it('says what is wrong', () => {
    expect(why(checkUscc('91350100M000100Y4'))).toMatch(/17 characters/);
    expect(why(checkUscc('91350100M000100Y44'))).toMatch(/expected 3/);
    expect(why(checkUscc('9135010OM000100Y43'))).toMatch(/'O'/);
    expect(why(checkUscc('913501A0M000100Y43'))).toMatch(/division/);
  });
});
