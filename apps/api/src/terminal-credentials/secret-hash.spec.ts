import { describe, expect, it } from 'vitest';
import { hashSecret, newSecret, verifySecret } from './secret-hash.js';

describe('terminal secret hashes (Mosquitto $7$ format)', () => {
  it('verifies a line written by mosquitto_passwd 2.0.11', async () => {
    // `mosquitto_passwd -c -b pw alice secret`
    const hash = '$7$101$wMZFu7ufPKtZcY3U$QeZVLwLgY/MyF6bJ+CLqiLIkOGgVKnL8NMrfLf0DytxZRVtIPlq30jsfpRnDZ26WTVW5+iM0Pbw0tP7KBqJbIw==';
    expect(await verifySecret('secret', hash)).toBe(true);
    expect(await verifySecret('Secret', hash)).toBe(false);
  });

  it('round-trips its own hashes, salted differently each time', async () => {
    const secret = newSecret();
    const a = await hashSecret(secret);
    const b = await hashSecret(secret);
    expect(a).toMatch(/^\$7\$1000\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/]{86}==$/);
    expect(a).not.toBe(b);
    expect(await verifySecret(secret, a)).toBe(true);
    expect(await verifySecret(`${secret}x`, a)).toBe(false);
  });

  it('issues secrets of at least 128 random bits', () => {
    const secret = newSecret();
    expect(Buffer.from(secret, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(newSecret()).not.toBe(secret);
  });

  it('refuses malformed hashes instead of throwing', async () => {
    for (const hash of ['', 'plain', '$6$1$abc$def', '$7$0$c2FsdA==$aGFzaA==', '$7$101$$']) {
      expect(await verifySecret('secret', hash)).toBe(false);
    }
  });
});
