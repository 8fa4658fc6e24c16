/** Why a password is refused: a stable code (libs/contracts/src/i18n/api-errors.ts), its params and the English sentence. */
export interface PasswordProblem {
  code: 'password.too_short' | 'password.too_long' | 'password.too_few_classes' | 'password.contains_username';
  params: Record<string, number>;
  message: string;
}

/**
 * The password policy (OWASP ASVS 2.1, MLPS level 3 "complexity"): at least 12 characters, at most
 * 128, at least three of lower case, upper case, digits and symbols, and not containing the
 * username. Returns the reason a password is refused, or null.
 */
export function passwordProblem(password: string, username: string): PasswordProblem | null {
  if (password.length < 12) return { code: 'password.too_short', params: { min: 12 }, message: 'the password must be at least 12 characters' };
  if (password.length > 128) return { code: 'password.too_long', params: { max: 128 }, message: 'the password must be at most 128 characters' };
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) {
    return { code: 'password.too_few_classes', params: { classes: 3 }, message: 'the password must mix at least three of: lower case, upper case, digits, symbols' };
  }
  if (username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) {
    return { code: 'password.contains_username', params: {}, message: 'the password must not contain the username' };
  }
  return null;
}
