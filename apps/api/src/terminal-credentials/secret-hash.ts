import { pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

/**
 * Terminal secrets are random (144 bits, base64url), so a slow hash adds nothing against guessing;
 * PBKDF2-SHA512 is used for its format: Mosquitto's password-file `$7$<iterations>$<salt>$<hash>`
 * (what `mosquitto_passwd` writes; 2.0 reads any iteration count). One stored hash can therefore
 * also be exported to a Mosquitto `password_file`.
 */
export const SECRET_HASH_ITERATIONS = 1000;
const SALT_BYTES = 12;
const KEY_BYTES = 64;

/** A new terminal secret: 18 random bytes → 24 base64url characters. */
export function newSecret(): string {
  return randomBytes(18).toString('base64url');
}

export async function hashSecret(secret: string, iterations = SECRET_HASH_ITERATIONS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await pbkdf2Async(secret, salt, iterations, KEY_BYTES, 'sha512');
  return `$7$${iterations}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Whether `secret` matches a `$7$` hash; false for anything malformed. */
export async function verifySecret(secret: string, hash: string): Promise<boolean> {
  const parts = hash.split('$');
  if (parts.length !== 5 || parts[0] !== '' || parts[1] !== '7') return false;
  const iterations = Number(parts[2]);
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > 1_000_000) return false;
  const salt = Buffer.from(parts[3]!, 'base64');
  const expected = Buffer.from(parts[4]!, 'base64');
  if (salt.length === 0 || expected.length !== KEY_BYTES) return false;
  const actual = await pbkdf2Async(secret, salt, iterations, KEY_BYTES, 'sha512');
  return timingSafeEqual(actual, expected);
}
