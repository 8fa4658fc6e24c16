import type { TelemetryFix } from '@muckwatch/contracts';
import type { DemoRegistry } from '@muckwatch/linzi';
import { FleetSimulator } from './fleet-simulator.js';

/**
 * A terminal's store-and-forward backlog: `count` consecutive fixes of `terminalId` from
 * `fromMs`, `intervalSec` apart, as the fleet simulator would have produced them. Deterministic.
 * Publish it as arrays of at most MAX_FIXES_PER_MESSAGE (see `chunkBacklog`).
 */
export function backlogFixes(
  terminalId: string,
  fromMs: number,
  count: number,
  intervalSec = 10,
  seed = 1,
  registry?: DemoRegistry,
): TelemetryFix[] {
  const simulator = new FleetSimulator({ seed, intervalSec, startTimeMs: fromMs, terminalIds: [terminalId], ...(registry ? { registry, trucks: registry.trucks.length } : {}) });
  const fixes = simulator.advanceTo(fromMs + (count - 1) * intervalSec * 1000 + intervalSec * 1000 - 1);
  return fixes.slice(0, count).map((f) => f.fix);
}

/** Splits fixes into messages of at most `size` (default 500, the contract's maximum). */
export function chunkBacklog<T>(fixes: readonly T[], size = 500): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < fixes.length; i += size) chunks.push(fixes.slice(i, i + size));
  return chunks;
}
