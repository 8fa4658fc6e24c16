import { describe, expect, it } from 'vitest';
import { isValidUscc, makeUscc, orgCodeCheckCharacter, usccCheckCharacter } from './uscc.js';

describe('GB 32100-2015 unified social credit code', () => {
  it('accepts published codes of real enterprises', () => {
    // 华为技术有限公司 and the GB 32100-2015 worked example
    expect(isValidUscc('914403001922038216')).toBe(true);
    expect(isValidUscc('91350100M000100Y43')).toBe(true);
  });

  it('computes the check character, including the 0 case (31 − 0)', () => {
    expect(usccCheckCharacter('91440300192203821')).toBe('6');
    expect(usccCheckCharacter('91350100M000100Y4')).toBe('3');
  });

  it('refuses a changed character, a wrong length and forbidden letters', () => {
    expect(isValidUscc('914403001922038217')).toBe(false);
    expect(isValidUscc('914403001922038')).toBe(false);
    expect(isValidUscc('91440300192203821I')).toBe(false);
  });

  it('computes the GB 11714 organisation-code check character, X for 10', () => {
    // 华为's organisation code is 19220382-1
    expect(orgCodeCheckCharacter('19220382')).toBe('1');
    const withX = Array.from({ length: 200 }, (_, i) => String(10_000_000 + i * 7919)).find((b) => orgCodeCheckCharacter(b) === 'X');
    expect(withX).toBeDefined();
  });

  it('builds codes that validate', () => {
    const code = makeUscc('370305', 'MA3C1K7R');
    expect(code).toMatch(/^91370305MA3C1K7R..$/);
    expect(isValidUscc(code)).toBe(true);
  });
});
