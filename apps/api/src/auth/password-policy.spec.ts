import { describe, expect, it } from 'vitest';
import { passwordProblem } from './password-policy.js';

describe('password policy', () => {
  it('accepts a long password mixing three kinds of characters', () => {
    expect(passwordProblem('Linzi-muck-2026', 'dispatcher')).toBeNull();
  });

  it('refuses a short one', () => {
    expect(passwordProblem('Ab1!', 'x')?.message).toMatch(/at least 12/);
  });

  it('refuses one of only lower case and digits', () => {
    expect(passwordProblem('muckwatch2026', 'x')?.message).toMatch(/three of/);
  });

  it('refuses one that contains the username, whatever the case', () => {
    expect(passwordProblem('Dispatcher-2026!', 'dispatcher')?.message).toMatch(/username/);
  });
});
