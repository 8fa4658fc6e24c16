/** The API's password policy, checked in the form before sending (the API has the last word). */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;
export const PASSWORD_MIN_CLASSES = 3;
/** Shorter usernames are not looked for inside the password (the API's rule). */
const USERNAME_CHECK_MIN_LENGTH = 3;

export type PasswordProblem = 'tooShort' | 'tooLong' | 'tooFewClasses' | 'containsUsername';

/** Character classes present: lower case, upper case, digit, anything else (symbol). */
export function characterClasses(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((pattern) => pattern.test(password)).length;
}

/** The first rule a new password breaks, or null when it passes. */
export function passwordProblem(password: string, username: string): PasswordProblem | null {
  if (password.length < PASSWORD_MIN_LENGTH) return 'tooShort';
  if (password.length > PASSWORD_MAX_LENGTH) return 'tooLong';
  if (characterClasses(password) < PASSWORD_MIN_CLASSES) return 'tooFewClasses';
  const name = username.trim().toLowerCase();
  if (name.length >= USERNAME_CHECK_MIN_LENGTH && password.toLowerCase().includes(name)) return 'containsUsername';
  return null;
}
