import { describe, expect, it } from 'vitest';
import { checkUscc } from './uscc.js';

describe('unified social credit codes', () => {
  it('accepts a code with the right check character', () => {
    // 91350100M000100Y43: a published example with a valid check character
    expect(checkUscc('91350100M000100Y43')).toEqual({ valid: true, code: '91350100M000100Y43' });
    expect(checkUscc(' 91350100m000100y43 ').valid).toBe(true);
  });

  it('says what is wrong', () => {
    expect(checkUscc('91350100M000100Y4')).toMatchObject({ valid: false, reason: expect.stringMatching(/17 characters/) });
    expect(checkUscc('91350100M000100Y44')).toMatchObject({ valid: false, reason: expect.stringMatching(/expected 3/) });
    expect(checkUscc('9135010OM000100Y43')).toMatchObject({ valid: false, reason: expect.stringMatching(/'O'/) });
    expect(checkUscc('913501A0M000100Y43')).toMatchObject({ valid: false, reason: expect.stringMatching(/division/) });
  });
});
