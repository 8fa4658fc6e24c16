import { readFile } from 'node:fs/promises';
import type { TerminalCredentials } from './publisher.js';

/**
 * Reads per-terminal credentials for `--credentials`: a JSON array of the API's
 * `POST /api/v1/terminals/{id}/credentials` answers (`[{ terminalId, username, password }, …]`),
 * or an object keyed by terminal id (`{ "013805330001": { username, password }, … }`).
 */
export async function readCredentialsFile(path: string): Promise<Map<string, TerminalCredentials>> {
  const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
  const entries: Array<[string, unknown]> = Array.isArray(parsed)
    ? parsed.map((item) => [String((item as { terminalId?: unknown }).terminalId), item])
    : Object.entries(parsed as Record<string, unknown>);
  const credentials = new Map<string, TerminalCredentials>();
  for (const [terminalId, value] of entries) {
    const { username, password } = (value ?? {}) as { username?: unknown; password?: unknown };
    if (typeof username !== 'string' || typeof password !== 'string') {
      throw new Error(`${path}: terminal ${terminalId} needs string "username" and "password"`);
    }
    credentials.set(terminalId, { username, password });
  }
  return credentials;
}
