import { describe, expect, it } from 'vitest';
import { characterClasses, passwordProblem } from './password-policy.js';

describe('passwordProblem', () => {
  it('accepts the demo password', () => {
    expect(passwordProblem('Demo-linzi-2026', 'dispatcher')).toBeNull();
  });

  it('refuses fewer than 12 characters', () => {
    expect(passwordProblem('Ab1-xyz', 'town')).toBe('tooShort');
  });

  it('refuses a long password with only two kinds of character', () => {
    expect(passwordProblem('abcdefghij123', 'town')).toBe('tooFewClasses');
    expect(characterClasses('abcdefghij123')).toBe(2);
  });

  it('refuses a password containing the username, whatever the case', () => {
    expect(passwordProblem('My-Dispatcher-9', 'dispatcher')).toBe('containsUsername');
  });

  it('refuses more than 128 characters', () => {
    expect(passwordProblem(`Aa1-${'x'.repeat(125)}`, 'town')).toBe('tooLong');
  });

  it('does not look for usernames shorter than 3 characters', () => {
    expect(passwordProblem('Ab-lizhang-2026', 'li')).toBeNull();
  });

  it('counts Chinese characters as symbols', () => {
    expect(characterClasses('渣土abc')).toBe(2);
  });
});
