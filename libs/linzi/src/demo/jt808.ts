/**
 * Which DEMO terminals speak JT/T 808 instead of MQTT (`npm start`, DEMO_JT808_SHARE): a share of
 * the bound terminals, spread evenly over the fleet, each with its own SIM (its JT/T 808 phone
 * number), made by 鸿泉 or 锐明 so both vendor mappings of the terminal models are exercised
 * (libs/contracts/src/jt808/terminal-model-defaults.ts), half in the 2019 and half in the 2013
 * edition. Invented, deterministic.
 */
import { demoRegistry, type DemoRegistry } from './registry.js';

export type DemoJt808Protocol = 'jt808-2019' | 'jt808-2013';

export interface DemoJt808Terminal {
  terminalId: string;
  /** The registry's `sim`: 11 digits, unique in the demo registry. */
  sim: string;
  /** Matches a shipped terminal model's maker exactly. */
  maker: '鸿泉' | '锐明';
  model: string;
  protocol: DemoJt808Protocol;
  /** The bound truck's plate (reported at registration), or null for an unbound terminal. */
  plate: string | null;
}

const MAKERS = [
  { maker: '鸿泉', model: 'HQ-ZT808' },
  { maker: '锐明', model: 'MT5-ZT' },
] as const;

/**
 * The JT/T 808 share of the demo registry's terminals: terminal i is chosen when ⌊(i+1)·share⌋
 * passes a whole number, so 0.2 picks every fifth. `share` is clamped to 0…1.
 */
export function demoJt808Terminals(share: number, registry: DemoRegistry = demoRegistry): DemoJt808Terminal[] {
  const s = Number.isFinite(share) ? Math.min(1, Math.max(0, share)) : 0;
  const out: DemoJt808Terminal[] = [];
  registry.terminals.forEach((terminal, index) => {
    if (Math.floor((index + 1) * s + 1e-9) === Math.floor(index * s + 1e-9)) return;
    const n = out.length;
    const make = MAKERS[n % MAKERS.length]!;
    const truck = registry.trucks.find((t) => t.id === terminal.truckId);
    out.push({
      terminalId: terminal.id,
      sim: terminal.simNo,
      maker: make.maker,
      model: make.model,
      protocol: Math.floor(n / MAKERS.length) % 2 === 0 ? 'jt808-2019' : 'jt808-2013',
      plate: terminal.bound ? (truck?.plate ?? null) : null,
    });
  });
  return out;
}
