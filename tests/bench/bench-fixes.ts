import type { TelemetryFix } from '@muckwatch/contracts';

/**
 * The bench's synthetic traffic, shared by the publisher process and the raw-SQL ceiling so both
 * move the same rows. Message i belongs to terminal i % terminals and is that terminal's
 * floor(i / terminals)-th fix; fix times step by `stepMs`, so (terminal, ts) pairs are unique.
 */
export interface BenchPlan {
  messages: number;
  terminals: number;
  /** Fix time of each terminal's first fix (epoch ms), inside the ingest's accepted age window. */
  baseMs: number;
  stepMs: number;
}

/** Fix times from ~50 min ago, at most 1 s apart, all ending at least 5 min before `nowMs`. */
export function planFor(messages: number, terminals: number, nowMs = Date.now()): BenchPlan {
  const perTerminal = Math.ceil(messages / terminals);
  const span = 45 * 60_000;
  const stepMs = Math.max(1, Math.min(1000, Math.floor(span / Math.max(1, perTerminal))));
  return { messages, terminals, baseMs: nowMs - 50 * 60_000, stepMs };
}

export function terminalId(j: number): string {
  return `BENCH${String(j).padStart(6, '0')}`;
}

export interface BenchFix {
  terminalId: string;
  fix: TelemetryFix & { pubMs?: number };
  fixTimeMs: number;
}

export function benchFix(plan: BenchPlan, i: number): BenchFix {
  const j = i % plan.terminals;
  const k = Math.floor(i / plan.terminals);
  const fixTimeMs = plan.baseMs + k * plan.stepMs;
  return {
    terminalId: terminalId(j),
    fixTimeMs,
    fix: {
      ts: new Date(fixTimeMs).toISOString(),
      // Trucks parked on a grid around Linzi, creeping east ~4.5 m per step (≤ 16 km/h).
      lat: 36.75 + (j % 50) * 0.003,
      lon: 118.2 + Math.floor(j / 50) * 0.003 + k * 0.00005,
      speedKmh: 15,
      headingDeg: 90,
      satellites: 9,
      hdop: 0.9,
      seq: k,
    },
  };
}
