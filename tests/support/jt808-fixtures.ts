import { randomInt } from 'node:crypto';
import type { HealthResponse } from '@muckwatch/contracts';

/**
 * A random 11-digit SIM number (a terminal's JT/T 808 phone number) with the given two-digit
 * prefix: specs share one database, and the registry refuses a SIM two terminals hold.
 */
export function newSim(prefix: string): string {
  return `${prefix}${String(randomInt(0, 10 ** 9)).padStart(9, '0')}`;
}

/** A fix time this many seconds ago, on a whole second (JT/T 808 times carry seconds only). */
export function secondsAgo(seconds: number): number {
  return Math.floor(Date.now() / 1000 - seconds) * 1000;
}

/** The port an API under test's JT/T 808 door listens on (JT808_PORT=0 picks a free one). */
export async function jt808PortOf(api: { url: string }): Promise<number> {
  const health = (await (await fetch(`${api.url}/api/health`)).json()) as HealthResponse;
  if (!health.jt808) throw new Error('the API under test has no JT/T 808 door');
  return health.jt808.port;
}
